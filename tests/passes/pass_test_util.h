#pragma once
// Helpers for the pass tests: small graphs built node by node, one pass run under the
// driver, and the original and rewritten graphs run through the eager executor on the same
// seeded inputs.
#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "ops/op_cases.h"
#include "passes/pass.h"
#include "runtime/executor.h"
#include "test_paths.h"

namespace ecoinfer::test {

struct GraphBuilder {
  Graph g;
  explicit GraphBuilder(int64_t opset = 17) { g.opset = opset; }
  // A float32 graph input of fixed shape.
  GraphBuilder& input(const std::string& name, const Shape& shape) {
    ValueInfo v{name, DType::f32, {}, true};
    for (int64_t d : shape) v.shape.push_back(Dim{d, ""});
    g.inputs.push_back(v);
    return *this;
  }
  GraphBuilder& constant(const std::string& name, Tensor t) {
    g.initializers[name] = std::move(t);
    return *this;
  }
  GraphBuilder& scalar(const std::string& name, float v) { return constant(name, Tensor::from<float>(Shape{}, std::vector<float>{v})); }
  // op(inputs) -> outputs, named after its first output.
  GraphBuilder& node(const std::string& op, std::vector<std::string> inputs, std::vector<std::string> outputs,
                     std::map<std::string, Attribute> attrs = {}, const std::string& domain = "") {
    Node n;
    n.op_type = op;
    n.domain = domain;
    n.name = outputs.empty() ? op : outputs[0];
    n.inputs = std::move(inputs);
    n.outputs = std::move(outputs);
    n.attrs = std::move(attrs);
    g.nodes.push_back(std::move(n));
    return *this;
  }
  GraphBuilder& output(const std::string& name) {
    g.outputs.push_back(ValueInfo{name, DType::f32, {}, false});
    return *this;
  }
  // The graph, verified (and sorted).
  Graph build() {
    Graph out = g;
    verify_graph(out);
    return out;
  }
};

inline Attribute attr_float(float v) { return Attribute{Attribute::Kind::f, 0, v}; }
inline Attribute attr_int(int64_t v) { return Attribute{Attribute::Kind::i, v}; }

inline const passes::Pass& pass_named(const std::string& name) {
  const passes::Pass* p = passes::find_pass(name);
  if (!p) throw std::runtime_error("no pass " + name);
  return *p;
}

// The index of the node named `name`, or -1.
inline int node_index(const Graph& g, const std::string& name) {
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (g.nodes[i].name == name) return static_cast<int>(i);
  return -1;
}

// Whether `pass`'s condition holds at the node named `name` (shapes: known value shapes).
inline bool matches_at(const Graph& g, const std::string& pass, const std::string& name,
                       const passes::ValueShapes* shapes = nullptr) {
  const int i = node_index(g, name);
  if (i < 0) throw std::runtime_error("no node " + name);
  passes::GraphIndex idx(g, shapes);
  return pass_named(pass).matches(idx, i);
}

// The value shapes of g for its declared (fixed) input shapes.
struct KnownShapes {
  std::deque<Tensor> keep;
  passes::ValueShapes meta;
  explicit KnownShapes(const Graph& g) {
    std::vector<Shape> in;
    for (auto& v : g.inputs) {
      Shape s;
      for (auto& d : v.shape) s.push_back(d.value);
      in.push_back(s);
    }
    meta = infer_shapes(g, in, keep);
  }
};

struct Rewritten {
  Graph graph;
  int rewrites = 0;
};
// `pass` alone, under the driver, on a copy of g.
inline Rewritten run_one(const Graph& g, const std::string& pass, const passes::PassOptions& opts = {}) {
  Rewritten r{g, 0};
  r.rewrites = passes::run_pass(r.graph, pass_named(pass), opts);
  return r;
}

// The condition holds at the node named `at`, and the pass alone rewrites once.
inline Rewritten expect_one_rewrite(const Graph& g, const std::string& pass, const std::string& at,
                                    const passes::PassOptions& opts = {}) {
  EXPECT_TRUE(matches_at(g, pass, at, opts.shapes));
  Rewritten r = run_one(g, pass, opts);
  EXPECT_EQ(r.rewrites, 1);
  return r;
}

// The graph's outputs on seeded inputs (uniform in [-2, 2]) of its declared shapes.
inline std::vector<Tensor> seeded_inputs(const Graph& g, uint32_t seed = 11) {
  std::vector<Tensor> in;
  for (auto& v : g.inputs) {
    Shape s;
    for (auto& d : v.shape) s.push_back(d.value);
    in.push_back(random_f32(s, seed++, -2.f, 2.f));
  }
  return in;
}
inline std::vector<Tensor> run_graph(const Graph& g, const std::vector<Tensor>& inputs) {
  return EagerExecutor(g, RunOptions{1, false}).run(inputs);
}

// Every output of `after` within `tolerance` (scaled max error, relative to the output's
// largest magnitude) of `before`'s on the same seeded inputs.
inline void expect_same_outputs(const Graph& before, const Graph& after, double tolerance) {
  const auto in = seeded_inputs(before);
  const auto want = run_graph(before, in);
  const auto got = run_graph(after, in);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(got[i].shape(), want[i].shape()) << "output " << i;
    if (tolerance == 0) EXPECT_EQ(got[i].to_f32_vector(), want[i].to_f32_vector()) << "output " << i;
    else EXPECT_LE(scaled_max_error(got[i], want[i]), tolerance) << "output " << i;
  }
}

// The kernel each node of g ran on (by node name) on seeded inputs.
inline std::map<std::string, std::string> kernels_run(const Graph& g) {
  EagerExecutor exec(g, RunOptions{1, false});
  exec.run(seeded_inputs(g));
  std::map<std::string, std::string> k;
  for (size_t i = 0; i < g.nodes.size(); ++i) k[g.nodes[i].name] = exec.kernel_names()[i];
  return k;
}

}  // namespace ecoinfer::test
