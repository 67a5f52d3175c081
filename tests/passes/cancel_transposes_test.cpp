// cancel_transposes: inverse Transpose pairs cancel, and a Transpose moves below the ops it
// commutes with until it meets its inverse. Only data moves, so outputs are exact, except
// where GlobalAveragePool becomes a ReduceMean (another summation: within 1e-6 of scale).
#include "passes/pass_test_util.h"

namespace ecoinfer::test {
namespace {

const std::vector<int64_t> kToNhwc{0, 2, 3, 1}, kToNchw{0, 3, 1, 2};

int transposes(const Graph& g) {
  auto ops = g.op_counts();
  return ops.count("Transpose") ? ops["Transpose"] : 0;
}

TEST(CancelTransposes, InversePairsCancel) {
  Graph g = GraphBuilder()
                .input("x", {2, 3, 4, 5})
                .node("Transpose", {"x"}, {"t1"}, {{"perm", attr_ints(kToNhwc)}})
                .node("Transpose", {"t1"}, {"t2"}, {{"perm", attr_ints(kToNchw)}})
                .node("Relu", {"t2"}, {"y"})
                .output("y")
                .build();
  EXPECT_FALSE(matches_at(g, "cancel_transposes", "t1"));  // reads a graph input
  auto r = expect_one_rewrite(g, "cancel_transposes", "t2");
  EXPECT_EQ(r.graph.nodes[node_index(r.graph, "y")].inputs[0], "x");
  expect_same_outputs(g, r.graph, 0);
}

TEST(CancelTransposes, APairProducingAGraphOutputBecomesIdentity) {
  Graph g = GraphBuilder()
                .input("x", {2, 3, 4, 5})
                .node("Transpose", {"x"}, {"t1"}, {{"perm", attr_ints(kToNhwc)}})
                .node("Transpose", {"t1"}, {"y"}, {{"perm", attr_ints(kToNchw)}})
                .output("y")
                .build();
  auto r = run_one(g, "cancel_transposes");
  EXPECT_EQ(r.rewrites, 1);
  EXPECT_EQ(r.graph.op_counts()["Identity"], 1);
  expect_same_outputs(g, r.graph, 0);
}

TEST(CancelTransposes, TransposesMoveBelowElementwiseOpsAndCancel) {
  // NHWC views of a and b: Relu, Add of both, Mul by a scalar, then back to NCHW.
  Graph g = GraphBuilder()
                .input("a", {2, 3, 4, 5})
                .input("b", {2, 3, 4, 5})
                .scalar("two", 2.f)
                .node("Transpose", {"a"}, {"ta"}, {{"perm", attr_ints(kToNhwc)}})
                .node("Transpose", {"b"}, {"tb"}, {{"perm", attr_ints(kToNhwc)}})
                .node("Relu", {"ta"}, {"r"})
                .node("Add", {"r", "tb"}, {"s"})
                .node("Mul", {"two", "s"}, {"m"})
                .node("Transpose", {"m"}, {"y"}, {{"perm", attr_ints(kToNchw)}})
                .output("y")
                .build();
  EXPECT_TRUE(matches_at(g, "cancel_transposes", "r"));
  EXPECT_FALSE(matches_at(g, "cancel_transposes", "s"));  // only one operand transposed, the other not a scalar
  auto r = run_one(g, "cancel_transposes");
  Graph clean = run_one(r.graph, "eliminate_dead_nodes").graph;
  EXPECT_EQ(transposes(clean), 0);
  expect_same_outputs(g, clean, 0);
}

TEST(CancelTransposes, DifferentPermsAndNonScalarConstantsStay) {
  Graph g = GraphBuilder()
                .input("x", {2, 3, 4, 5})
                .constant("k", random_f32({2, 4, 5, 3}, 71))
                .node("Transpose", {"x"}, {"t1"}, {{"perm", attr_ints(kToNhwc)}})
                .node("Transpose", {"t1"}, {"t2"}, {{"perm", attr_ints(kToNhwc)}})  // not the inverse
                .node("Add", {"t1", "k"}, {"y"})                                     // k is not a scalar
                .output("t2")
                .output("y")
                .build();
  EXPECT_FALSE(matches_at(g, "cancel_transposes", "t2"));
  EXPECT_FALSE(matches_at(g, "cancel_transposes", "y"));
  EXPECT_EQ(run_one(g, "cancel_transposes").rewrites, 0);
}

TEST(CancelTransposes, GlobalAveragePoolOfNhwcBecomesReduceMean) {
  Graph g = GraphBuilder()
                .input("x", {2, 5, 6, 4})  // NHWC
                .node("Transpose", {"x"}, {"nchw"}, {{"perm", attr_ints(kToNchw)}})
                .node("GlobalAveragePool", {"nchw"}, {"y"})
                .output("y")
                .build();
  EXPECT_TRUE(matches_at(g, "cancel_transposes", "y"));
  auto r = run_one(g, "cancel_transposes");
  Graph clean = run_one(r.graph, "eliminate_dead_nodes").graph;
  EXPECT_EQ(clean.op_counts(), (std::map<std::string, int>{{"ReduceMean", 1}, {"Transpose", 1}}));
  expect_same_outputs(g, clean, 1e-6);
}

TEST(CancelTransposes, SliceAndPadTakePermutedParameters) {
  // The pass alone (compile_test runs the same through the whole per-shape pipeline).
  Graph g = GraphBuilder()
                .input("x", {2, 4, 6, 5})
                .constant("starts", Tensor::from<int32_t>({2}, std::vector<int32_t>{0, 1}))
                .constant("ends", Tensor::from<int32_t>({2}, std::vector<int32_t>{6, -1}))
                .constant("axes", Tensor::from<int32_t>({2}, std::vector<int32_t>{1, -1}))
                .constant("steps", Tensor::from<int32_t>({2}, std::vector<int32_t>{2, 1}))
                .constant("pads", Tensor::from<int64_t>({8}, std::vector<int64_t>{0, 0, 1, 0, 0, 0, 2, 1}))
                .node("Transpose", {"x"}, {"t"}, {{"perm", attr_ints(kToNhwc)}})
                .node("Slice", {"t", "starts", "ends", "axes", "steps"}, {"s"})
                .node("Pad", {"s", "pads"}, {"p"})
                .node("Transpose", {"p"}, {"y"}, {{"perm", attr_ints(kToNchw)}})
                .output("y")
                .build();
  EXPECT_TRUE(matches_at(g, "cancel_transposes", "s"));
  EXPECT_FALSE(matches_at(g, "cancel_transposes", "p"));  // until the Transpose has moved below the Slice
  auto r = run_one(g, "cancel_transposes");
  Graph clean = run_one(r.graph, "eliminate_dead_nodes").graph;
  EXPECT_EQ(transposes(clean), 0);
  expect_same_outputs(g, clean, 0);
}

}  // namespace
}  // namespace ecoinfer::test
