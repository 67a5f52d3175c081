// Conv / FusedConv (2-D, dense or depthwise, at least 8 output channels) runs in NHWC when
// the graph has two or more of them and the Transposes mostly cancel (see below).
// oneDNN's fastest AVX-512 convolutions for these shapes take channels-last activations
// (it picks NHWC itself when asked for the best layout), and an NCHW tensor costs a
// reorder on the way in and one on the way out of every convolution. The rewrite sets
// `channels_last` on the FusedConv (X, the residual and Y are then NHWC) and wraps it in
// Transposes; cancel_transposes removes the pairs that meet between consecutive convs,
// so a chain of convolutions stays NHWC and converts only at its ends.
//
// The driver tries the rewrite on a copy, runs cancel_transposes and eliminate_dead_nodes
// there, and keeps the copy only when the Transposes left are few: a network whose
// convolutions are separated by ops the Transposes cannot cross (depthwise convolutions,
// squeeze-and-excitation products) would pay two copies per gap. With cancel_transposes
// disabled nothing cancels, so no convolution is converted.
#include "ops/fused_epilogue.h"
#include "passes/pass.h"

namespace ecoinfer::passes {

namespace {

const std::vector<int64_t> kToNhwc{0, 2, 3, 1};
const std::vector<int64_t> kToNchw{0, 3, 1, 2};

std::optional<int> match(const GraphIndex& idx, int i) {
  const Node& n = idx.node(i);
  const bool conv = is_op(n, "Conv");
  const bool fused = n.op_type == "FusedConv" && n.domain == kEcoDomain;
  if (!(conv || fused) || n.attr_int("channels_last", 0) != 0) return std::nullopt;
  if (n.inputs.size() < 2 || n.outputs.size() != 1) return std::nullopt;
  const Tensor* w = idx.constant(n.inputs[1]);
  if (!w || w->rank() != 4) return std::nullopt;
  // Dense or depthwise (one filter per channel, MobileNet/EfficientNet): oneDNN has NHWC
  // kernels for both. Other grouped convolutions stay NCHW.
  const int64_t groups = n.attr_int("group", 1);
  if (groups != 1 && !(groups == w->dim(0) && w->dim(1) == 1)) return std::nullopt;
  if (n.attr_string("auto_pad", "NOTSET") != "NOTSET") return std::nullopt;
  if (!ops::conv_activation_in_dnnl(n.attr_string("activation", ""))) return std::nullopt;
  if (w->dim(0) < 8) return std::nullopt;
  return i;
}

void rewrite(Rewriter& rw, const int& i) {
  Node conv = rw.node(i);
  for (size_t k : {size_t{0}, size_t{3}}) {  // X and the residual
    if (!conv.has_input(k)) continue;
    const std::string nhwc = rw.fresh_name(conv.inputs[k] + "_nhwc");
    rw.add(make_transpose(conv.inputs[k], nhwc, kToNhwc));
    conv.inputs[k] = nhwc;
  }
  const std::string out = conv.outputs[0];
  const std::string nhwc = rw.fresh_name(out + "_nhwc");
  conv.outputs[0] = nhwc;
  conv.domain = kEcoDomain;
  conv.op_type = "FusedConv";  // a plain Conv becomes a FusedConv without epilogue
  conv.attrs["channels_last"] = Attribute{Attribute::Kind::i, 1};
  rw.replace(i, std::move(conv));
  rw.add(make_transpose(nhwc, out, kToNchw));
}

int count_transposes(const Graph& g) {
  int n = 0;
  for (auto& node : g.nodes) n += is_op(node, "Transpose");
  return n;
}

// A lone convolution (a ViT's patch embedding) would only gain two Transposes; otherwise at
// most 2 + convs/8 Transposes may remain.
bool accept(const Graph& before, const Graph& after, int converted) {
  return converted >= 2 && count_transposes(after) - count_transposes(before) <= 2 + converted / 8;
}

}  // namespace

Pass convert_conv_to_channels_last_pass() {
  return make_pass<int>("convert_conv_to_channels_last", "2-D convolutions with >= 8 channels run NHWC between Transposes", match,
                        rewrite, Pass::Trial{{"cancel_transposes", "eliminate_dead_nodes"}, accept});
}

}  // namespace ecoinfer::passes
