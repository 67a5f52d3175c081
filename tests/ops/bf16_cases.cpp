// Harness cases for layers the bf16 tactic marks (`_compute_dtype` = "bf16",
// ops/compute_dtype.h): the reference rounds the data and weight operands to bfloat16
// (round half to even) and accumulates in double; the bf16 kernels (oneDNN, AVX512-BF16)
// multiply the same bf16 values exactly and accumulate in fp32, so they differ from the
// reference only by summation order: the default fp32 budget (1e-5) holds.
#include "ops/op_cases.h"

namespace ecoinfer::test {
namespace {

std::map<std::string, Attribute> bf16(std::map<std::string, Attribute> attrs = {}) {
  attrs["_compute_dtype"] = attr_s("bf16");
  return attrs;
}

Node fused(const std::string& op, std::map<std::string, Attribute> attrs) {
  Node n = make_node(op, bf16(std::move(attrs)));
  n.domain = "com.ecoinfer";
  return n;
}

ECO_OP_CASES("MatMul", [] {
  std::vector<OpCase> v;
  // 1 + 2^-8 is half-way between bf16 neighbours 1 and 1 + 2^-7: ties to even, 1.
  // 1 + 3 * 2^-8 is half-way between 1 + 2^-7 and 1 + 2^-6: ties to even, 1 + 2^-6.
  // Between 2 and 4 bf16 values are 2^-6 apart: 3 + 2^-7 is half-way, ties to even, 3.
  v.push_back(OpCase{"bf16 rounding by hand (ties to even)", make_node("MatMul", bf16()),
                     {f32({2, 1}, {1.00390625f, 1.01171875f}), f32({1, 2}, {3.f, 3.f + 1.f / 128.f})},
                     {f32({2, 2}, {3.f, 3.f, 3.046875f, 3.046875f})}});
  v.push_back(OpCase{"bf16 linear layer [2,17,64]x[64,48]", make_node("MatMul", bf16()),
                     {random_f32({2, 17, 64}, 31), random_f32({64, 48}, 32)}});
  v.push_back(OpCase{"bf16 linear layer [197,768]x[768,96]", make_node("MatMul", bf16()),
                     {random_f32({1, 197, 768}, 33, -3, 3), random_f32({768, 96}, 34, -0.1f, 0.1f)}});
  return v;
});

ECO_OP_CASES("FusedLinear", [] {
  std::vector<OpCase> v;
  v.push_back(OpCase{"bf16 tokens [2,17,32] bias gelu", fused("FusedLinear", {{"activation", attr_s("Gelu")}}),
                     {random_f32({2, 17, 32}, 35, -3, 3), random_f32({32, 40}, 36), random_f32({40}, 37)}});
  v.push_back(OpCase{"bf16 [5,24] bias relu", fused("FusedLinear", {{"activation", attr_s("Relu")}}),
                     {random_f32({5, 24}, 38), random_f32({24, 10}, 39), random_f32({10}, 40)}});
  v.push_back(OpCase{"bf16 no bias", fused("FusedLinear", {{"activation", attr_s("")}}),
                     {random_f32({3, 64}, 41), random_f32({64, 16}, 42), Tensor()}});
  return v;
});

ECO_OP_CASES("Conv", [] {
  std::vector<OpCase> v;
  v.push_back(OpCase{"bf16 1x1 by hand (weight 3 + 2^-7 rounds to 3)", make_node("Conv", bf16()),
                     {f32({1, 1, 1, 2}, {1.00390625f, 2.f}), f32({1, 1, 1, 1}, {3.f + 1.f / 128.f}), f32({1}, {0.5f})},
                     {f32({1, 1, 1, 2}, {3.5f, 6.5f})}});
  v.push_back(OpCase{"bf16 3x3 pad 1, 16 -> 32 channels", make_node("Conv", bf16({{"pads", attr_ints({1, 1, 1, 1})}})),
                     {random_f32({2, 16, 8, 8}, 43), random_f32({32, 16, 3, 3}, 44), random_f32({32}, 45)}});
  v.push_back(OpCase{"bf16 first layer 3 channels, stride 2", make_node("Conv", bf16({{"pads", attr_ints({1, 1, 1, 1})},
                                                                                     {"strides", attr_ints({2, 2})}})),
                     {random_f32({1, 3, 16, 16}, 46), random_f32({16, 3, 3, 3}, 47), random_f32({16}, 48)}});
  return v;
});

ECO_OP_CASES("FusedConv", [] {
  std::vector<OpCase> v;
  v.push_back(OpCase{"bf16 3x3 residual relu", fused("FusedConv", {{"activation", attr_s("Relu")}, {"pads", attr_ints({1, 1, 1, 1})}}),
                     {random_f32({2, 16, 8, 8}, 49), random_f32({16, 16, 3, 3}, 50), random_f32({16}, 51), random_f32({2, 16, 8, 8}, 52)}});
  v.push_back(OpCase{"bf16 depthwise clip 0..6", fused("FusedConv", {{"activation", attr_s("Clip")}, {"clip_min", attr_f(0)},
                                                                    {"clip_max", attr_f(6)}, {"group", attr_i(16)},
                                                                    {"pads", attr_ints({1, 1, 1, 1})}}),
                     {random_f32({1, 16, 7, 7}, 53, -4, 4), random_f32({16, 1, 3, 3}, 54, -2, 2), random_f32({16}, 55)}});
  v.push_back(OpCase{"bf16 channels_last 3x3 residual relu", fused("FusedConv", {{"activation", attr_s("Relu")}, {"pads", attr_ints({1, 1, 1, 1})},
                                                                                {"channels_last", attr_i(1)}}),
                     {random_f32({2, 8, 8, 32}, 56), random_f32({32, 32, 3, 3}, 57), random_f32({32}, 58), random_f32({2, 8, 8, 32}, 59)}});
  v.push_back(OpCase{"bf16 1x1 swish, 64 channels", fused("FusedConv", {{"activation", attr_s("Swish")}}),
                     {random_f32({1, 64, 7, 7}, 60, -3, 3), random_f32({64, 64, 1, 1}, 61), random_f32({64}, 62)}});
  return v;
});

}  // namespace
}  // namespace ecoinfer::test
