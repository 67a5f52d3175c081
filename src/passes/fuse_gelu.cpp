// The exact GELU as PyTorch exports it (opset < 20), x * 0.5 * (1 + erf(x / sqrt(2))),
// becomes one Gelu node (approximate = "none"). The scaling is Div(x, √2) or a Mul by 1/√2,
// and every Mul and Add may take its operands in either order. The three products found in
// exports are matched: (x * (1 + erf)) * 0.5, (x * 0.5) * (1 + erf) and x * ((1 + erf) * 0.5).
#include <cmath>

#include "passes/pass.h"

namespace ecoinfer::passes {

namespace {

struct GeluMatch {
  int erf;
  std::string x, out;
  std::vector<int> absorbed;  // the other nodes of the pattern
};

bool near(float v, double want) { return std::abs(v - want) <= 1e-4 * std::abs(want); }

// `n` is Mul(v, c) or Mul(c, v) with c a constant near `want`.
bool mul_by(const GraphIndex& idx, const Node& n, const std::string& v, double want) {
  return is_op(n, "Mul") && (n.inputs[0] == v || n.inputs[1] == v) && near(idx.constant_scalar(other_input(n, v)), want);
}

// The only consumer of `v` when it is a Mul, else -1.
int only_mul(const GraphIndex& idx, const std::string& v) {
  const int c = idx.single_consumer(v);
  return c >= 0 && is_op(idx.node(c), "Mul") ? c : -1;
}

std::optional<GeluMatch> match(const GraphIndex& idx, int i) {
  const Node& erf = idx.node(i);
  if (!is_op(erf, "Erf")) return std::nullopt;
  const int s = idx.producer(erf.inputs[0]);
  if (s < 0 || idx.single_consumer(erf.inputs[0]) < 0) return std::nullopt;
  const Node& scale = idx.node(s);
  GeluMatch m{i, "", "", {s}};
  if (is_op(scale, "Div") && near(idx.constant_scalar(scale.inputs[1]), std::sqrt(2.0))) {
    m.x = scale.inputs[0];
  } else if (is_op(scale, "Mul")) {
    for (int k = 0; k < 2 && m.x.empty(); ++k)
      if (near(idx.constant_scalar(scale.inputs[k]), 1 / std::sqrt(2.0))) m.x = scale.inputs[1 - k];
  }
  if (m.x.empty()) return std::nullopt;
  const int a = idx.single_consumer(erf.outputs[0]);
  if (a < 0 || !is_op(idx.node(a), "Add") || !near(idx.constant_scalar(other_input(idx.node(a), erf.outputs[0])), 1.0))
    return std::nullopt;
  m.absorbed.push_back(a);
  const std::string& one_plus_erf = idx.node(a).outputs[0];
  const int m1 = only_mul(idx, one_plus_erf);
  if (m1 < 0) return std::nullopt;
  const Node& mul1 = idx.node(m1);
  m.absorbed.push_back(m1);
  const std::string& m1_other = other_input(mul1, one_plus_erf);
  if (m1_other == m.x || near(idx.constant_scalar(m1_other), 0.5)) {
    // (x * (1 + erf)) * 0.5, or x * ((1 + erf) * 0.5): the second Mul brings what the first lacks.
    const int m2 = only_mul(idx, mul1.outputs[0]);
    if (m2 < 0) return std::nullopt;
    const Node& mul2 = idx.node(m2);
    const std::string& m2_other = other_input(mul2, mul1.outputs[0]);
    if (m1_other == m.x ? !near(idx.constant_scalar(m2_other), 0.5) : m2_other != m.x) return std::nullopt;
    m.absorbed.push_back(m2);
    m.out = mul2.outputs[0];
  } else {
    // (x * 0.5) * (1 + erf)
    const int h = idx.producer(m1_other);
    if (h < 0 || !mul_by(idx, idx.node(h), m.x, 0.5) || idx.single_consumer(m1_other) < 0) return std::nullopt;
    m.absorbed.push_back(h);
    m.out = mul1.outputs[0];
  }
  return m;
}

void rewrite(Rewriter& rw, const GeluMatch& m) {
  rw.fuse(m.erf, m.absorbed, make_node("Gelu", rw.node(m.erf).name + "_gelu", {m.x}, {m.out}));
}

}  // namespace

Pass fuse_gelu_pass() {
  return make_pass<GeluMatch>("fuse_gelu", "the erf GELU pattern becomes one Gelu", match, rewrite);
}

}  // namespace ecoinfer::passes
