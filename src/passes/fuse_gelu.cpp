// The exact GELU as PyTorch exports it (opset < 20): x * 0.5 * (1 + erf(x / sqrt(2))),
// in any of its orderings Mul(Mul(x, Add(Erf(Div(x, 1.414..)), 1)), 0.5) or
// Mul(Mul(x, 0.5), Add(...)), becomes one Gelu node (approximate = "none").
#include <cmath>

#include "passes/pass.h"

namespace ecoinfer::passes {

namespace {
bool near(float v, double want) { return std::abs(v - want) <= 1e-4 * std::abs(want); }
// The operand of a binary node that is not `v`.
const std::string& other(const Node& n, const std::string& v) { return n.inputs[0] == v ? n.inputs[1] : n.inputs[0]; }
}  // namespace

int fuse_gelu(Graph& g) {
  GraphIndex idx(g);
  int n = 0;
  for (Node& erf : g.nodes) {
    if (!is_op(erf, "Erf")) continue;
    auto p = idx.producer.find(erf.inputs[0]);
    if (p == idx.producer.end()) continue;
    Node& div = g.nodes[p->second];
    std::string x;
    if (is_op(div, "Div") && near(constant_scalar(g, div.inputs[1]), std::sqrt(2.0))) x = div.inputs[0];
    else if (is_op(div, "Mul") && near(constant_scalar(g, other(div, div.inputs[0])), 1 / std::sqrt(2.0)))
      x = g.is_initializer(div.inputs[0]) ? div.inputs[1] : div.inputs[0];
    else continue;
    if (idx.single_consumer(div.outputs[0]) < 0) continue;
    const int a = idx.single_consumer(erf.outputs[0]);
    if (a < 0 || !is_op(g.nodes[a], "Add") || !near(constant_scalar(g, other(g.nodes[a], erf.outputs[0])), 1.0)) continue;
    Node& add = g.nodes[a];
    const int m1 = idx.single_consumer(add.outputs[0]);
    if (m1 < 0 || !is_op(g.nodes[m1], "Mul")) continue;
    Node& mul1 = g.nodes[m1];
    const std::string& m1_other = other(mul1, add.outputs[0]);
    Node* half = nullptr;
    std::string out;
    if (m1_other == x) {
      // (x * (1 + erf)) * 0.5
      const int m2 = idx.single_consumer(mul1.outputs[0]);
      if (m2 < 0 || !is_op(g.nodes[m2], "Mul") || !near(constant_scalar(g, other(g.nodes[m2], mul1.outputs[0])), 0.5)) continue;
      half = &g.nodes[m2];
      out = half->outputs[0];
    } else {
      // (x * 0.5) * (1 + erf)
      auto hp = idx.producer.find(m1_other);
      if (hp == idx.producer.end()) continue;
      half = &g.nodes[hp->second];
      if (!is_op(*half, "Mul") || other(*half, x) == x || !near(constant_scalar(g, other(*half, x)), 0.5) ||
          (half->inputs[0] != x && half->inputs[1] != x) || idx.single_consumer(half->outputs[0]) < 0)
        continue;
      out = mul1.outputs[0];
    }
    // Rewrite: the last node becomes Gelu(x); the rest go.
    Node gelu;
    gelu.name = erf.name + "_gelu";
    gelu.op_type = "Gelu";
    gelu.inputs = {x};
    gelu.outputs = {out};
    for (Node* dead : {&div, &add, &mul1, half}) dead->op_type.clear();
    erf = std::move(gelu);
    ++n;
  }
  if (n) compact(g);
  return n;
}

}  // namespace ecoinfer::passes
