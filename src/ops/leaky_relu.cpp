#include "ops/elementwise.h"

namespace ecoinfer::ops {
namespace {
std::vector<Tensor> leaky_relu_ref(OpContext& c) {
  const float alpha = c.node.attr_float("alpha", 0.01f);
  return unary_f32(c, [=](float x) { return x >= 0.f ? x : alpha * x; });
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "LeakyRelu", .reference = leaky_relu_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
