// Conv -> BatchNormalization (inference) becomes one Conv with scaled weights and a new
// bias: w' = w * s, b' = (b - mean) * s + beta, s = gamma / sqrt(var + eps), per output
// channel, computed in double. The Conv's output must feed only the BN. New initializers
// are created, so weights shared with other nodes are never modified.
#include <cmath>

#include "passes/pass.h"

namespace ecoinfer::passes {

int fold_batchnorm_into_conv(Graph& g) {
  GraphIndex idx(g);
  int n = 0;
  for (Node& conv : g.nodes) {
    if (conv.op_type != "Conv" || !conv.domain.empty() || conv.inputs.size() < 2) continue;
    const Tensor* w = g.initializer(conv.inputs[1]);
    const Tensor* b = conv.has_input(2) ? g.initializer(conv.inputs[2]) : nullptr;
    if (!w || w->dtype() != DType::f32 || (conv.has_input(2) && !b)) continue;
    const int c = idx.single_consumer(conv.outputs[0]);
    if (c < 0) continue;
    Node& bn = g.nodes[c];
    if (bn.op_type != "BatchNormalization" || !bn.domain.empty() || bn.inputs[0] != conv.outputs[0]) continue;
    if (bn.outputs.size() > 1 && std::any_of(bn.outputs.begin() + 1, bn.outputs.end(), [](auto& o) { return !o.empty(); }))
      continue;
    if (bn.attr_int("training_mode", 0) != 0) continue;
    const Tensor* p[4];
    bool ok = true;
    for (int i = 0; i < 4; ++i) {
      p[i] = g.initializer(bn.inputs[i + 1]);
      ok &= p[i] && p[i]->dtype() == DType::f32 && p[i]->numel() == w->dim(0);
    }
    if (!ok) continue;
    const int64_t oc = w->dim(0), per = w->numel() / oc;
    const float eps = bn.attr_float("epsilon", 1e-5f);
    Tensor nw = Tensor::empty(DType::f32, w->shape());
    Tensor nb = Tensor::empty(DType::f32, {oc});
    for (int64_t k = 0; k < oc; ++k) {
      const double s = p[0]->data<float>()[k] / std::sqrt(double(p[3]->data<float>()[k]) + eps);
      for (int64_t i = 0; i < per; ++i) nw.data<float>()[k * per + i] = static_cast<float>(w->data<float>()[k * per + i] * s);
      const double bias = b ? b->data<float>()[k] : 0.0;
      nb.data<float>()[k] = static_cast<float>((bias - p[2]->data<float>()[k]) * s + p[1]->data<float>()[k]);
    }
    const std::string wn = fresh_name(g, conv.inputs[1] + "_bnfolded"), bname = fresh_name(g, conv.name + ".bias_bnfolded");
    g.initializers[wn] = std::move(nw);
    g.initializers[bname] = std::move(nb);
    conv.inputs.resize(3);
    conv.inputs[1] = wn;
    conv.inputs[2] = bname;
    conv.outputs[0] = bn.outputs[0];
    bn.op_type.clear();
    ++n;
  }
  if (n) compact(g);
  return n;
}

}  // namespace ecoinfer::passes
