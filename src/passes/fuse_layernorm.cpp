// LayerNorm as exporters decompose it below opset 17:
//   m = ReduceMean(x, -1); d = x - m; v = ReduceMean(Pow(d, 2), -1);
//   y = d / Sqrt(v + eps) [* scale] [+ bias]
// becomes one LayerNormalization(x, scale, bias, axis = -1, epsilon = eps).
#include <cmath>

#include "passes/pass.h"

namespace ecoinfer::passes {

namespace {

struct LayerNormMatch {
  int div;
  std::string x, scale, bias, out;
  float eps;
  std::vector<int> absorbed;  // every other node of the pattern
};

// ReduceMean over the last axis only, keepdims on (axes as attribute, or constant input).
bool mean_over_last_axis(const GraphIndex& idx, const Node* n) {
  if (!n || !is_op(*n, "ReduceMean") || n->attr_int("keepdims", 1) != 1) return false;
  std::vector<int64_t> axes = n->attr_ints("axes", {});
  if (n->has_input(1)) {
    const Tensor* t = idx.constant(n->inputs[1]);
    if (!t) return false;
    axes = t->to_i64_vector();
  }
  return axes == std::vector<int64_t>{-1};
}

std::optional<LayerNormMatch> match(const GraphIndex& idx, int i) {
  const Node& div = idx.node(i);
  if (!is_op(div, "Div")) return std::nullopt;
  const Node* sub = idx.producer_op(div.inputs[0], "Sub");
  const Node* sqrt = idx.producer_op(div.inputs[1], "Sqrt");
  if (!sub || !sqrt) return std::nullopt;
  const Node* mean = idx.producer_op(sub->inputs[1], "ReduceMean");
  if (!mean_over_last_axis(idx, mean) || mean->inputs[0] != sub->inputs[0]) return std::nullopt;
  const Node* add_eps = idx.producer_op(sqrt->inputs[0], "Add");
  if (!add_eps) return std::nullopt;
  const float eps = idx.constant_scalar(add_eps->inputs[1]);
  const Node* var = idx.producer_op(add_eps->inputs[0], "ReduceMean");
  if (std::isnan(eps) || !mean_over_last_axis(idx, var)) return std::nullopt;
  const Node* pow = idx.producer_op(var->inputs[0], "Pow");
  if (!pow || pow->inputs[0] != sub->outputs[0] || idx.constant_scalar(pow->inputs[1]) != 2.f) return std::nullopt;
  // Every intermediate feeds only the pattern (d feeds Pow and Div).
  if (idx.is_graph_output(sub->outputs[0]) || idx.consumers(sub->outputs[0]).size() != 2 ||
      idx.single_consumer(mean->outputs[0]) < 0 || idx.single_consumer(pow->outputs[0]) < 0 ||
      idx.single_consumer(var->outputs[0]) < 0 || idx.single_consumer(add_eps->outputs[0]) < 0 ||
      idx.single_consumer(sqrt->outputs[0]) < 0)
    return std::nullopt;
  LayerNormMatch m{i, sub->inputs[0], "", "", div.outputs[0], eps, {}};
  for (const Node* n : {sub, sqrt, mean, add_eps, var, pow}) m.absorbed.push_back(idx.producer(n->outputs[0]));
  // Affine tail: Mul(scale) then optionally Add(bias), both constant 1-D.
  int c = idx.single_consumer(m.out);
  if (c < 0 || !is_op(idx.node(c), "Mul")) return std::nullopt;  // the normalised width is only known from the scale
  const Node& mul = idx.node(c);
  const std::string& s = other_input(mul, m.out);
  const Tensor* st = idx.constant(s);
  if (!st || st->rank() != 1 || st->dtype() != DType::f32) return std::nullopt;
  m.scale = s;
  m.absorbed.push_back(c);
  m.out = mul.outputs[0];
  c = idx.single_consumer(m.out);
  if (c >= 0 && is_op(idx.node(c), "Add")) {
    const Node& add = idx.node(c);
    const std::string& b = other_input(add, m.out);
    const Tensor* bt = idx.constant(b);
    if (bt && bt->rank() == 1 && bt->dtype() == DType::f32 && bt->dim(0) == st->dim(0)) {
      m.bias = b;
      m.absorbed.push_back(c);
      m.out = add.outputs[0];
    }
  }
  return m;
}

void rewrite(Rewriter& rw, const LayerNormMatch& m) {
  Node ln = make_node("LayerNormalization", rw.node(m.div).name + "_layernorm", {m.x, m.scale}, {m.out});
  if (!m.bias.empty()) ln.inputs.push_back(m.bias);
  ln.attrs["axis"] = Attribute{Attribute::Kind::i, -1};
  ln.attrs["epsilon"] = Attribute{Attribute::Kind::f, 0, m.eps};
  rw.fuse(m.div, m.absorbed, std::move(ln));
}

}  // namespace

Pass fuse_layernorm_pass() {
  return make_pass<LayerNormMatch>("fuse_layernorm", "the decomposed LayerNorm (opset < 17 exports) becomes LayerNormalization",
                                   match, rewrite);
}

}  // namespace ecoinfer::passes
