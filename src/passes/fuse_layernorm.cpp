// LayerNorm as exporters decompose it below opset 17:
//   m = ReduceMean(x, -1); d = x - m; v = ReduceMean(Pow(d, 2), -1);
//   y = d / Sqrt(v + eps) [* scale] [+ bias]
// becomes one LayerNormalization(x, scale, bias, axis = -1, epsilon = eps).
#include <cmath>

#include "passes/pass.h"

namespace ecoinfer::passes {

namespace {

// ReduceMean over the last axis only, keepdims on (axes as attribute, or constant input).
bool mean_over_last_axis(const Graph& g, const Node& n) {
  if (!is_op(n, "ReduceMean") || n.attr_int("keepdims", 1) != 1) return false;
  std::vector<int64_t> axes = n.attr_ints("axes", {});
  if (n.has_input(1)) {
    const Tensor* t = g.initializer(n.inputs[1]);
    if (!t) return false;
    axes = t->to_i64_vector();
  }
  return axes == std::vector<int64_t>{-1};
}

const Node* producer_of(const Graph& g, const GraphIndex& idx, const std::string& v) {
  auto it = idx.producer.find(v);
  return it == idx.producer.end() ? nullptr : &g.nodes[it->second];
}
}  // namespace

int fuse_layernorm(Graph& g) {
  GraphIndex idx(g);
  int n = 0;
  for (Node& div : g.nodes) {
    if (!is_op(div, "Div")) continue;
    const Node* sub = producer_of(g, idx, div.inputs[0]);
    const Node* sqrt = producer_of(g, idx, div.inputs[1]);
    if (!sub || !sqrt || !is_op(*sub, "Sub") || !is_op(*sqrt, "Sqrt")) continue;
    const Node* mean = producer_of(g, idx, sub->inputs[1]);
    if (!mean || !mean_over_last_axis(g, *mean) || mean->inputs[0] != sub->inputs[0]) continue;
    const std::string x = sub->inputs[0];
    const Node* add_eps = producer_of(g, idx, sqrt->inputs[0]);
    if (!add_eps || !is_op(*add_eps, "Add")) continue;
    const float eps = constant_scalar(g, add_eps->inputs[1]);
    const Node* var = producer_of(g, idx, add_eps->inputs[0]);
    if (std::isnan(eps) || !var || !mean_over_last_axis(g, *var)) continue;
    const Node* pow = producer_of(g, idx, var->inputs[0]);
    if (!pow || !is_op(*pow, "Pow") || pow->inputs[0] != sub->outputs[0] || constant_scalar(g, pow->inputs[1]) != 2.f) continue;
    // Every intermediate feeds only the pattern (d feeds Pow and Div).
    auto uses = [&](const std::string& v) { auto it = idx.consumers.find(v); return it == idx.consumers.end() ? 0 : it->second.size(); };
    if (idx.is_graph_output.count(sub->outputs[0]) || uses(sub->outputs[0]) != 2 || uses(mean->outputs[0]) != 1 ||
        uses(pow->outputs[0]) != 1 || idx.single_consumer(var->outputs[0]) < 0 || idx.single_consumer(add_eps->outputs[0]) < 0 ||
        idx.single_consumer(sqrt->outputs[0]) < 0)
      continue;
    // Optional affine tail: Mul(scale) then Add(bias), both constant 1-D.
    std::string out = div.outputs[0], scale, bias;
    std::vector<Node*> tail;
    int c = idx.single_consumer(out);
    if (c >= 0 && is_op(g.nodes[c], "Mul")) {
      Node& mul = g.nodes[c];
      const std::string& s = mul.inputs[0] == out ? mul.inputs[1] : mul.inputs[0];
      const Tensor* st = g.initializer(s);
      if (st && st->rank() == 1 && st->dtype() == DType::f32) {
        scale = s;
        tail.push_back(&mul);
        out = mul.outputs[0];
        c = idx.single_consumer(out);
        if (c >= 0 && is_op(g.nodes[c], "Add")) {
          Node& add = g.nodes[c];
          const std::string& b = add.inputs[0] == out ? add.inputs[1] : add.inputs[0];
          const Tensor* bt = g.initializer(b);
          if (bt && bt->rank() == 1 && bt->dtype() == DType::f32 && bt->dim(0) == st->dim(0)) {
            bias = b;
            tail.push_back(&add);
            out = add.outputs[0];
          }
        }
      }
    }
    if (scale.empty()) continue;  // the normalised width is only known from the scale
    Node ln;
    ln.name = div.name + "_layernorm";
    ln.op_type = "LayerNormalization";
    ln.inputs = {x, scale};
    if (!bias.empty()) ln.inputs.push_back(bias);
    ln.outputs = {out};
    ln.attrs["axis"] = Attribute{Attribute::Kind::i, -1};
    ln.attrs["epsilon"] = Attribute{Attribute::Kind::f, 0, eps};
    for (const Node* dead : {sub, sqrt, mean, add_eps, var, pow}) const_cast<Node*>(dead)->op_type.clear();
    for (Node* t : tail) t->op_type.clear();
    div = std::move(ln);
    ++n;
  }
  if (n) compact(g);
  return n;
}

}  // namespace ecoinfer::passes
