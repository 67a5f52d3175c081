// MultiHeadAttention, one (batch, head) pair per thread at a time: scores q k^T by oneDNN's
// sgemm straight from the strided q/k rows (no Split, Reshape or Transpose copies), the
// division and softmax over each score row with AVX-512 while the T x T block is in L1/L2,
// then p v by sgemm written straight into the head's columns of the output.
#include <oneapi/dnnl/dnnl.h>

#include <vector>

#include "kernels/avx512/cpu_features.h"
#include "kernels/avx512/vec_math_avx512.h"
#include "ops/multi_head_attention.h"

namespace ecoinfer::avx512 {
namespace {

bool attention_supports(const OpContext& c) {
  if (!cpu_has_avx512()) return false;
  for (size_t i = 0; i < c.num_inputs(); ++i)
    if (!c.has(i) || c.in(i).dtype() != DType::f32) return false;
  return true;
}

std::vector<Tensor> attention_run(OpContext& c) {
  const ops::AttentionShape a = ops::resolve_attention(c);
  const int64_t T = a.tokens, D = a.head_dim, C = a.channels();
  Tensor y = c.output(0, DType::f32, a.out_shape);
  float* out = y.data<float>();
  const int64_t pairs = a.batch * a.heads;
  const int threads = std::max(1, c.threads);
  const __m512 div = _mm512_set1_ps(a.divisor);
#pragma omp parallel num_threads(threads) if (threads > 1 && pairs > 1)
  {
    std::vector<float> s(static_cast<size_t>(T * T));
#pragma omp for schedule(static)
    for (int64_t pair = 0; pair < pairs; ++pair) {
      const int64_t b = pair / a.heads, h = pair % a.heads;
      const int64_t off = b * T * a.ld + h * D;
      // Inside the parallel region oneDNN runs each sgemm on the calling thread.
      dnnl_sgemm('N', 'T', T, T, D, 1.f, a.q + off, a.ld, a.k + off, a.ld, 0.f, s.data(), T);
      const int64_t total = T * T;
      int64_t i = 0;
      for (; i + 16 <= total; i += 16) _mm512_storeu_ps(&s[i], _mm512_div_ps(_mm512_loadu_ps(&s[i]), div));
      for (; i < total; ++i) s[i] /= a.divisor;  // IEEE division, as the graph's Div
      for (int64_t r = 0; r < T; ++r) softmax_row(&s[r * T], &s[r * T], T);
      dnnl_sgemm('N', 'N', T, D, T, 1.f, s.data(), T, a.v + off, a.ld, 0.f, out + b * T * C + h * D, C);
    }
  }
  return {y};
}

}  // namespace

ECO_REGISTER_KERNEL("com.ecoinfer", "MultiHeadAttention",
                    KernelImpl{"f32-attention-sgemm-softmax-avx512", attention_supports, attention_run});

}  // namespace ecoinfer::avx512
