// convert_conv_to_channels_last: 2-D dense or depthwise convolutions with >= 8 output
// channels become NHWC FusedConvs between Transposes, kept only when at least two convert and
// few Transposes survive cancel_transposes (tried on a copy). NHWC and NCHW oneDNN
// convolutions agree within 1e-5 of the output's scale.
#include "passes/pass_test_util.h"

namespace ecoinfer::test {
namespace {

// x [1,16,6,6] -> 3 x (Conv 16->16 3x3 -> between).
Graph conv_chain(const std::string& between, int convs = 3) {
  GraphBuilder b;
  b.input("x", {1, 16, 6, 6});
  std::string prev = "x";
  for (int i = 0; i < convs; ++i) {
    const std::string c = "c" + std::to_string(i), a = "a" + std::to_string(i);
    b.constant(c + "_w", random_f32({16, 16, 3, 3}, 80 + i, -0.3f, 0.3f))
        .node("Conv", {prev, c + "_w"}, {c}, {{"pads", attr_ints({1, 1, 1, 1})}})
        .node(between, {c}, {a});
    prev = a;
  }
  return b.output(prev).build();
}

int channels_last(const Graph& g) {
  int n = 0;
  for (auto& node : g.nodes) n += node.attr_int("channels_last", 0) != 0;
  return n;
}

TEST(ConvertConvToChannelsLast, AChainConvertsAndItsInnerTransposesCancel) {
  Graph g = conv_chain("Relu");
  for (const char* c : {"c0", "c1", "c2"}) EXPECT_TRUE(matches_at(g, "convert_conv_to_channels_last", c)) << c;
  auto r = run_one(g, "convert_conv_to_channels_last");
  EXPECT_EQ(r.rewrites, 3);
  EXPECT_EQ(channels_last(r.graph), 3);
  EXPECT_EQ(r.graph.op_counts()["Transpose"], 2);  // one at each end
  expect_same_outputs(g, r.graph, 1e-5);
}

TEST(ConvertConvToChannelsLast, KeptOnlyWhenItPays) {
  // Softmax stops the Transposes: six would survive for three convolutions.
  EXPECT_EQ(run_one(conv_chain("Softmax"), "convert_conv_to_channels_last").rewrites, 0);
  // A lone convolution would only gain two Transposes.
  EXPECT_EQ(run_one(conv_chain("Relu", 1), "convert_conv_to_channels_last").rewrites, 0);
  // Without cancel_transposes nothing cancels, so nothing converts.
  Graph g = conv_chain("Relu");
  auto r = run_one(g, "convert_conv_to_channels_last", passes::PassOptions{{"cancel_transposes"}, nullptr});
  EXPECT_EQ(r.rewrites, 0);
  EXPECT_EQ(channels_last(r.graph), 0);
}

TEST(ConvertConvToChannelsLast, ConditionTakesOnlyWhatOneDnnRunsInNhwc) {
  GraphBuilder b;
  b.input("x", {1, 16, 6, 6})
      .input("x1", {1, 16, 6})
      .constant("w_dw", random_f32({16, 1, 3, 3}, 90))
      .constant("w_g2", random_f32({16, 8, 3, 3}, 91))
      .constant("w_4", random_f32({4, 16, 1, 1}, 92))
      .constant("w_1d", random_f32({16, 16, 3}, 93))
      .constant("w", random_f32({16, 16, 1, 1}, 94))
      .node("Conv", {"x", "w_dw"}, {"depthwise"}, {{"group", attr_int(16)}, {"pads", attr_ints({1, 1, 1, 1})}})
      .node("Conv", {"x", "w_g2"}, {"grouped"}, {{"group", attr_int(2)}, {"pads", attr_ints({1, 1, 1, 1})}})
      .node("Conv", {"x", "w_4"}, {"narrow"})
      .node("Conv", {"x1", "w_1d"}, {"conv1d"}, {{"pads", attr_ints({1, 1})}})
      .node("Conv", {"x", "w"}, {"same"}, {{"auto_pad", attr_s("SAME_UPPER")}});
  Graph g = b.output("depthwise").output("grouped").output("narrow").output("conv1d").output("same").build();
  EXPECT_TRUE(matches_at(g, "convert_conv_to_channels_last", "depthwise"));
  for (const char* n : {"grouped", "narrow", "conv1d", "same"}) EXPECT_FALSE(matches_at(g, "convert_conv_to_channels_last", n)) << n;
}

}  // namespace
}  // namespace ecoinfer::test
