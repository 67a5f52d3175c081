// fuse_gelu: x * 0.5 * (1 + erf(x / √2)) becomes Gelu in every operand order and in the three
// products exporters write; the fused op agrees with the decomposed float graph within 1e-5
// of the output's scale (Gelu's kernel rounds once, the graph after every op).
#include <cmath>

#include "passes/pass_test_util.h"

namespace ecoinfer::test {
namespace {

struct GeluForm {
  std::string scale;    // "div": x / √2; "mul": x * (1/√2)
  char product;         // 'a': (x * (1 + erf)) * 0.5; 'b': (x * 0.5) * (1 + erf); 'c': x * ((1 + erf) * 0.5)
  bool swapped;         // every commutative op takes its operands in the other order
  float half = 0.5f;    // the constant 0.5 (another value must not match)
  float one = 1.f;      // the constant 1 of the Add
};

Graph gelu_graph(const GeluForm& f, bool erf_is_output = false) {
  GraphBuilder b;
  b.input("x", {3, 7}).scalar("sqrt2", std::sqrt(2.f)).scalar("inv_sqrt2", 1 / std::sqrt(2.f)).scalar("half", f.half).scalar(
      "one", f.one);
  auto bin = [&](const char* op, const std::string& l, const std::string& r, const std::string& out) {
    if (f.swapped && std::string(op) != "Div") b.node(op, {r, l}, {out});
    else b.node(op, {l, r}, {out});
  };
  if (f.scale == "div") bin("Div", "x", "sqrt2", "scaled");
  else bin("Mul", "x", "inv_sqrt2", "scaled");
  b.node("Erf", {"scaled"}, {"erf"});
  bin("Add", "erf", "one", "one_plus_erf");
  if (f.product == 'a') {
    bin("Mul", "x", "one_plus_erf", "m1");
    bin("Mul", "m1", "half", "y");
  } else if (f.product == 'b') {
    bin("Mul", "x", "half", "h");
    bin("Mul", "h", "one_plus_erf", "y");
  } else {
    bin("Mul", "one_plus_erf", "half", "m1");
    bin("Mul", "x", "m1", "y");
  }
  b.output("y");
  if (erf_is_output) b.output("erf");
  return b.build();
}

TEST(FuseGelu, EveryOrderAndProductFuses) {
  for (const char* scale : {"div", "mul"})
    for (char product : {'a', 'b', 'c'})
      for (bool swapped : {false, true}) {
        const GeluForm f{scale, product, swapped};
        SCOPED_TRACE(std::string(scale) + " " + product + (swapped ? " swapped" : ""));
        Graph g = gelu_graph(f);
        auto r = expect_one_rewrite(g, "fuse_gelu", "erf");
        ASSERT_EQ(r.graph.nodes.size(), 1u);
        EXPECT_EQ(r.graph.nodes[0].op_type, "Gelu");
        EXPECT_EQ(r.graph.nodes[0].inputs, std::vector<std::string>{"x"});
        expect_same_outputs(g, r.graph, 1e-5);
      }
}

TEST(FuseGelu, MulByInverseSqrt2WithTheConstantFirst) {
  // The review's case: Mul(1/√2, x) was never matched.
  Graph g = gelu_graph(GeluForm{"mul", 'a', true});
  const Node& scaled = g.nodes[node_index(g, "scaled")];
  ASSERT_EQ(scaled.inputs[0], "inv_sqrt2");
  EXPECT_TRUE(matches_at(g, "fuse_gelu", "erf"));
}

TEST(FuseGelu, NonMatches) {
  EXPECT_FALSE(matches_at(gelu_graph(GeluForm{"div", 'a', false, 0.25f}), "fuse_gelu", "erf"));        // not 0.5
  EXPECT_FALSE(matches_at(gelu_graph(GeluForm{"div", 'b', false, 0.5f, 2.f}), "fuse_gelu", "erf"));    // 2 + erf
  EXPECT_FALSE(matches_at(gelu_graph(GeluForm{"div", 'c', false}, true), "fuse_gelu", "erf"));        // erf is read elsewhere
  {  // Divided by 2, not √2.
    Graph g = gelu_graph(GeluForm{"div", 'a', false});
    g.initializers["sqrt2"] = Tensor::from<float>(Shape{}, std::vector<float>{2.f});
    EXPECT_FALSE(matches_at(g, "fuse_gelu", "erf"));
  }
  {  // The product multiplies another value than the one scaled.
    Graph g = gelu_graph(GeluForm{"div", 'a', false});
    g.inputs.push_back(g.inputs[0]);
    g.inputs.back().name = "z";
    g.nodes[node_index(g, "m1")].inputs[0] = "z";
    verify_graph(g);
    EXPECT_FALSE(matches_at(g, "fuse_gelu", "erf"));
  }
}

}  // namespace
}  // namespace ecoinfer::test
