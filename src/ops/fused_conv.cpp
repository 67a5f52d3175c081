// com.ecoinfer FusedConv (made by the compile pipeline): Conv attributes and inputs
// X, W, B (optional), Residual (optional); y = act(conv(X, W) + B + Residual).
#include "ops/conv.h"
#include "ops/elementwise.h"
#include "ops/fused_epilogue.h"

namespace ecoinfer::ops {

void apply_epilogue_reference(const Node& n, Tensor& y, const Tensor* residual) {
  if (residual) {
    ECO_CHECK(residual->dtype() == DType::f32, "{}: residual must be float32", n.describe());
    y = binary_broadcast<float, float>(y, *residual, n, [](float a, float b) { return a + b; });
  }
  const std::string act = n.attr_string("activation", "");
  float* p = y.data<float>();
  const int64_t count = y.numel();
  if (act.empty()) return;
  if (act == "Relu") {
    for (int64_t i = 0; i < count; ++i) p[i] = p[i] > 0.f ? p[i] : 0.f;
  } else if (act == "Clip") {
    const float lo = n.attr_float("clip_min", -INFINITY), hi = n.attr_float("clip_max", INFINITY);
    for (int64_t i = 0; i < count; ++i) p[i] = std::min(std::max(p[i], lo), hi);
  } else if (act == "Gelu") {
    for (int64_t i = 0; i < count; ++i) p[i] = static_cast<float>(0.5 * p[i] * (1.0 + std::erf(p[i] / std::sqrt(2.0))));
  } else {
    fail("{}: unknown fused activation '{}'", n.describe(), act);
  }
}

namespace {

std::vector<Tensor> fused_conv_ref(OpContext& c) {
  const OpSchema* conv = find_op("", "Conv");
  Node plain = c.node;
  plain.inputs.resize(std::min<size_t>(3, plain.inputs.size()));
  OpContext inner{plain, {c.inputs.begin(), c.inputs.begin() + std::min<size_t>(3, c.inputs.size())}, c.threads, nullptr};
  std::vector<Tensor> y = conv->reference(inner);
  apply_epilogue_reference(c.node, y[0], c.has(3) ? &c.in(3) : nullptr);
  return y;
}

std::vector<TensorMeta> fused_conv_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return {TensorMeta{DType::f32, resolve_conv(n, in[0].shape, in[1].shape).out_shape, nullptr}};
}

}  // namespace

ECO_REGISTER_OP(OpSchema{.domain = "com.ecoinfer", .op_type = "FusedConv", .min_inputs = 2, .max_inputs = 4,
                         .reference = fused_conv_ref, .infer = fused_conv_infer,
                         .macs = [](const Node& n, const std::vector<TensorMeta>& in, const std::vector<TensorMeta>& out) {
                           return find_op("", "Conv")->macs(n, in, out);
                         }});

}  // namespace ecoinfer::ops
