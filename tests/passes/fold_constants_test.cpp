// fold_constants: nodes whose inputs are all constants become initializers, chains in one
// sweep (the reference kernel computes them: the same numbers the eager run computes, exact
// for these elementwise ops and shape arithmetic).
#include "passes/pass_test_util.h"

namespace ecoinfer::test {
namespace {

TEST(FoldConstants, ConstantChainsAndShapeArithmeticFold) {
  Graph g = GraphBuilder()
                .input("x", {2, 3})
                .constant("c1", random_f32({2, 3}, 1))
                .constant("c2", random_f32({3}, 2))
                .constant("target", Tensor::from<int64_t>({2}, std::vector<int64_t>{3, 2}))
                .node("Add", {"c1", "c2"}, {"k"})
                .node("Neg", {"k"}, {"nk"})
                .node("Mul", {"x", "nk"}, {"m"})
                .node("Reshape", {"m", "target"}, {"y"})
                .output("y")
                .build();
  EXPECT_TRUE(matches_at(g, "fold_constants", "k"));
  EXPECT_FALSE(matches_at(g, "fold_constants", "nk"));  // its input is computed until k folds
  EXPECT_FALSE(matches_at(g, "fold_constants", "m"));   // reads the graph input
  auto r = run_one(g, "fold_constants");
  EXPECT_EQ(r.rewrites, 2);  // Add, then Neg in the same sweep
  EXPECT_EQ(r.graph.op_counts(), (std::map<std::string, int>{{"Mul", 1}, {"Reshape", 1}}));
  ASSERT_TRUE(r.graph.is_initializer("nk"));
  EXPECT_FALSE(r.graph.is_initializer("k"));  // read by nothing once nk is constant
  expect_same_outputs(g, r.graph, 0);
}

TEST(FoldConstants, GraphOutputsAndUnknownOpsStay) {
  Graph g = GraphBuilder()
                .input("x", {2})
                .constant("c", random_f32({2}, 3))
                .node("Neg", {"c"}, {"y"})  // a graph output: the value must stay a node output
                .node("Add", {"x", "y"}, {"z"})
                .output("y")
                .output("z")
                .build();
  EXPECT_FALSE(matches_at(g, "fold_constants", "y"));
  EXPECT_EQ(run_one(g, "fold_constants").rewrites, 0);
}

}  // namespace
}  // namespace ecoinfer::test
