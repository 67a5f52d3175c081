// fuse_attention: ViT attention with constant Reshape targets becomes MultiHeadAttention,
// reading the packed qkv in place when q, k and v are one Split's outputs; it agrees with
// the MatMul/Softmax graph within 1e-5 of the output's scale.
#include "passes/pass_test_util.h"

namespace ecoinfer::test {
namespace {

struct AttentionForm {
  bool packed = true;          // q, k, v from one Split of a qkv projection
  int64_t softmax_axis = -1;
  bool constant_divisor = true;
  bool constant_merge = true;  // the output Reshape's target is a constant
  bool scores_read_elsewhere = false;
};

// x [2,5,8], 2 heads of 4.
Graph attention_graph(const AttentionForm& f) {
  GraphBuilder b(17);
  b.input("x", {2, 5, 8})
      .constant("heads", Tensor::from<int64_t>({4}, std::vector<int64_t>{2, 5, 2, 4}))
      .constant("merged", Tensor::from<int64_t>({3}, std::vector<int64_t>{2, 5, 8}))
      .scalar("divisor", 2.f);
  if (f.packed) {
    b.constant("w_qkv", random_f32({8, 24}, 41, -0.5f, 0.5f))
        .constant("sizes", Tensor::from<int64_t>({3}, std::vector<int64_t>{8, 8, 8}))
        .node("MatMul", {"x", "w_qkv"}, {"qkv"})
        .node("Split", {"qkv", "sizes"}, {"q", "k", "v"}, {{"axis", attr_int(-1)}});
  } else {
    for (const char* p : {"q", "k", "v"})
      b.constant(std::string("w_") + p, random_f32({8, 8}, 42 + p[0], -0.5f, 0.5f)).node("MatMul", {"x", std::string("w_") + p}, {p});
  }
  b.node("Reshape", {"q", "heads"}, {"q4"})
      .node("Transpose", {"q4"}, {"qh"}, {{"perm", attr_ints({0, 2, 1, 3})}})
      .node("Reshape", {"k", "heads"}, {"k4"})
      .node("Transpose", {"k4"}, {"kt"}, {{"perm", attr_ints({0, 2, 3, 1})}})
      .node("Reshape", {"v", "heads"}, {"v4"})
      .node("Transpose", {"v4"}, {"vh"}, {{"perm", attr_ints({0, 2, 1, 3})}})
      .node("MatMul", {"qh", "kt"}, {"scores"});
  std::string divisor = "divisor";
  if (!f.constant_divisor) {
    b.node("ReduceMax", {"x"}, {"dyn_divisor"}, {{"keepdims", attr_int(0)}});
    divisor = "dyn_divisor";
  }
  b.node("Div", {"scores", divisor}, {"scaled"})
      .node("Softmax", {"scaled"}, {"probs"}, {{"axis", attr_int(f.softmax_axis)}})
      .node("MatMul", {"probs", "vh"}, {"o"})
      .node("Transpose", {"o"}, {"ot"}, {{"perm", attr_ints({0, 2, 1, 3})}});
  std::string merged = "merged";
  if (!f.constant_merge) {
    b.node("Shape", {"x"}, {"dyn_merged"});
    merged = "dyn_merged";
  }
  b.node("Reshape", {"ot", merged}, {"y"}).output("y");
  if (f.scores_read_elsewhere) b.output("scores");
  return b.build();
}

TEST(FuseAttention, PackedAndSeparateQkvFuse) {
  for (bool packed : {true, false}) {
    SCOPED_TRACE(packed ? "packed" : "separate");
    Graph g = attention_graph(AttentionForm{packed});
    auto r = expect_one_rewrite(g, "fuse_attention", "probs");
    Graph clean = run_one(r.graph, "eliminate_dead_nodes").graph;  // the Split and head copies nobody reads
    auto ops = clean.op_counts();
    EXPECT_EQ(ops["MultiHeadAttention"], 1);
    EXPECT_EQ(ops["MatMul"], packed ? 1 : 3);  // only the projections remain
    EXPECT_EQ(ops.count("Softmax") + ops.count("Transpose") + ops.count("Reshape") + ops.count("Split"), 0u);
    const Node& mha = clean.nodes[node_index(clean, "y/MultiHeadAttention")];
    EXPECT_EQ(mha.attr_int("packed_qkv", 0), packed ? 1 : 0);
    EXPECT_EQ(mha.inputs.size(), packed ? 1u : 3u);
    EXPECT_EQ(mha.attr_int("num_heads", 0), 2);
    EXPECT_FLOAT_EQ(mha.attr_float("scale_divisor", 0), 2.f);
    expect_same_outputs(g, clean, 1e-5);
  }
}

TEST(FuseAttention, NonMatches) {
  EXPECT_FALSE(matches_at(attention_graph(AttentionForm{true, 1}), "fuse_attention", "probs"));  // softmax over heads
  EXPECT_FALSE(matches_at(attention_graph(AttentionForm{true, -1, false}), "fuse_attention", "probs"));
  EXPECT_FALSE(matches_at(attention_graph(AttentionForm{true, -1, true, false}), "fuse_attention", "probs"));
  EXPECT_FALSE(matches_at(attention_graph(AttentionForm{true, -1, true, true, true}), "fuse_attention", "probs"));
}

}  // namespace
}  // namespace ecoinfer::test
