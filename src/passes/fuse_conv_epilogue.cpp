// Conv [-> Add] [-> Relu | Clip(constant bounds) | HardSwish], or Conv [-> Add] -> SiLU
// (x * Sigmoid(x)), becomes one FusedConv (domain com.ecoinfer) whose kernel applies bias,
// residual and activation as oneDNN post-ops while the output is still in cache.
// Intermediates must have one consumer. Only what that kernel (f32-conv2d-postops-dnnl)
// accepts is fused, so a fusion never moves a convolution onto the reference kernel:
// - an Add of a constant that is one value per output channel ([1,C,1,1], [C,1,1], a
//   scalar) is folded into the convolution's bias;
// - any other Add becomes the residual only when its shape is known to equal the
//   convolution's output shape (the kernel's sum post-op does not broadcast). Shapes come
//   from the pipeline's caller (the compile tactic probes the model's input shape; the
//   per-shape plans know them), else the Add stays a node.
#include <cmath>

#include "passes/pass.h"

namespace ecoinfer::passes {

namespace {

struct ConvEpilogue {
  int conv;
  std::string residual;    // "" when none
  const Tensor* add_bias;  // a per-channel constant Add folded into the bias, or nullptr
  std::string activation, out;
  float lo = 0, hi = 0;     // Clip bounds
  std::vector<int> absorbed;
};

// A float constant that adds one value per output channel to an output of rank `rank` with
// `channels` channels: every dimension is 1 except, optionally, the channel axis.
bool per_channel(const Tensor& t, int64_t rank, int64_t channels) {
  if (t.dtype() != DType::f32 || t.rank() > rank) return false;
  for (int64_t d = 0; d < t.rank(); ++d) {
    const int64_t axis = rank - t.rank() + d;
    if (t.dim(d) != 1 && !(axis == 1 && t.dim(d) == channels)) return false;
  }
  return true;
}

// SiLU / Swish, x * sigmoid(x) (EfficientNet): `out` feeds exactly a Sigmoid and the Mul
// that multiplies it by that Sigmoid's output.
bool match_silu(const GraphIndex& idx, ConvEpilogue& m) {
  if (idx.is_graph_output(m.out)) return false;
  const auto& uses = idx.consumers(m.out);
  if (uses.size() != 2) return false;
  int sig = -1, mul = -1;
  for (int u : uses) {
    if (is_op(idx.node(u), "Sigmoid")) sig = u;
    else if (is_op(idx.node(u), "Mul")) mul = u;
  }
  if (sig < 0 || mul < 0 || idx.single_consumer(idx.node(sig).outputs[0]) != mul) return false;
  const Node& mn = idx.node(mul);
  const std::string& s = idx.node(sig).outputs[0];
  if (!((mn.inputs[0] == m.out && mn.inputs[1] == s) || (mn.inputs[1] == m.out && mn.inputs[0] == s))) return false;
  m.activation = "Swish";
  m.absorbed.push_back(sig);
  m.absorbed.push_back(mul);
  m.out = mn.outputs[0];
  return true;
}

std::optional<ConvEpilogue> match(const GraphIndex& idx, int i) {
  const Node& conv = idx.node(i);
  if (!is_op(conv, "Conv") || conv.inputs.size() < 2) return std::nullopt;
  const Tensor* w = idx.constant(conv.inputs[1]);
  if (!w) return std::nullopt;
  ConvEpilogue m{i, "", nullptr, "", conv.outputs[0]};
  int c = idx.single_consumer(m.out);
  if (c >= 0 && is_op(idx.node(c), "Add")) {
    const Node& add = idx.node(c);
    const std::string& other = other_input(add, m.out);
    const Tensor* bias = conv.has_input(2) ? idx.constant(conv.inputs[2]) : nullptr;
    const Tensor* k = idx.constant(other);
    const bool bias_ok = !conv.has_input(2) || (bias && bias->dtype() == DType::f32 && bias->numel() == w->dim(0));
    if (k && w->dtype() == DType::f32 && w->rank() >= 2 && bias_ok && per_channel(*k, w->rank(), w->dim(0))) {
      m.add_bias = k;
    } else if (!k && other != m.out) {
      const Shape* rs = idx.shape(other);
      const Shape* os = idx.shape(m.out);
      if (!rs || !os || *rs != *os) return std::nullopt;
      m.residual = other;
    } else {
      return std::nullopt;  // a constant the kernel cannot add: the Add stays a node
    }
    m.absorbed.push_back(c);
    m.out = add.outputs[0];
    c = idx.single_consumer(m.out);
  }
  if (m.residual.empty() && match_silu(idx, m)) return m;
  if (c >= 0 && (is_op(idx.node(c), "HardSwish") || is_op(idx.node(c), "Relu"))) {  // HardSwish: MobileNetV3
    m.activation = idx.node(c).op_type;
    m.absorbed.push_back(c);
    m.out = idx.node(c).outputs[0];
  } else if (c >= 0 && is_op(idx.node(c), "Clip")) {
    const Node& clip = idx.node(c);
    m.lo = clip.has_input(1) ? idx.constant_scalar(clip.inputs[1]) : clip.attr_float("min", -INFINITY);
    m.hi = clip.has_input(2) ? idx.constant_scalar(clip.inputs[2]) : clip.attr_float("max", INFINITY);
    if (!std::isnan(m.lo) && !std::isnan(m.hi)) {
      m.activation = "Clip";
      m.absorbed.push_back(c);
      m.out = clip.outputs[0];
    }
  }
  if (m.absorbed.empty()) return std::nullopt;
  return m;
}

// The convolution's bias plus the per-channel constant, in float as the unfused Add computes.
Tensor folded_bias(const Tensor* bias, const Tensor& add, int64_t channels) {
  Tensor b = Tensor::empty(DType::f32, {channels});
  for (int64_t k = 0; k < channels; ++k)
    b.data<float>()[k] = (bias ? bias->data<float>()[k] : 0.f) + add.data<float>()[add.numel() == 1 ? 0 : k];
  return b;
}

void rewrite(Rewriter& rw, const ConvEpilogue& m) {
  Node conv = rw.node(m.conv);
  conv.domain = kEcoDomain;
  conv.op_type = "FusedConv";
  conv.inputs.resize(3);  // X, W, B ("" when absent), then the residual
  if (m.add_bias) {
    const int64_t channels = rw.constant(conv.inputs[1])->dim(0);
    const std::string name = rw.fresh_name(conv.name + ".bias_folded");
    rw.set_constant(name, folded_bias(conv.inputs[2].empty() ? nullptr : rw.constant(conv.inputs[2]), *m.add_bias, channels));
    conv.inputs[2] = name;
  }
  if (!m.residual.empty()) conv.inputs.push_back(m.residual);
  conv.outputs = {m.out};
  Attribute act;
  act.kind = Attribute::Kind::s;
  act.s = m.activation;
  conv.attrs["activation"] = act;
  if (m.activation == "Clip") {
    conv.attrs["clip_min"] = Attribute{Attribute::Kind::f, 0, m.lo};
    conv.attrs["clip_max"] = Attribute{Attribute::Kind::f, 0, m.hi};
  }
  rw.fuse(m.conv, m.absorbed, std::move(conv));
}

}  // namespace

Pass fuse_conv_epilogue_pass() {
  return make_pass<ConvEpilogue>("fuse_conv_epilogue",
                                 "Conv [+ residual Add, or a per-channel Add into the bias] [+ Relu/Clip/HardSwish], or + SiLU, "
                                 "becomes FusedConv",
                                 match, rewrite);
}

}  // namespace ecoinfer::passes
