// Harness cases for the compute-heavy ops that have fast kernels (Conv, Gemm, MatMul,
// pooling) and the normalisations. Random cases check fast kernels against the reference;
// small hand-computed cases check the reference itself.
#include "ops/op_cases.h"

namespace ecoinfer::test {
namespace {

OpCase conv_case(const std::string& label, Shape x, Shape w, bool bias, std::map<std::string, Attribute> attrs,
                 uint32_t seed) {
  OpCase c{label, make_node("Conv", std::move(attrs)), {random_f32(x, seed), random_f32(w, seed + 1)}};
  if (bias) c.inputs.push_back(random_f32({w[0]}, seed + 2));
  return c;
}

ECO_OP_CASES("Conv", [] {
  std::vector<OpCase> v;
  // 2x2 input, 1x1 kernel with weight 2 and bias 1: y = 2x + 1.
  v.push_back(OpCase{"1x1 by hand", make_node("Conv"), {f32({1, 1, 2, 2}, {1, 2, 3, 4}), f32({1, 1, 1, 1}, {2}), f32({1}, {1})},
                     {f32({1, 1, 2, 2}, {3, 5, 7, 9})}});
  // 3x3 all-ones kernel with pad 1 on a 3x3 ramp: border sums by hand.
  v.push_back(OpCase{"3x3 pad 1 by hand", make_node("Conv", {{"pads", attr_ints({1, 1, 1, 1})}}),
                     {f32({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}), f32({1, 1, 3, 3}, std::vector<float>(9, 1.f))},
                     {f32({1, 1, 3, 3}, {12, 21, 16, 27, 45, 33, 24, 39, 28})}});
  v.push_back(conv_case("3x3 s1 p1 16->16", {2, 16, 8, 8}, {16, 16, 3, 3}, true, {{"pads", attr_ints({1, 1, 1, 1})}}, 10));
  v.push_back(conv_case("3x3 s2 p1 16->32", {1, 16, 9, 9}, {32, 16, 3, 3}, true,
                        {{"pads", attr_ints({1, 1, 1, 1})}, {"strides", attr_ints({2, 2})}}, 20));
  v.push_back(conv_case("first layer 3->16", {3, 3, 12, 12}, {16, 3, 3, 3}, false, {{"pads", attr_ints({1, 1, 1, 1})}}, 30));
  v.push_back(conv_case("depthwise 3x3", {1, 24, 10, 10}, {24, 1, 3, 3}, true,
                        {{"pads", attr_ints({1, 1, 1, 1})}, {"group", attr_i(24)}}, 40));
  v.push_back(conv_case("grouped 1x1", {2, 16, 5, 5}, {32, 4, 1, 1}, true, {{"group", attr_i(4)}}, 50));
  v.push_back(conv_case("dilated asym pads", {1, 8, 11, 9}, {8, 8, 3, 3}, false,
                        {{"pads", attr_ints({2, 1, 0, 2})}, {"dilations", attr_ints({2, 2})}}, 60));
  v.push_back(conv_case("same_upper stride 2", {1, 8, 7, 7}, {16, 8, 3, 3}, true,
                        {{"auto_pad", attr_s("SAME_UPPER")}, {"strides", attr_ints({2, 2})}}, 70));
  v.push_back(conv_case("patch embed 4x4 s4", {2, 3, 16, 16}, {32, 3, 4, 4}, true, {{"strides", attr_ints({4, 4})}}, 80));
  v.push_back(conv_case("1-D", {2, 4, 10}, {6, 4, 3}, true, {{"pads", attr_ints({1, 1})}}, 90));
  return v;
});

ECO_OP_CASES("MatMul", [] {
  std::vector<OpCase> v;
  v.push_back(OpCase{"2x2 by hand", make_node("MatMul"), {f32({2, 2}, {1, 2, 3, 4}), f32({2, 2}, {5, 6, 7, 8})},
                     {f32({2, 2}, {19, 22, 43, 50})}});
  v.push_back(OpCase{"1-D x 2-D", make_node("MatMul"), {f32({2}, {1, 2}), f32({2, 3}, {1, 2, 3, 4, 5, 6})},
                     {f32({3}, {9, 12, 15})}});
  v.push_back(OpCase{"linear layer [2,17,64]x[64,48]", make_node("MatMul"), {random_f32({2, 17, 64}, 1), random_f32({64, 48}, 2)}});
  v.push_back(OpCase{"attention [2,4,17,8]x[2,4,8,17]", make_node("MatMul"), {random_f32({2, 4, 17, 8}, 3), random_f32({2, 4, 8, 17}, 4)}});
  // Products over 2^21 MACs: one per thread when the batches split evenly (2), sgemm's own
  // threads when they would not (3 on 2 threads).
  v.push_back(OpCase{"large products [2,200,128]x[2,128,100]", make_node("MatMul"), {random_f32({2, 200, 128}, 5), random_f32({2, 128, 100}, 6)}});
  v.push_back(OpCase{"large products [3,200,128]x[3,128,100]", make_node("MatMul"), {random_f32({3, 200, 128}, 7), random_f32({3, 128, 100}, 8)}});
  v.push_back(OpCase{"batch broadcast [3,1,5,6]x[4,6,2]", make_node("MatMul"), {random_f32({3, 1, 5, 6}, 5), random_f32({4, 6, 2}, 6)}});
  return v;
});

ECO_OP_CASES("Gemm", [] {
  std::vector<OpCase> v;
  v.push_back(OpCase{"transB with bias by hand", make_node("Gemm", {{"transB", attr_i(1)}}),
                     {f32({1, 2}, {1, 2}), f32({3, 2}, {1, 0, 0, 1, 1, 1}), f32({3}, {10, 20, 30})},
                     {f32({1, 3}, {11, 22, 33})}});
  v.push_back(OpCase{"classifier head transB", make_node("Gemm", {{"transB", attr_i(1)}}),
                     {random_f32({4, 64}, 7), random_f32({10, 64}, 8), random_f32({10}, 9)}});
  v.push_back(OpCase{"transA alpha beta, C [M,1]", make_node("Gemm", {{"transA", attr_i(1)}, {"alpha", attr_f(0.5f)}, {"beta", attr_f(2.f)}}),
                     {random_f32({6, 5}, 10), random_f32({6, 7}, 11), random_f32({5, 1}, 12)}});
  v.push_back(OpCase{"no C", make_node("Gemm"), {random_f32({3, 4}, 13), random_f32({4, 5}, 14)}});
  return v;
});

ECO_OP_CASES("BatchNormalization", [] {
  std::vector<OpCase> v;
  // (x - mean) / sqrt(var + eps) * scale + bias with var + eps = 4.
  v.push_back(OpCase{"by hand", make_node("BatchNormalization", {{"epsilon", attr_f(0.f)}}),
                     {f32({1, 2, 1, 2}, {1, 3, 5, 7}), f32({2}, {1, 2}), f32({2}, {0, 1}), f32({2}, {1, 5}), f32({2}, {4, 4})},
                     {f32({1, 2, 1, 2}, {0, 1, 1, 3})}});
  v.push_back(OpCase{"random", make_node("BatchNormalization"),
                     {random_f32({2, 8, 3, 3}, 1), random_f32({8}, 2), random_f32({8}, 3), random_f32({8}, 4), random_f32({8}, 5, 0.5f, 2.f)}});
  return v;
});

ECO_OP_CASES("LayerNormalization", [] {
  std::vector<OpCase> v;
  OpCase c{"by hand, last axis", make_node("LayerNormalization", {{"epsilon", attr_f(0.f)}}),
           {f32({1, 4}, {1, 2, 3, 4}), f32({4}, {1, 1, 1, 1}), f32({4}, {0, 0, 0, 1})}};
  const float s = 1.f / std::sqrt(1.25f);
  c.expected = {f32({1, 4}, {-1.5f * s, -0.5f * s, 0.5f * s, 1.5f * s + 1})};
  c.expected_atol = 1e-6;
  v.push_back(c);
  v.push_back(OpCase{"random axis -1", make_node("LayerNormalization"), {random_f32({2, 5, 16}, 6), random_f32({16}, 7), random_f32({16}, 8)}});
  return v;
});

ECO_OP_CASES("MaxPool", [] {
  std::vector<OpCase> v;
  v.push_back(OpCase{"2x2 s2 by hand", make_node("MaxPool", {{"kernel_shape", attr_ints({2, 2})}, {"strides", attr_ints({2, 2})}}),
                     {f32({1, 1, 2, 4}, {1, 5, 2, 0, 3, 4, -1, 8})}, {f32({1, 1, 1, 2}, {5, 8})}});
  v.push_back(OpCase{"3x3 s2 p1 (ResNet stem)", make_node("MaxPool", {{"kernel_shape", attr_ints({3, 3})}, {"strides", attr_ints({2, 2})}, {"pads", attr_ints({1, 1, 1, 1})}}),
                     {random_f32({2, 8, 9, 9}, 1)}});
  v.push_back(OpCase{"ceil_mode 3x3 s2", make_node("MaxPool", {{"kernel_shape", attr_ints({3, 3})}, {"strides", attr_ints({2, 2})}, {"ceil_mode", attr_i(1)}}),
                     {random_f32({1, 4, 8, 8}, 2)}});
  return v;
});

ECO_OP_CASES("AveragePool", [] {
  std::vector<OpCase> v;
  v.push_back(OpCase{"pad excluded by hand", make_node("AveragePool", {{"kernel_shape", attr_ints({2, 2})}, {"pads", attr_ints({1, 1, 0, 0})}}),
                     {f32({1, 1, 2, 2}, {1, 2, 3, 4})}, {f32({1, 1, 2, 2}, {1, 1.5f, 2, 2.5f})}});
  v.push_back(OpCase{"pad included by hand", make_node("AveragePool", {{"kernel_shape", attr_ints({2, 2})}, {"pads", attr_ints({1, 1, 0, 0})}, {"count_include_pad", attr_i(1)}}),
                     {f32({1, 1, 2, 2}, {1, 2, 3, 4})}, {f32({1, 1, 2, 2}, {0.25f, 0.75f, 1, 2.5f})}});
  v.push_back(OpCase{"3x3 s2 p1 ceil", make_node("AveragePool", {{"kernel_shape", attr_ints({3, 3})}, {"strides", attr_ints({2, 2})}, {"pads", attr_ints({1, 1, 1, 1})}, {"ceil_mode", attr_i(1)}}),
                     {random_f32({2, 4, 8, 8}, 3)}});
  return v;
});

ECO_OP_CASES("GlobalAveragePool", [] {
  return std::vector<OpCase>{
      OpCase{"by hand", make_node("GlobalAveragePool"), {f32({1, 2, 1, 2}, {1, 3, 5, 9})}, {f32({1, 2, 1, 1}, {2, 7})}},
      OpCase{"random", make_node("GlobalAveragePool"), {random_f32({3, 64, 8, 8}, 4)}}};
});
ECO_OP_CASES("GlobalMaxPool", [] {
  return std::vector<OpCase>{
      OpCase{"by hand", make_node("GlobalMaxPool"), {f32({1, 2, 1, 2}, {1, 3, 5, -9})}, {f32({1, 2, 1, 1}, {3, 5})}}};
});

}  // namespace
}  // namespace ecoinfer::test

namespace ecoinfer::test {
namespace {
// Sizes with a vector tail (not a multiple of 16) for the AVX-512 row kernels.
ECO_OP_CASES("Softmax", [] {
  return std::vector<OpCase>{OpCase{"attention rows of 37", make_node("Softmax", {{"axis", attr_i(-1)}}), {random_f32({2, 3, 5, 37}, 21, -8, 8)}},
                             OpCase{"rows of 16", make_node("Softmax"), {random_f32({4, 16}, 22, -3, 3)}}};
});
ECO_OP_CASES("LayerNormalization", [] {
  return std::vector<OpCase>{OpCase{"width 40, no bias", make_node("LayerNormalization"), {random_f32({3, 7, 40}, 23, -2, 5), random_f32({40}, 24)}}};
});
}  // namespace
}  // namespace ecoinfer::test
