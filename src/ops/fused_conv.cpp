// com.ecoinfer FusedConv (made by the compile pipeline): Conv attributes and inputs
// X, W, B (optional), Residual (optional); y = act(conv(X, W) + B + Residual).
#include "ops/conv.h"
#include "ops/tensor_util.h"
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
  } else if (act == "Swish") {  // SiLU as the unfused graph computes it: Sigmoid, then Mul, in float
    for (int64_t i = 0; i < count; ++i) p[i] = p[i] * stable_sigmoid(p[i]);
  } else if (act == "HardSwish") {  // as the HardSwish op
    for (int64_t i = 0; i < count; ++i) p[i] = hard_swish(p[i]);
  } else if (act == "Gelu") {
    for (int64_t i = 0; i < count; ++i) p[i] = static_cast<float>(0.5 * p[i] * (1.0 + std::erf(p[i] / std::sqrt(2.0))));
  } else {
    fail("{}: unknown fused activation '{}'", n.describe(), act);
  }
}

namespace {

// channels_last = 1 (set by the convert_conv_to_channels_last pass): X, the residual and Y
// are NHWC; the weights stay OIHW.
bool channels_last(const Node& n) { return n.attr_int("channels_last", 0) != 0; }
Shape to_nchw(const Shape& s) { return s.size() == 4 ? Shape{s[0], s[3], s[1], s[2]} : s; }
Shape to_nhwc(const Shape& s) { return s.size() == 4 ? Shape{s[0], s[2], s[3], s[1]} : s; }

Tensor permuted(const Tensor& t, std::vector<int64_t> perm) {
  Node tr;
  tr.op_type = "Transpose";
  tr.name = "channels_last";
  tr.attrs["perm"] = Attribute{Attribute::Kind::ints, 0, 0, "", std::move(perm)};
  OpContext ctx{tr, {&t}, 1, nullptr};
  return find_op("", "Transpose")->reference(ctx).at(0);
}

std::vector<Tensor> fused_conv_ref(OpContext& c) {
  const OpSchema* conv = find_op("", "Conv");
  const bool cl = channels_last(c.node);
  if (cl) ECO_CHECK(c.in(0).rank() == 4, "{}: channels_last needs a 4-D input, got {}", c.node.describe(), shape_str(c.in(0).shape()));
  Tensor x_nchw, res_nchw;
  std::vector<const Tensor*> ins(c.inputs.begin(), c.inputs.begin() + std::min<size_t>(3, c.inputs.size()));
  if (cl) {
    x_nchw = permuted(c.in(0), {0, 3, 1, 2});
    ins[0] = &x_nchw;
  }
  Node plain = c.node;
  plain.inputs.resize(std::min<size_t>(3, plain.inputs.size()));
  plain.attrs.erase("channels_last");
  OpContext inner{plain, ins, c.threads, nullptr};
  std::vector<Tensor> y = conv->reference(inner);
  const Tensor* residual = c.has(3) ? &c.in(3) : nullptr;
  if (cl && residual) {
    res_nchw = permuted(*residual, {0, 3, 1, 2});
    residual = &res_nchw;
  }
  apply_epilogue_reference(c.node, y[0], residual);
  if (cl) y[0] = permuted(y[0], {0, 2, 3, 1});
  return y;
}

std::vector<TensorMeta> fused_conv_infer(const Node& n, const std::vector<TensorMeta>& in) {
  if (!channels_last(n)) return {TensorMeta{DType::f32, resolve_conv(n, in[0].shape, in[1].shape).out_shape, nullptr}};
  ECO_CHECK(in[0].shape.size() == 4, "{}: channels_last needs a 4-D input, got {}", n.describe(), shape_str(in[0].shape));
  return {TensorMeta{DType::f32, to_nhwc(resolve_conv(n, to_nchw(in[0].shape), in[1].shape).out_shape), nullptr}};
}

std::vector<TensorMeta> as_nchw(const Node& n, std::vector<TensorMeta> m) {
  if (channels_last(n))
    for (auto& t : m)
      if (t.shape.size() == 4) t.shape = to_nchw(t.shape);
  return m;
}

}  // namespace

ECO_REGISTER_OP(OpSchema{.domain = kEcoDomain, .op_type = "FusedConv", .min_inputs = 2, .max_inputs = 4,
                         .reference = fused_conv_ref, .infer = fused_conv_infer,
                         .macs = [](const Node& n, const std::vector<TensorMeta>& in, const std::vector<TensorMeta>& out) {
                           std::vector<TensorMeta> x = as_nchw(n, {in.begin(), in.begin() + 1});
                           std::vector<TensorMeta> ins = in;
                           ins[0] = x[0];
                           return find_op("", "Conv")->macs(n, ins, as_nchw(n, out));
                         }});

}  // namespace ecoinfer::ops
