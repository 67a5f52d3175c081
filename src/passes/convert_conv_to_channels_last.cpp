// Conv / FusedConv (2-D, dense or depthwise, at least 8 output channels) runs in NHWC when
// the graph has two or more of them and the Transposes mostly cancel (see below).
// oneDNN's fastest AVX-512 convolutions for these shapes take channels-last activations
// (it picks NHWC itself when asked for the best layout), and an NCHW tensor costs a
// reorder on the way in and one on the way out of every convolution. The rewrite sets
// `channels_last` on the FusedConv (X, the residual and Y are then NHWC) and wraps it in
// Transposes; cancel_transposes removes the pairs that meet between consecutive convs,
// so a chain of convolutions stays NHWC and converts only at its ends.
#include "ops/fused_epilogue.h"
#include "passes/pass.h"

namespace ecoinfer::passes {

namespace {

const std::vector<int64_t> kToNhwc{0, 2, 3, 1};
const std::vector<int64_t> kToNchw{0, 3, 1, 2};

bool qualifies(const Graph& g, const Node& n) {
  const bool conv = is_op(n, "Conv");
  const bool fused = n.op_type == "FusedConv" && n.domain == "com.ecoinfer";
  if (!(conv || fused) || n.attr_int("channels_last", 0) != 0) return false;
  if (n.inputs.size() < 2 || n.outputs.size() != 1) return false;
  const Tensor* w = g.initializer(n.inputs[1]);
  if (!w || w->rank() != 4) return false;
  // Dense or depthwise (one filter per channel, MobileNet/EfficientNet): oneDNN has NHWC
  // kernels for both. Other grouped convolutions stay NCHW.
  const int64_t groups = n.attr_int("group", 1);
  if (groups != 1 && !(groups == w->dim(0) && w->dim(1) == 1)) return false;
  if (n.attr_string("auto_pad", "NOTSET") != "NOTSET") return false;
  const std::string act = n.attr_string("activation", "");
  if (!ops::conv_activation_in_dnnl(act)) return false;
  return w->dim(0) >= 8;
}

}  // namespace

int cancel_transposes(Graph& g);
int eliminate_dead_nodes(Graph& g);

namespace {

int count_transposes(const Graph& g) {
  int n = 0;
  for (auto& node : g.nodes) n += is_op(node, "Transpose");
  return n;
}

int convert(Graph& g);

}  // namespace

// Converts on a copy and keeps the result only when the Transposes left after cancellation
// are few: a network whose convolutions are separated by ops the Transposes cannot cross
// (depthwise convolutions, squeeze-and-excitation products) would pay two copies per gap.
int convert_conv_to_channels_last(Graph& g) {
  Graph trial = g;
  const int converted = convert(trial);
  if (converted == 0) return 0;
  cancel_transposes(trial);
  eliminate_dead_nodes(trial);
  const int added = count_transposes(trial) - count_transposes(g);
  if (added > 2 + converted / 8) return 0;
  g = std::move(trial);
  return converted;
}

namespace {

int convert(Graph& g) {
  std::vector<Node> added;
  ValueNames names(g);
  Attribute channels_last;
  channels_last.kind = Attribute::Kind::i;
  channels_last.i = 1;
  // A lone convolution (a ViT's patch embedding) would only gain two Transposes.
  int candidates = 0;
  for (auto& node : g.nodes) candidates += qualifies(g, node);
  if (candidates < 2) return 0;
  int n = 0;
  for (size_t k = 0; k < g.nodes.size(); ++k) {
    if (!qualifies(g, g.nodes[k])) continue;
    for (size_t i : {size_t{0}, size_t{3}}) {
      if (i >= g.nodes[k].inputs.size() || g.nodes[k].inputs[i].empty()) continue;
      const std::string nhwc = names.fresh(g.nodes[k].inputs[i] + "_nhwc");
      added.push_back(make_transpose(g.nodes[k].inputs[i], nhwc, kToNhwc));
      g.nodes[k].inputs[i] = nhwc;
    }
    Node& conv = g.nodes[k];
    const std::string out = conv.outputs[0];
    const std::string nhwc = names.fresh(out + "_nhwc");
    added.push_back(make_transpose(nhwc, out, kToNchw));
    conv.outputs[0] = nhwc;
    conv.domain = "com.ecoinfer";
    conv.op_type = "FusedConv";  // a plain Conv becomes a FusedConv without epilogue
    conv.attrs["channels_last"] = channels_last;
    ++n;
  }
  for (auto& a : added) g.nodes.push_back(std::move(a));
  if (n) compact(g);
  return n;
}

}  // namespace

}  // namespace ecoinfer::passes
