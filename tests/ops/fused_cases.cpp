// Harness cases for the compile pipeline's fused ops.
#include "ops/op_cases.h"

namespace ecoinfer::test {
namespace {

Node fused(const std::string& op, std::map<std::string, Attribute> attrs) {
  Node n = make_node(op, std::move(attrs));
  n.domain = "com.ecoinfer";
  return n;
}

ECO_OP_CASES("FusedConv", [] {
  std::vector<OpCase> v;
  // 1x1 conv y = 2x + b, plus residual, then Relu, by hand.
  v.push_back(OpCase{"1x1 + residual + relu by hand", fused("FusedConv", {{"activation", attr_s("Relu")}}),
                     {f32({1, 1, 1, 3}, {1, -2, 3}), f32({1, 1, 1, 1}, {2}), f32({1}, {1}), f32({1, 1, 1, 3}, {0, 1, -10})},
                     {f32({1, 1, 1, 3}, {3, 0, 0})}});
  v.push_back(OpCase{"3x3 relu", fused("FusedConv", {{"activation", attr_s("Relu")}, {"pads", attr_ints({1, 1, 1, 1})}}),
                     {random_f32({2, 16, 8, 8}, 1), random_f32({16, 16, 3, 3}, 2), random_f32({16}, 3)}});
  v.push_back(OpCase{"3x3 residual relu", fused("FusedConv", {{"activation", attr_s("Relu")}, {"pads", attr_ints({1, 1, 1, 1})}}),
                     {random_f32({2, 16, 8, 8}, 4), random_f32({16, 16, 3, 3}, 5), random_f32({16}, 6), random_f32({2, 16, 8, 8}, 7)}});
  v.push_back(OpCase{"depthwise clip 0..6", fused("FusedConv", {{"activation", attr_s("Clip")}, {"clip_min", attr_f(0)}, {"clip_max", attr_f(6)},
                                                               {"group", attr_i(8)}, {"pads", attr_ints({1, 1, 1, 1})}}),
                     {random_f32({1, 8, 7, 7}, 8, -4, 4), random_f32({8, 1, 3, 3}, 9, -2, 2), random_f32({8}, 10)}});
  v.push_back(OpCase{"residual, no activation, stride 2", fused("FusedConv", {{"strides", attr_ints({2, 2})}}),
                     {random_f32({1, 8, 8, 8}, 11), random_f32({16, 8, 1, 1}, 12), Tensor(), random_f32({1, 16, 4, 4}, 13)}});
  v.push_back(OpCase{"3x3 swish (SiLU)", fused("FusedConv", {{"activation", attr_s("Swish")}, {"pads", attr_ints({1, 1, 1, 1})}}),
                     {random_f32({2, 16, 7, 7}, 21, -3, 3), random_f32({16, 16, 3, 3}, 22), random_f32({16}, 23)}});
  v.push_back(OpCase{"3x3 hardswish", fused("FusedConv", {{"activation", attr_s("HardSwish")}, {"pads", attr_ints({1, 1, 1, 1})}}),
                     {random_f32({2, 16, 7, 7}, 24, -3, 3), random_f32({16, 16, 3, 3}, 25), random_f32({16}, 26)}});
  v.push_back(OpCase{"hardswish by hand", fused("FusedConv", {{"activation", attr_s("HardSwish")}}),
                     {f32({1, 1, 1, 3}, {-4, 1, 4}), f32({1, 1, 1, 1}, {1}), f32({1}, {0})}, {f32({1, 1, 1, 3}, {0, 2.f / 3.f, 4})}});
  v.push_back(OpCase{"swish by hand", fused("FusedConv", {{"activation", attr_s("Swish")}}),
                     {f32({1, 1, 1, 2}, {0, 2}), f32({1, 1, 1, 1}, {1}), f32({1}, {0})}, {f32({1, 1, 1, 2}, {0, 1.76159416f})}});
  // channels_last: X [N,H,W,C], residual and Y [N,OH,OW,OC]; weights stay OIHW.
  // By hand: 1x1 conv, 2 input channels -> 1 output channel, y = x0 + 10 x1 + 1.
  v.push_back(OpCase{"channels_last 1x1 by hand", fused("FusedConv", {{"channels_last", attr_i(1)}}),
                     {f32({1, 1, 2, 2}, {1, 2, 3, 4}), f32({1, 2, 1, 1}, {1, 10}), f32({1}, {1})},
                     {f32({1, 1, 2, 1}, {22, 44})}});
  v.push_back(OpCase{"channels_last 3x3 residual relu", fused("FusedConv", {{"activation", attr_s("Relu")}, {"pads", attr_ints({1, 1, 1, 1})},
                                                                          {"channels_last", attr_i(1)}}),
                     {random_f32({2, 8, 8, 16}, 14), random_f32({16, 16, 3, 3}, 15), random_f32({16}, 16), random_f32({2, 8, 8, 16}, 17)}});
  v.push_back(OpCase{"channels_last 3 input channels, stride 2, clip", fused("FusedConv", {{"activation", attr_s("Clip")}, {"clip_min", attr_f(0)},
                                                                                         {"clip_max", attr_f(6)}, {"strides", attr_ints({2, 2})},
                                                                                         {"pads", attr_ints({1, 1, 1, 1})}, {"channels_last", attr_i(1)}}),
                     {random_f32({2, 9, 9, 3}, 18, -4, 4), random_f32({16, 3, 3, 3}, 19), random_f32({16}, 20)}});
  return v;
});

ECO_OP_CASES("FusedLinear", [] {
  std::vector<OpCase> v;
  v.push_back(OpCase{"bias + relu by hand", fused("FusedLinear", {{"activation", attr_s("Relu")}}),
                     {f32({1, 2}, {1, 2}), f32({2, 2}, {1, -1, 1, -1}), f32({2}, {0.5f, 0.5f})}, {f32({1, 2}, {3.5f, 0})}});
  v.push_back(OpCase{"tokens [2,17,32] gelu", fused("FusedLinear", {{"activation", attr_s("Gelu")}}),
                     {random_f32({2, 17, 32}, 14, -3, 3), random_f32({32, 40}, 15), random_f32({40}, 16)}});
  v.push_back(OpCase{"no bias, no activation", fused("FusedLinear", {{"activation", attr_s("")}}),
                     {random_f32({5, 24}, 17), random_f32({24, 10}, 18), Tensor()}});
  return v;
});

}  // namespace
}  // namespace ecoinfer::test
