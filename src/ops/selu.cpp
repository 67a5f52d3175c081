#include "ops/elementwise.h"

namespace ecoinfer::ops {
namespace {
// gamma * (x > 0 ? x : alpha * (exp(x) - 1)); the defaults are ONNX's (PyTorch's SELU constants).
std::vector<Tensor> selu_ref(OpContext& c) {
  const float alpha = c.node.attr_float("alpha", 1.67326319217681884765625f);
  const float gamma = c.node.attr_float("gamma", 1.05070102214813232421875f);
  return unary_f32(c, [=](float x) { return gamma * (x > 0.f ? x : alpha * std::expm1(x)); });
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Selu", .reference = selu_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
