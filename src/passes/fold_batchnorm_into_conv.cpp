// Conv -> BatchNormalization (inference) becomes one Conv with scaled weights and a new
// bias: w' = w * s, b' = (b - mean) * s + beta, s = gamma / sqrt(var + eps), per output
// channel, computed in double. The Conv's output must feed only the BN. New initializers
// are created, so weights shared with other nodes are never modified.
#include <algorithm>
#include <cmath>

#include "passes/pass.h"

namespace ecoinfer::passes {

namespace {

struct ConvBn {
  int conv, bn;
  const Tensor *w, *b;       // b: nullptr when the Conv has no bias
  const Tensor* params[4];   // scale, B, mean, var
};

std::optional<ConvBn> match(const GraphIndex& idx, int i) {
  const Node& conv = idx.node(i);
  if (!is_op(conv, "Conv") || conv.inputs.size() < 2) return std::nullopt;
  ConvBn m{i, -1, idx.constant(conv.inputs[1]), conv.has_input(2) ? idx.constant(conv.inputs[2]) : nullptr, {}};
  if (!m.w || m.w->dtype() != DType::f32 || m.w->rank() < 1 || (conv.has_input(2) && !m.b)) return std::nullopt;
  m.bn = idx.single_consumer(conv.outputs[0]);
  if (m.bn < 0) return std::nullopt;
  const Node& bn = idx.node(m.bn);
  if (!is_op(bn, "BatchNormalization") || bn.inputs.size() < 5 || bn.inputs[0] != conv.outputs[0]) return std::nullopt;
  if (std::any_of(bn.outputs.begin() + 1, bn.outputs.end(), [](auto& o) { return !o.empty(); })) return std::nullopt;
  if (bn.attr_int("training_mode", 0) != 0) return std::nullopt;
  for (int k = 0; k < 4; ++k) {
    m.params[k] = idx.constant(bn.inputs[k + 1]);
    if (!m.params[k] || m.params[k]->dtype() != DType::f32 || m.params[k]->numel() != m.w->dim(0)) return std::nullopt;
  }
  return m;
}

void rewrite(Rewriter& rw, const ConvBn& m) {
  Node conv = rw.node(m.conv);
  const Node& bn = rw.node(m.bn);
  const Tensor& w = *m.w;
  const int64_t oc = w.dim(0), per = w.numel() / std::max<int64_t>(oc, 1);
  const float eps = bn.attr_float("epsilon", 1e-5f);
  const float* gamma = m.params[0]->data<float>();
  const float* beta = m.params[1]->data<float>();
  const float* mean = m.params[2]->data<float>();
  const float* var = m.params[3]->data<float>();
  Tensor nw = Tensor::empty(DType::f32, w.shape());
  Tensor nb = Tensor::empty(DType::f32, {oc});
  for (int64_t k = 0; k < oc; ++k) {
    const double s = gamma[k] / std::sqrt(double(var[k]) + eps);
    for (int64_t i = 0; i < per; ++i) nw.data<float>()[k * per + i] = static_cast<float>(w.data<float>()[k * per + i] * s);
    const double bias = m.b ? m.b->data<float>()[k] : 0.0;
    nb.data<float>()[k] = static_cast<float>((bias - mean[k]) * s + beta[k]);
  }
  const std::string wn = rw.fresh_name(conv.inputs[1] + "_bnfolded"), bname = rw.fresh_name(conv.name + ".bias_bnfolded");
  rw.set_constant(wn, std::move(nw));
  rw.set_constant(bname, std::move(nb));
  conv.inputs.resize(3);
  conv.inputs[1] = wn;
  conv.inputs[2] = bname;
  conv.outputs[0] = bn.outputs[0];
  rw.fuse(m.conv, {m.bn}, std::move(conv));
}

}  // namespace

Pass fold_batchnorm_into_conv_pass() {
  return make_pass<ConvBn>("fold_batchnorm_into_conv", "Conv -> BatchNormalization becomes one Conv", match, rewrite);
}

}  // namespace ecoinfer::passes
