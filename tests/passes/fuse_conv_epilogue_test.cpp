// fuse_conv_epilogue: Conv with a residual Add, a per-channel Add (folded into the bias) and
// Relu / Clip / HardSwish / SiLU becomes FusedConv; only what the oneDNN kernel runs is fused
// (checked by running it: every FusedConv made here must run on f32-conv2d-postops-dnnl).
// Fused and unfused agree within 1e-5 of the output's scale (the bias fold adds in a
// different order; oneDNN's post-ops round once).
#include "passes/pass_test_util.h"

namespace ecoinfer::test {
namespace {

constexpr const char* kFastKernel = "f32-conv2d-postops-dnnl";

// x [2,8,6,6] -> Conv(w [8,8,3,3], pads 1, optional bias) -> c.
GraphBuilder conv(bool bias = true) {
  GraphBuilder b;
  b.input("x", {2, 8, 6, 6}).constant("w", random_f32({8, 8, 3, 3}, 51, -0.3f, 0.3f));
  std::vector<std::string> in{"x", "w"};
  if (bias) {
    b.constant("b", random_f32({8}, 52));
    in.push_back("b");
  }
  b.node("Conv", in, {"c"}, {{"pads", attr_ints({1, 1, 1, 1})}});
  return b;
}

// Runs the pass with the graph's shapes, expects one FusedConv with `activation` and
// `inputs` inputs, on the fast kernel, with the unfused graph's numbers.
void expect_fused(const Graph& g, const std::string& activation, size_t inputs) {
  KnownShapes shapes(g);
  auto r = expect_one_rewrite(g, "fuse_conv_epilogue", "c", passes::PassOptions{{}, &shapes.meta});
  ASSERT_EQ(r.graph.op_counts()["FusedConv"], 1);
  const Node& f = r.graph.nodes[node_index(r.graph, "c")];
  EXPECT_EQ(f.attr_string("activation", "?"), activation);
  EXPECT_EQ(f.inputs.size(), inputs);
  EXPECT_EQ(kernels_run(r.graph)["c"], kFastKernel);
  expect_same_outputs(g, r.graph, 1e-5);
}

TEST(FuseConvEpilogue, ResidualOfTheOutputsShapeAndRelu) {
  Graph g = conv().input("r", {2, 8, 6, 6}).node("Add", {"r", "c"}, {"s"}).node("Relu", {"s"}, {"y"}).output("y").build();
  expect_fused(g, "Relu", 4);
  // Without shapes the residual's shape is unknown: nothing is fused.
  EXPECT_FALSE(matches_at(g, "fuse_conv_epilogue", "c"));
}

TEST(FuseConvEpilogue, PerChannelConstantAddFoldsIntoTheBias) {
  // The review's trap: Conv -> Add([1,C,1,1]) used to become a FusedConv with a broadcast
  // residual, which only the single-threaded reference kernel runs.
  const std::vector<Shape> bias_shapes{{1, 8, 1, 1}, {8, 1, 1}, {1, 1, 1, 1}, {}};
  for (const Shape& s : bias_shapes)
    for (bool conv_bias : {true, false}) {
      SCOPED_TRACE(shape_str(s) + (conv_bias ? " conv bias" : " no conv bias"));
      Graph g = conv(conv_bias)
                    .constant("k", random_f32(s, 53))
                    .node("Add", {"c", "k"}, {"s"})
                    .node("Relu", {"s"}, {"y"})
                    .output("y")
                    .build();
      EXPECT_TRUE(matches_at(g, "fuse_conv_epilogue", "c"));  // needs no shapes
      expect_fused(g, "Relu", 3);
    }
}

TEST(FuseConvEpilogue, Activations) {
  {
    Graph g = conv().node("Sigmoid", {"c"}, {"sig"}).node("Mul", {"sig", "c"}, {"y"}).output("y").build();
    expect_fused(g, "Swish", 3);
  }
  {
    Graph g = conv().node("HardSwish", {"c"}, {"y"}).output("y").build();
    expect_fused(g, "HardSwish", 3);
  }
  {
    Graph g = conv().scalar("lo", 0.f).scalar("hi", 6.f).node("Clip", {"c", "lo", "hi"}, {"y"}).output("y").build();
    expect_fused(g, "Clip", 3);
  }
  {  // A per-channel Add, then SiLU.
    Graph g = conv()
                  .constant("k", random_f32({1, 8, 1, 1}, 54))
                  .node("Add", {"k", "c"}, {"s"})
                  .node("Sigmoid", {"s"}, {"sig"})
                  .node("Mul", {"s", "sig"}, {"y"})
                  .output("y")
                  .build();
    expect_fused(g, "Swish", 3);
  }
}

TEST(FuseConvEpilogue, WhatTheKernelCannotRunStaysUnfused) {
  {  // A residual that broadcasts ([2,8,1,1] onto [2,8,6,6]).
    Graph g = conv()
                  .input("z", {2, 8, 6, 6})
                  .node("GlobalAveragePool", {"z"}, {"pooled"})
                  .node("Add", {"c", "pooled"}, {"s"})
                  .node("Relu", {"s"}, {"y"})
                  .output("y")
                  .build();
    KnownShapes shapes(g);
    EXPECT_FALSE(matches_at(g, "fuse_conv_epilogue", "c", &shapes.meta));
  }
  {  // A constant that is not one value per channel.
    Graph g = conv().constant("k", random_f32({1, 8, 6, 6}, 55)).node("Add", {"c", "k"}, {"s"}).node("Relu", {"s"}, {"y"}).output("y").build();
    KnownShapes shapes(g);
    EXPECT_FALSE(matches_at(g, "fuse_conv_epilogue", "c", &shapes.meta));
  }
  {  // The conv output is read twice.
    Graph g = conv().node("Relu", {"c"}, {"y"}).output("y").output("c").build();
    EXPECT_FALSE(matches_at(g, "fuse_conv_epilogue", "c"));
  }
  {  // Nothing after the conv.
    Graph g = conv().output("c").build();
    EXPECT_FALSE(matches_at(g, "fuse_conv_epilogue", "c"));
  }
}

TEST(FuseConvEpilogue, CompiledBiasAddRunsOnTheFastKernel) {
  // End to end through the per-shape plan: no FusedConv is left on the reference kernel.
  Graph g = conv(false)
                .constant("k", random_f32({1, 8, 1, 1}, 56))
                .node("Add", {"c", "k"}, {"s"})
                .node("Relu", {"s"}, {"y"})
                .output("y")
                .build();
  Graph c = compile_for_shapes(g, {{2, 8, 6, 6}});
  EXPECT_EQ(c.op_counts().count("Add"), 0u);
  for (auto& [node, kernel] : kernels_run(c))
    if (c.nodes[node_index(c, node)].op_type == "FusedConv") EXPECT_EQ(kernel, kFastKernel) << node;
  expect_same_outputs(g, c, 1e-5);
}

}  // namespace
}  // namespace ecoinfer::test
