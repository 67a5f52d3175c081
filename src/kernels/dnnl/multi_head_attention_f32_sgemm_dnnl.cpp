// MultiHeadAttention on oneDNN's sgemm, for CPUs without AVX-512 (with it, the register-blocked
// f32-attention-avx512 kernel is the faster and this one declines every node). One (batch, head) pair
// per thread at a time; inside an OpenMP region oneDNN runs each sgemm single-threaded, so
// the products of T x T x D (T ~ 65..200) pay no parallel set-up each:
//   S = q_h k_h^T (sgemm with k transposed in place: q, k read with their token stride),
//   S /= scale_divisor (IEEE division, as the graph's Div), softmax per row in float,
//   O = S v_h written straight into the head's columns of the output.
// Against the reference (double sums and softmax): float rounding only, within the
// harness's fp32 budget.
#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/dnnl/dnnl_common.h"
#include "ops/multi_head_attention.h"

namespace ecoinfer::kernels::onednn {
namespace {

void softmax_row(float* row, int64_t n, float divisor) {
  float mx = -INFINITY;
  for (int64_t j = 0; j < n; ++j) {
    row[j] /= divisor;
    mx = std::max(mx, row[j]);
  }
  float sum = 0.f;
  for (int64_t j = 0; j < n; ++j) {
    row[j] = std::exp(row[j] - mx);
    sum += row[j];
  }
  const float inv = 1.f / sum;
  for (int64_t j = 0; j < n; ++j) row[j] *= inv;
}

bool attention_supports(const OpContext& c) {
  for (size_t i = 0; i < c.num_inputs(); ++i)
    if (!c.has(i) || c.in(i).dtype() != DType::f32) return false;
  return true;
}

std::vector<Tensor> attention_run(OpContext& c) {
  const ops::AttentionShape a = ops::resolve_attention(c);
  const int64_t T = a.tokens, D = a.head_dim, C = a.channels();
  Tensor y = c.output(0, DType::f32, a.out_shape);
  if (y.numel() == 0) return {y};
  float* out = y.data<float>();
  const int64_t pairs = a.batch * a.heads;
  const int threads = std::max(1, c.threads);
#pragma omp parallel num_threads(threads) if (threads > 1 && pairs > 1)
  {
    std::vector<float> s(static_cast<size_t>(T * T));
#pragma omp for schedule(static)
    for (int64_t pair = 0; pair < pairs; ++pair) {
      const int64_t b = pair / a.heads, h = pair % a.heads;
      const int64_t off = b * T * a.ld + h * D;
      dnnl_sgemm('N', 'T', T, T, D, 1.f, a.q + off, a.ld, a.k + off, a.ld, 0.f, s.data(), T);
      for (int64_t i = 0; i < T; ++i) softmax_row(&s[i * T], T, a.divisor);
      dnnl_sgemm('N', 'N', T, D, T, 1.f, s.data(), T, a.v + off, a.ld, 0.f, out + b * T * C + h * D, C);
    }
  }
  return {y};
}

}  // namespace

ECO_REGISTER_KERNEL(kEcoDomain, "MultiHeadAttention", KernelImpl{"f32-attention-sgemm-dnnl", attention_supports, attention_run, CpuFeature::none,
                               CpuFeature::avx512f});  // f32-attention-avx512 is the faster there

}  // namespace ecoinfer::kernels::onednn
