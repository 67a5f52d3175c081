// fold_batchnorm_into_conv: Conv -> inference BatchNormalization becomes one Conv with new
// weights and bias (computed in double, rounded once: within 1e-5 of the unfolded graph,
// relative to the output's scale); weights shared with another Conv are not modified.
#include "passes/pass_test_util.h"

namespace ecoinfer::test {
namespace {

// x [2,4,5,5] -> Conv(w [6,4,3,3], optional bias) -> BN -> y; BN parameters seeded, var > 0.
GraphBuilder conv_bn(bool bias, uint32_t seed = 20) {
  GraphBuilder b;
  b.input("x", {2, 4, 5, 5}).constant("w", random_f32({6, 4, 3, 3}, seed, -0.5f, 0.5f));
  std::vector<std::string> in{"x", "w"};
  if (bias) {
    b.constant("b", random_f32({6}, seed + 1));
    in.push_back("b");
  }
  b.node("Conv", in, {"c"}, {{"pads", attr_ints({1, 1, 1, 1})}});
  b.constant("gamma", random_f32({6}, seed + 2, 0.5f, 1.5f))
      .constant("beta", random_f32({6}, seed + 3))
      .constant("mean", random_f32({6}, seed + 4))
      .constant("var", random_f32({6}, seed + 5, 0.1f, 2.f));
  return b;
}

TEST(FoldBatchNormIntoConv, FoldsWithAndWithoutBias) {
  for (bool bias : {false, true}) {
    SCOPED_TRACE(bias ? "bias" : "no bias");
    Graph g = conv_bn(bias)
                  .node("BatchNormalization", {"c", "gamma", "beta", "mean", "var"}, {"y"}, {{"epsilon", attr_float(1e-3f)}})
                  .output("y")
                  .build();
    auto r = expect_one_rewrite(g, "fold_batchnorm_into_conv", "c");
    EXPECT_EQ(r.graph.op_counts(), (std::map<std::string, int>{{"Conv", 1}}));
    EXPECT_EQ(r.graph.nodes[0].outputs[0], "y");
    EXPECT_EQ(r.graph.initializers.count("gamma"), 0u);  // BN parameters dropped
    expect_same_outputs(g, r.graph, 1e-5);
  }
}

TEST(FoldBatchNormIntoConv, SharedWeightsAreNotModified) {
  Graph g = conv_bn(false)
                .node("BatchNormalization", {"c", "gamma", "beta", "mean", "var"}, {"n1"})
                .node("Conv", {"x", "w"}, {"c2"}, {{"pads", attr_ints({1, 1, 1, 1})}})
                .node("Add", {"n1", "c2"}, {"y"})
                .output("y")
                .build();
  const std::vector<float> w = g.initializer("w")->to_f32_vector();
  auto r = run_one(g, "fold_batchnorm_into_conv");
  EXPECT_EQ(r.rewrites, 1);
  ASSERT_TRUE(r.graph.is_initializer("w"));  // still read by the second Conv
  EXPECT_EQ(r.graph.initializer("w")->to_f32_vector(), w);
  expect_same_outputs(g, r.graph, 1e-5);
}

TEST(FoldBatchNormIntoConv, NonMatches) {
  {  // The Conv's output is read by another node too.
    Graph g = conv_bn(true)
                  .node("BatchNormalization", {"c", "gamma", "beta", "mean", "var"}, {"n"})
                  .node("Add", {"n", "c"}, {"y"})
                  .output("y")
                  .build();
    EXPECT_FALSE(matches_at(g, "fold_batchnorm_into_conv", "c"));
  }
  {  // Training mode.
    Graph g = conv_bn(true)
                  .node("BatchNormalization", {"c", "gamma", "beta", "mean", "var"}, {"y"}, {{"training_mode", attr_int(1)}})
                  .output("y")
                  .build();
    EXPECT_FALSE(matches_at(g, "fold_batchnorm_into_conv", "c"));
  }
  {  // A BN parameter that is not a constant.
    GraphBuilder b = conv_bn(true);
    b.input("s", {6});
    Graph g = b.node("BatchNormalization", {"c", "s", "beta", "mean", "var"}, {"y"}).output("y").build();
    EXPECT_FALSE(matches_at(g, "fold_batchnorm_into_conv", "c"));
  }
  {  // Weights that are not a constant.
    Graph g = GraphBuilder()
                  .input("x", {1, 4, 5, 5})
                  .input("w", {6, 4, 3, 3})
                  .node("Conv", {"x", "w"}, {"c"})
                  .constant("gamma", random_f32({6}, 1))
                  .constant("beta", random_f32({6}, 2))
                  .constant("mean", random_f32({6}, 3))
                  .constant("var", random_f32({6}, 4, 0.1f, 1.f))
                  .node("BatchNormalization", {"c", "gamma", "beta", "mean", "var"}, {"y"})
                  .output("y")
                  .build();
    EXPECT_FALSE(matches_at(g, "fold_batchnorm_into_conv", "c"));
  }
}

}  // namespace
}  // namespace ecoinfer::test
