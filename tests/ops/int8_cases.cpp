// Harness cases for com.ecoinfer::MatMulDynamicInt8 (dynamic-int8's op). The fast VNNI
// kernel must equal the reference exactly (budget 0): both sum integers exactly and apply
// the same float operations in the same order.
#include "ops/op_cases.h"

namespace ecoinfer::test {
namespace {

Tensor random_i8(Shape shape, uint32_t seed) {
  std::mt19937 rng(seed);
  Tensor t = Tensor::empty(DType::i8, shape);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<int8_t>()[i] = static_cast<int8_t>(static_cast<int>(rng() % 256) - 128);
  return t;
}

OpCase int8_case(const std::string& label, Shape a, int64_t n, bool per_channel, bool bias, uint32_t seed,
                 int reduce_range = 1, float lo = -3.f, float hi = 5.f) {
  const int64_t k = a.back();
  OpCase c{label, make_node("MatMulDynamicInt8", {{"reduce_range", attr_i(reduce_range)}}),
           {random_f32(a, seed, lo, hi), random_i8({k, n}, seed + 1),
            per_channel ? random_f32({n}, seed + 2, 1e-3f, 2e-2f) : Tensor::scalar<float>(0.0123f)}};
  c.node.domain = "com.ecoinfer";
  if (bias) c.inputs.push_back(random_f32({n}, seed + 3));
  c.budget = 0.0;
  return c;
}

ECO_OP_CASES("MatMulDynamicInt8", [] {
  std::vector<OpCase> v;
  // x = [[0, 1.27]] with reduce_range: scale 0.01, zero point 0, q = [0, 127];
  // weight [[1], [2]] scale 0.5: y = (0*1 + 127*2) * 0.01 * 0.5 + bias 1 = 2.27.
  OpCase hand{"by hand", make_node("MatMulDynamicInt8"),
              {f32({1, 2}, {0.f, 1.27f}), Tensor::from<int8_t>({2, 1}, std::vector<int8_t>{1, 2}), Tensor::scalar<float>(0.5f),
               f32({1}, {1.f})},
              {f32({1, 1}, {2.27f})}};
  hand.node.domain = "com.ecoinfer";
  hand.expected_atol = 1e-5;
  v.push_back(hand);
  v.push_back(int8_case("linear [2,17,64] -> 48, per tensor, bias", {2, 17, 64}, 48, false, true, 1));
  v.push_back(int8_case("ViT qkv [3,65,128] -> 384", {3, 65, 128}, 384, false, false, 5));
  v.push_back(int8_case("per channel, K=13 N=37 (padding)", {7, 13}, 37, true, true, 9));
  v.push_back(int8_case("one row, K=3", {1, 3}, 5, false, true, 13));
  v.push_back(int8_case("1-D activation", {24}, 20, true, false, 17));
  v.push_back(int8_case("no reduce_range", {9, 40}, 33, false, true, 21, 0));
  v.push_back(int8_case("all positive (ReLU output)", {32, 256}, 128, false, true, 25, 1, 0.f, 4.f));
  v.push_back(int8_case("all negative", {5, 8}, 16, false, false, 29, 1, -2.f, -1.f));
  v.push_back(int8_case("tiny range (6.1e-5 floor)", {6, 20}, 18, false, true, 33, 1, -1e-6f, 1e-6f));
  v.push_back(int8_case("MNIST fc1 [32,9216]x[9216,128]", {32, 9216}, 128, false, true, 37));
  return v;
});

}  // namespace
}  // namespace ecoinfer::test
