#include "ops/tensor_util.h"
#include "ops/elementwise.h"

namespace ecoinfer::ops {
namespace {
std::vector<Tensor> hard_sigmoid_ref(OpContext& c) {
  const float alpha = c.node.attr_float("alpha", 0.2f), beta = c.node.attr_float("beta", 0.5f);
  return unary_f32(c, [=](float x) { return clamp_keep_nan(alpha * x + beta, 0.f, 1.f); });
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "HardSigmoid", .reference = hard_sigmoid_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
