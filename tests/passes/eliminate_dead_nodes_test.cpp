// eliminate_dead_nodes: nodes none of whose outputs is read or a graph output go, whole
// chains of them; a node with one output read stays (outputs exact).
#include "passes/pass_test_util.h"

namespace ecoinfer::test {
namespace {

TEST(EliminateDeadNodes, DeadChainsGoLiveNodesStay) {
  Graph g = GraphBuilder()
                .input("x", {4, 6})
                .constant("parts", Tensor::from<int64_t>({2}, std::vector<int64_t>{3, 3}))
                .node("Split", {"x", "parts"}, {"left", "right"}, {{"axis", attr_int(1)}})
                .node("Relu", {"left"}, {"y"})
                .node("Sigmoid", {"x"}, {"s"})  // s feeds only n, n nothing
                .node("Neg", {"s"}, {"n"})
                .output("y")
                .build();
  EXPECT_TRUE(matches_at(g, "eliminate_dead_nodes", "n"));
  EXPECT_FALSE(matches_at(g, "eliminate_dead_nodes", "s"));     // read by n (until n goes)
  EXPECT_FALSE(matches_at(g, "eliminate_dead_nodes", "left"));  // the Split: one output read
  EXPECT_FALSE(matches_at(g, "eliminate_dead_nodes", "y"));     // a graph output
  auto r = run_one(g, "eliminate_dead_nodes");
  EXPECT_EQ(r.rewrites, 2);
  EXPECT_EQ(r.graph.op_counts(), (std::map<std::string, int>{{"Relu", 1}, {"Split", 1}}));
  expect_same_outputs(g, r.graph, 0);
}

}  // namespace
}  // namespace ecoinfer::test
