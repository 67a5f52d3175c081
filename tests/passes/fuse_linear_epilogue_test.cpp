// fuse_linear_epilogue: MatMul + bias [+ Relu/Gelu] and Gemm [+ Relu/Gelu] become FusedLinear
// (W stored [K, N]); fused and unfused agree within 1e-5 of the output's scale (oneDNN's
// matmul sums in another order than the reference).
#include "passes/pass_test_util.h"

namespace ecoinfer::test {
namespace {

TEST(FuseLinearEpilogue, MatMulBiasActivation) {
  for (const char* act : {"", "Relu", "Gelu"}) {
    SCOPED_TRACE(act);
    GraphBuilder b;
    b.input("x", {2, 3, 16}).constant("w", random_f32({16, 12}, 61, -0.3f, 0.3f)).constant("bias", random_f32({12}, 62));
    b.node("MatMul", {"x", "w"}, {"mm"}).node("Add", {"bias", "mm"}, {"s"});
    std::string out = "s";
    if (*act) {
      b.node(act, {"s"}, {"y"});
      out = "y";
    }
    Graph g = b.output(out).build();
    auto r = expect_one_rewrite(g, "fuse_linear_epilogue", "mm");
    ASSERT_EQ(r.graph.nodes.size(), 1u);
    const Node& f = r.graph.nodes[0];
    EXPECT_EQ(f.op_type, "FusedLinear");
    EXPECT_EQ(f.attr_string("activation", "?"), act);
    EXPECT_EQ(f.inputs, (std::vector<std::string>{"x", "w", "bias"}));
    EXPECT_EQ(kernels_run(r.graph)["mm"], "f32-linear-matmul-postops-dnnl");
    expect_same_outputs(g, r.graph, 1e-5);
  }
}

TEST(FuseLinearEpilogue, GemmWithAndWithoutTransB) {
  for (bool trans_b : {false, true}) {
    SCOPED_TRACE(trans_b ? "transB" : "plain");
    Graph g = GraphBuilder()
                  .input("x", {4, 16})
                  .constant("w", random_f32(trans_b ? Shape{12, 16} : Shape{16, 12}, 63, -0.3f, 0.3f))
                  .constant("c", random_f32({12}, 64))
                  .node("Gemm", {"x", "w", "c"}, {"mm"}, {{"transB", attr_int(trans_b)}})
                  .node("Relu", {"mm"}, {"y"})
                  .output("y")
                  .build();
    auto r = expect_one_rewrite(g, "fuse_linear_epilogue", "mm");
    ASSERT_EQ(r.graph.nodes.size(), 1u);
    EXPECT_EQ(r.graph.initializer(r.graph.nodes[0].inputs[1])->shape(), (Shape{16, 12}));
    EXPECT_EQ(r.graph.is_initializer("w"), !trans_b);  // the [N, K] original is dropped once transposed
    expect_same_outputs(g, r.graph, 1e-5);
  }
}

TEST(FuseLinearEpilogue, NonMatches) {
  GraphBuilder b;
  b.input("x", {2, 16})
      .input("wx", {16, 12})
      .constant("w", random_f32({16, 12}, 65))
      .constant("bias", random_f32({12}, 66))
      .constant("short_bias", random_f32({6}, 67))
      .node("MatMul", {"x", "w"}, {"alone"})                                     // nothing to fuse
      .node("MatMul", {"x", "wx"}, {"computed_w"})                               // weight not a constant
      .node("Add", {"computed_w", "bias"}, {"s1"})
      .node("Gemm", {"x", "w", "bias"}, {"scaled"}, {{"alpha", attr_float(2.f)}})  // alpha != 1
      .node("Gemm", {"x", "w", "short_bias"}, {"wrong_bias"});                   // bias not [N]
  Graph g = b.output("alone").output("s1").output("scaled").output("wrong_bias").build();
  for (const char* n : {"alone", "computed_w", "scaled", "wrong_bias"}) EXPECT_FALSE(matches_at(g, "fuse_linear_epilogue", n)) << n;
}

}  // namespace
}  // namespace ecoinfer::test
