#include "ops/elementwise.h"

namespace ecoinfer::ops {
namespace {
// Opset 20 Gelu; approximate = "none" (erf form) or "tanh". Evaluated in double.
std::vector<Tensor> gelu_ref(OpContext& c) {
  const std::string approx = c.node.attr_string("approximate", "none");
  if (approx == "tanh") {
    return unary_f32(c, [](float xf) {
      const double x = xf, k = std::sqrt(2.0 / 3.14159265358979323846);
      return static_cast<float>(0.5 * x * (1.0 + std::tanh(k * (x + 0.044715 * x * x * x))));
    });
  }
  ECO_CHECK(approx == "none", "{}: approximate must be 'none' or 'tanh', got '{}'", c.node.describe(), approx);
  return unary_f32(c, [](float xf) {
    const double x = xf;
    return static_cast<float>(0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))));
  });
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Gelu", .reference = gelu_ref, .infer = same_as_input0});
// ONNX Runtime's contrib Gelu (erf form), emitted by its transformer optimiser.
ECO_REGISTER_OP(OpSchema{.domain = "com.microsoft", .op_type = "Gelu", .reference = gelu_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
