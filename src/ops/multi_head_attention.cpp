// Reference kernel of com.ecoinfer MultiHeadAttention (see multi_head_attention.h). It rounds
// where the unfused graph rounds: scores to float after a double dot product (MatMul), a
// float division (Div), softmax in double (Softmax), then a double dot product with v.
#include "ops/multi_head_attention.h"

#include <cmath>
#include <limits>

#include "ops/op_util.h"

namespace ecoinfer::ops {

AttentionShape resolve_attention(const OpContext& c) {
  const Node& n = c.node;
  AttentionShape a;
  a.batch = n.attr_int("batch");
  a.tokens = n.attr_int("tokens");
  a.heads = n.attr_int("num_heads");
  a.head_dim = n.attr_int("head_dim");
  a.divisor = n.attr_float("scale_divisor", 1.f);
  a.out_shape = n.attr_ints("output_shape");
  ECO_CHECK(a.batch > 0 && a.tokens > 0 && a.heads > 0 && a.head_dim > 0, "{}: batch, tokens, num_heads and head_dim must be positive",
            n.describe());
  const int64_t per = a.batch * a.tokens * a.channels();
  ECO_CHECK(shape_numel(a.out_shape) == per, "{}: output_shape {} does not hold {} values", n.describe(), shape_str(a.out_shape), per);
  const bool packed = n.attr_int("packed_qkv", 0) != 0;
  for (size_t i = 0; i < (packed ? 1u : 3u); ++i) {
    const Tensor& t = require_f32(c, i);
    ECO_CHECK(t.numel() == (packed ? 3 : 1) * per, "{}: input {} has shape {}, expected {} values ({} x {} tokens x {}{} channels)",
              n.describe(), i, shape_str(t.shape()), (packed ? 3 : 1) * per, a.batch, a.tokens, packed ? "3 x " : "", a.channels());
  }
  if (packed) {
    a.ld = 3 * a.channels();
    a.q = c.in(0).data<float>();
    a.k = a.q + a.channels();
    a.v = a.q + 2 * a.channels();
  } else {
    a.ld = a.channels();
    a.q = c.in(0).data<float>();
    a.k = c.in(1).data<float>();
    a.v = c.in(2).data<float>();
  }
  return a;
}

namespace {

std::vector<Tensor> attention_ref(OpContext& c) {
  const AttentionShape a = resolve_attention(c);
  const int64_t T = a.tokens, D = a.head_dim, C = a.channels();
  Tensor y = Tensor::empty(DType::f32, a.out_shape);
  float* out = y.data<float>();
  std::vector<float> s(T * T);
  std::vector<float> p(T * T);
  for (int64_t b = 0; b < a.batch; ++b)
    for (int64_t h = 0; h < a.heads; ++h) {
      const float* q = a.q + b * T * a.ld + h * D;
      const float* k = a.k + b * T * a.ld + h * D;
      const float* v = a.v + b * T * a.ld + h * D;
      for (int64_t i = 0; i < T; ++i)
        for (int64_t j = 0; j < T; ++j) {
          double acc = 0;
          for (int64_t d = 0; d < D; ++d) acc += double(q[i * a.ld + d]) * k[j * a.ld + d];
          s[i * T + j] = static_cast<float>(acc) / a.divisor;
        }
      for (int64_t i = 0; i < T; ++i) {
        double mx = -std::numeric_limits<double>::infinity();
        for (int64_t j = 0; j < T; ++j) mx = std::max<double>(mx, s[i * T + j]);
        double sum = 0;
        for (int64_t j = 0; j < T; ++j) sum += std::exp(s[i * T + j] - mx);
        for (int64_t j = 0; j < T; ++j) p[i * T + j] = static_cast<float>(std::exp(s[i * T + j] - mx) / sum);
      }
      for (int64_t i = 0; i < T; ++i)
        for (int64_t d = 0; d < D; ++d) {
          double acc = 0;
          for (int64_t j = 0; j < T; ++j) acc += double(p[i * T + j]) * v[j * a.ld + d];
          out[(b * T + i) * C + h * D + d] = static_cast<float>(acc);
        }
    }
  return {y};
}

}  // namespace

ECO_REGISTER_OP(OpSchema{.domain = kEcoDomain, .op_type = "MultiHeadAttention", .min_inputs = 1, .max_inputs = 3,
                         .reference = attention_ref,
                         .infer = [](const Node& n, const std::vector<TensorMeta>&) {
                           return std::vector<TensorMeta>{{DType::f32, n.attr_ints("output_shape"), nullptr}};
                         },
                         .macs = [](const Node& n, const std::vector<TensorMeta>&, const std::vector<TensorMeta>&) {
                           // q k^T and p v: 2 * B * H * T * T * D
                           const int64_t t = n.attr_int("tokens", 0);
                           return 2 * n.attr_int("batch", 0) * n.attr_int("num_heads", 0) * t * t * n.attr_int("head_dim", 0);
                         }});

}  // namespace ecoinfer::ops
