// fuse_layernorm: the opset < 17 decomposition of LayerNorm becomes LayerNormalization; the
// fused op agrees with the decomposed graph within 1e-5 of the output's scale.
#include "passes/pass_test_util.h"

namespace ecoinfer::test {
namespace {

struct LnForm {
  bool bias = true;
  int64_t mean_axis = -1;
  float power = 2.f;
  bool d_read_elsewhere = false;  // d = x - mean also feeds another node
  bool scale = true;
};

Graph layernorm_graph(const LnForm& f) {
  GraphBuilder b(13);
  b.input("x", {2, 5, 8})
      .scalar("two", f.power)
      .scalar("eps", 1e-5f)
      .constant("gamma", random_f32({8}, 31, 0.5f, 1.5f))
      .constant("beta", random_f32({8}, 32))
      .node("ReduceMean", {"x"}, {"mean"}, {{"axes", attr_ints({f.mean_axis})}})
      .node("Sub", {"x", "mean"}, {"d"})
      .node("Pow", {"d", "two"}, {"sq"})
      .node("ReduceMean", {"sq"}, {"var"}, {{"axes", attr_ints({-1})}})
      .node("Add", {"var", "eps"}, {"var_eps"})
      .node("Sqrt", {"var_eps"}, {"std"})
      .node("Div", {"d", "std"}, {"norm"});
  std::string out = "norm";
  if (f.scale) {
    b.node("Mul", {"norm", "gamma"}, {"scaled"});
    out = "scaled";
    if (f.bias) {
      b.node("Add", {"beta", "scaled"}, {"shifted"});  // constant first: either order
      out = "shifted";
    }
  }
  if (f.d_read_elsewhere) {
    b.node("Add", {out, "d"}, {"y"});
    out = "y";
  }
  return b.output(out).build();
}

TEST(FuseLayerNorm, FusesWithAndWithoutBias) {
  for (bool bias : {true, false}) {
    SCOPED_TRACE(bias ? "bias" : "no bias");
    Graph g = layernorm_graph(LnForm{bias});
    auto r = expect_one_rewrite(g, "fuse_layernorm", "norm");
    ASSERT_EQ(r.graph.nodes.size(), 1u);
    const Node& ln = r.graph.nodes[0];
    EXPECT_EQ(ln.op_type, "LayerNormalization");
    EXPECT_EQ(ln.inputs.size(), bias ? 3u : 2u);
    EXPECT_FLOAT_EQ(ln.attr_float("epsilon", 0), 1e-5f);
    expect_same_outputs(g, r.graph, 1e-5);
  }
}

TEST(FuseLayerNorm, NonMatches) {
  EXPECT_FALSE(matches_at(layernorm_graph(LnForm{true, 1}), "fuse_layernorm", "norm"));          // mean over axis 1
  EXPECT_FALSE(matches_at(layernorm_graph(LnForm{true, -1, 3.f}), "fuse_layernorm", "norm"));    // cubed
  EXPECT_FALSE(matches_at(layernorm_graph(LnForm{true, -1, 2.f, true}), "fuse_layernorm", "norm"));  // d read elsewhere
  EXPECT_FALSE(matches_at(layernorm_graph(LnForm{true, -1, 2.f, false, false}), "fuse_layernorm", "norm"));  // no scale
}

}  // namespace
}  // namespace ecoinfer::test
