// Harness cases for com.ecoinfer MultiHeadAttention (the fuse_attention pass's op).
#include "ops/op_cases.h"

namespace ecoinfer::test {
namespace {

Node mha(int64_t b, int64_t t, int64_t h, int64_t d, float divisor, bool packed) {
  Node n = make_node("MultiHeadAttention", {{"batch", attr_i(b)}, {"tokens", attr_i(t)}, {"num_heads", attr_i(h)},
                                            {"head_dim", attr_i(d)}, {"scale_divisor", attr_f(divisor)},
                                            {"output_shape", attr_ints({b, t, h * d})}, {"packed_qkv", attr_i(packed ? 1 : 0)}});
  n.domain = "com.ecoinfer";
  return n;
}

ECO_OP_CASES("MultiHeadAttention", [] {
  std::vector<OpCase> v;
  // By hand: one head, two tokens, D = 1, q = k = [0, 0]: equal scores, so each output is
  // the mean of v.
  v.push_back(OpCase{"uniform scores by hand", mha(1, 2, 1, 1, 1.f, false), {f32({1, 2, 1}, {0, 0}), f32({1, 2, 1}, {0, 0}), f32({1, 2, 1}, {1, 3})},
                     {f32({1, 2, 1}, {2, 2})}});
  // By hand: q = [10], k = [[10], [0]], divisor 100: scores [1, 0], softmax [e/(e+1), 1/(e+1)].
  const float e = 2.718281828f;
  v.push_back(OpCase{"divisor by hand", mha(1, 2, 1, 1, 100.f, false), {f32({1, 2, 1}, {10, 10}), f32({1, 2, 1}, {10, 0}), f32({1, 2, 1}, {1, 0})},
                     {f32({1, 2, 1}, {e / (e + 1), e / (e + 1)})}, 1, 1e-5, 1e-6});
  v.push_back(OpCase{"vit-like, separate q k v", mha(2, 17, 4, 8, 5.656854f, false),
                     {random_f32({2, 17, 32}, 1, -2, 2), random_f32({2, 17, 32}, 2, -2, 2), random_f32({2, 17, 32}, 3)}});
  v.push_back(OpCase{"packed qkv, 65 tokens", mha(3, 65, 2, 16, 4.f, true), {random_f32({3, 65, 96}, 4, -2, 2)}});
  v.push_back(OpCase{"one token, one head", mha(1, 1, 1, 5, 1.f, true), {random_f32({1, 1, 15}, 5)}});
  return v;
});

}  // namespace
}  // namespace ecoinfer::test
