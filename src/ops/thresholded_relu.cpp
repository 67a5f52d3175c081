#include "ops/elementwise.h"

namespace ecoinfer::ops {
namespace {
// x where x > alpha, else 0 (NaN compares false: 0, as ONNX's reference np.where(x > alpha, x, 0)).
std::vector<Tensor> thresholded_relu_ref(OpContext& c) {
  const float alpha = c.node.attr_float("alpha", 1.f);
  return unary_f32(c, [=](float x) { return x > alpha ? x : 0.f; });
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "ThresholdedRelu", .reference = thresholded_relu_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
