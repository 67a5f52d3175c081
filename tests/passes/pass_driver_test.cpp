// The pass driver: the index stays exact through every kind of rewrite, passes run to a
// fixed point, disabled passes are skipped, unknown names are refused naming the valid ones,
// and the pipeline reports the rewrites of each pass.
#include "passes/pass_test_util.h"

namespace ecoinfer::test {
namespace {

// x -> Relu a -> Sigmoid b -> Neg y (output); a -> Abs c -> Neg z (output).
Graph chain() {
  return GraphBuilder()
      .input("x", {2, 3})
      .node("Relu", {"x"}, {"a"})
      .node("Sigmoid", {"a"}, {"b"})
      .node("Neg", {"b"}, {"y"})
      .node("Abs", {"a"}, {"c"})
      .node("Neg", {"c"}, {"z"})
      .output("y")
      .output("z")
      .build();
}

TEST(PassDriver, IndexFollowsRewrites) {
  Graph g = chain();
  passes::Rewriter rw(g);
  const int relu = node_index(g, "a"), sig = node_index(g, "b"), abs = node_index(g, "c");
  EXPECT_EQ(rw.producer("a"), relu);
  EXPECT_EQ(rw.consumers("a").size(), 2u);
  EXPECT_EQ(rw.single_consumer("a"), -1);
  EXPECT_EQ(rw.single_consumer("b"), node_index(g, "y"));
  EXPECT_EQ(rw.single_consumer("y"), -1);  // a graph output
  EXPECT_EQ(rw.producer("x"), -1);
  // Readers of a read x instead; a is now unused.
  rw.forward("a", "x");
  EXPECT_TRUE(rw.unused("a"));
  EXPECT_EQ(rw.consumers("x").size(), 3u);
  EXPECT_EQ(rw.node(sig).inputs[0], "x");
  rw.remove(relu);
  EXPECT_FALSE(rw.alive(relu));
  EXPECT_EQ(rw.producer("a"), -1);
  EXPECT_EQ(rw.consumers("x").size(), 2u);  // the removed Relu no longer reads x
  // Sigmoid becomes Tanh reading c; Abs now has two readers.
  Node t = rw.node(sig);
  t.op_type = "Tanh";
  t.inputs = {"c"};
  rw.replace(sig, t);
  EXPECT_TRUE(rw.consumers("x").size() == 1u && rw.consumers("c").size() == 2u);
  EXPECT_EQ(rw.producer("b"), sig);
  // An added node is indexed at once and visible to node().
  const std::string fresh = rw.fresh_name("c");
  EXPECT_NE(fresh, "c");
  const int added = rw.add([&] {
    Node n;
    n.op_type = "Relu";
    n.name = fresh;
    n.inputs = {"x"};
    n.outputs = {fresh};
    return n;
  }());
  EXPECT_EQ(added, static_cast<int>(g.nodes.size()));
  EXPECT_EQ(rw.producer(fresh), added);
  EXPECT_EQ(rw.node(added).name, fresh);
  EXPECT_EQ(rw.consumers("x").size(), 2u);
  EXPECT_EQ(rw.node(abs).op_type, "Abs");
  rw.commit();  // the dead Relu goes, the added (unread) one joins
  EXPECT_EQ(g.nodes.size(), 5u);
  EXPECT_EQ(g.op_counts()["Tanh"], 1);
}

TEST(PassDriver, ForwardingAGraphOutputIsRefused) {
  Graph g = chain();
  passes::Rewriter rw(g);
  EXPECT_THROW(rw.forward("y", "x"), Error);
}

TEST(PassDriver, SweepsRepeatUntilNothingChanges) {
  // A dead chain of three: each sweep of eliminate_dead_nodes removes its current tail, so
  // the driver needs three sweeps with rewrites and one without.
  Graph g = GraphBuilder()
                .input("x", {2})
                .node("Relu", {"x"}, {"y"})
                .node("Abs", {"x"}, {"d1"})
                .node("Neg", {"d1"}, {"d2"})
                .node("Exp", {"d2"}, {"d3"})
                .output("y")
                .build();
  auto r = run_one(g, "eliminate_dead_nodes");
  EXPECT_EQ(r.rewrites, 3);
  EXPECT_EQ(r.graph.nodes.size(), 1u);
}

TEST(PassDriver, DisabledPassesAreSkipped) {
  Graph g = GraphBuilder().input("x", {2}).node("Identity", {"x"}, {"a"}).node("Relu", {"a"}, {"y"}).output("y").build();
  auto r = run_one(g, "eliminate_identity", passes::PassOptions{{"eliminate_identity"}, nullptr});
  EXPECT_EQ(r.rewrites, 0);
  EXPECT_EQ(r.graph.op_counts()["Identity"], 1);
  Graph p = g;
  p.disabled_passes = {"eliminate_identity"};
  auto rw = passes::run_compile_passes(p);
  EXPECT_EQ(rw["eliminate_identity"].get<int>(), 0);
  EXPECT_EQ(p.op_counts()["Identity"], 1);
  p = g;
  rw = passes::run_compile_passes(p);
  EXPECT_EQ(rw["eliminate_identity"].get<int>(), 1);
  EXPECT_EQ(p.op_counts().count("Identity"), 0u);
}

TEST(PassDriver, UnknownPassNamesListTheValidOnes) {
  try {
    passes::check_pass_names({"fuse_gelu", "fuse_everything"});
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("unknown pass 'fuse_everything'"), std::string::npos) << msg;
    for (const passes::Pass& p : passes::compile_passes()) EXPECT_NE(msg.find(p.name), std::string::npos) << p.name;
  }
  Graph g = chain();
  g.disabled_passes = {"fuse_everything"};
  EXPECT_THROW(passes::run_compile_passes(g), Error);
}

TEST(PassDriver, PipelineListsElevenPassesInOrderAndReportsEach) {
  std::vector<std::string> names;
  for (const passes::Pass& p : passes::compile_passes()) {
    names.push_back(p.name);
    EXPECT_FALSE(p.what.empty()) << p.name;
  }
  const std::vector<std::string> want{"eliminate_identity",       "fold_constants",       "eliminate_dead_nodes",
                                      "fold_batchnorm_into_conv", "fuse_gelu",            "fuse_layernorm",
                                      "fuse_attention",           "fuse_conv_epilogue",   "fuse_linear_epilogue",
                                      "convert_conv_to_channels_last", "cancel_transposes"};
  EXPECT_EQ(names, want);
  Graph g = chain();
  auto rw = passes::run_compile_passes(g);
  EXPECT_EQ(rw.size(), want.size());
  for (auto& n : want) EXPECT_EQ(rw[n].get<int>(), 0) << n;  // nothing to rewrite in this chain
}

}  // namespace
}  // namespace ecoinfer::test
