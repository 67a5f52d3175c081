#include "ops/elementwise.h"

namespace ecoinfer::ops {
namespace {
std::vector<Tensor> elu_ref(OpContext& c) {
  const float alpha = c.node.attr_float("alpha", 1.f);
  return unary_f32(c, [=](float x) { return x >= 0.f ? x : alpha * std::expm1(x); });
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Elu", .reference = elu_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
