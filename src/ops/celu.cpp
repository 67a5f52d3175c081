#include "ops/elementwise.h"

namespace ecoinfer::ops {
namespace {
// max(0, x) + min(0, alpha * (exp(x / alpha) - 1)) (ONNX Celu, PyTorch's CELU).
std::vector<Tensor> celu_ref(OpContext& c) {
  const float alpha = c.node.attr_float("alpha", 1.f);
  ECO_CHECK(alpha != 0.f, "{}: alpha must not be 0", c.node.describe());
  return unary_f32(c, [=](float x) { return x > 0.f ? x : alpha * std::expm1(x / alpha); });
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Celu", .reference = celu_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
