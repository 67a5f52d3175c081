// eliminate_identity: Identity and inference Dropout forward their input (outputs exact).
#include "passes/pass_test_util.h"

namespace ecoinfer::test {
namespace {

Tensor bool_scalar(bool v) {
  Tensor t = Tensor::empty(DType::boolean, {});
  t.data<bool>()[0] = v;
  return t;
}

TEST(EliminateIdentity, ChainsOfIdentityAndDropoutForward) {
  Graph g = GraphBuilder(13)
                .input("x", {2, 5})
                .constant("off", bool_scalar(false))
                .node("Identity", {"x"}, {"a"})
                .node("Dropout", {"a"}, {"b"})                     // no training_mode: inference
                .node("Dropout", {"b", "", "off"}, {"c", "mask"})  // training_mode false, mask unread
                .node("Relu", {"c"}, {"y"})
                .output("y")
                .build();
  for (const char* n : {"a", "b", "c"}) EXPECT_TRUE(matches_at(g, "eliminate_identity", n)) << n;
  EXPECT_FALSE(matches_at(g, "eliminate_identity", "y"));
  auto r = run_one(g, "eliminate_identity");
  EXPECT_EQ(r.rewrites, 3);
  ASSERT_EQ(r.graph.nodes.size(), 1u);
  EXPECT_EQ(r.graph.nodes[0].inputs[0], "x");
  expect_same_outputs(g, r.graph, 0);  // nothing computed differently
}

TEST(EliminateIdentity, KeepsWhatCannotForward) {
  Graph g = GraphBuilder(13)
                .input("x", {2, 5})
                .constant("on", bool_scalar(true))
                .scalar("ratio", 0.5f)
                .scalar("zero", 0.f)
                .node("Identity", {"x"}, {"out"})                           // a graph output: its name must stay
                .node("Dropout", {"x", "ratio", "on"}, {"train"})           // training mode with a real ratio
                .node("Dropout", {"x", "zero", "on"}, {"zero_ratio"})       // training mode, but ratio 0
                .node("Dropout", {"x"}, {"d", "used_mask"})                 // its mask is read
                .node("Cast", {"used_mask"}, {"mask_f"}, {{"to", attr_int(1)}})
                .node("Add", {"train", "d"}, {"s1"})
                .node("Add", {"s1", "mask_f"}, {"s2"})
                .node("Add", {"s2", "zero_ratio"}, {"y"})
                .output("out")
                .output("y")
                .build();
  EXPECT_FALSE(matches_at(g, "eliminate_identity", "out"));
  EXPECT_FALSE(matches_at(g, "eliminate_identity", "train"));
  EXPECT_FALSE(matches_at(g, "eliminate_identity", "d"));
  EXPECT_TRUE(matches_at(g, "eliminate_identity", "zero_ratio"));
  auto r = run_one(g, "eliminate_identity");
  EXPECT_EQ(r.rewrites, 1);
  EXPECT_EQ(r.graph.op_counts()["Dropout"], 2);
  EXPECT_EQ(r.graph.op_counts()["Identity"], 1);
}

}  // namespace
}  // namespace ecoinfer::test
