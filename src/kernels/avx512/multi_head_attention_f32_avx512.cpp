// MultiHeadAttention, one (batch, head) pair per thread at a time, with register-blocked
// AVX-512 micro-kernels sized for attention's small products (T x T x D with T ~ 65..200,
// D = 32..64, where a general sgemm spends more on per-call set-up and packing than on
// arithmetic):
//   1. k_h (strided rows of the packed or separate k) is transposed into kt [D][Tp]
//      (Tp = T rounded up to 16, zero padded), so that
//   2. each score row S[i, :] = sum_d q[i,d] kt[d, :] is a broadcast-FMA over contiguous
//      vectors (blocks of 6 rows x 64 columns in 24 accumulators); then the division and
//      the softmax run over the row while it is in L1;
//   3. O[i, :] = sum_j P[i,j] v[j, :] reads v's rows in place (blocks of 4 rows x 64
//      columns) and is written straight into the head's columns of the output.
#include <algorithm>
#include <vector>

#include "ops/registry.h"
#include "kernels/avx512/vec_math_avx512.h"
#include "ops/multi_head_attention.h"
#include "kernels/avx512/target_avx512.h"

ECO_AVX512_BEGIN

namespace ecoinfer::kernels::avx512 {
namespace {

inline __mmask16 tail_mask(int64_t n) { return n >= 16 ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << n) - 1); }

// C[r][0..cols) = sum_k A[r*lda + k] * B[k*ldb + 0..cols), rows r < R, 16*(NZ-1) < cols <= 16*NZ.
// The last vector of each B row is a masked load, so `cols` need not be a multiple of 16.
template <int R, int NZ>
void block_bcast_fma(const float* a, int64_t lda, const float* b, int64_t ldb, int64_t kdim, int64_t cols, float* c, int64_t ldc) {
  const __mmask16 last = tail_mask(cols - 16 * (NZ - 1));
  __m512 acc[R][NZ];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int z = 0; z < NZ; ++z) acc[r][z] = _mm512_setzero_ps();
  for (int64_t k = 0; k < kdim; ++k) {
    __m512 bv[NZ];
#pragma GCC unroll 4
    for (int z = 0; z < NZ - 1; ++z) bv[z] = _mm512_loadu_ps(b + k * ldb + 16 * z);
    bv[NZ - 1] = _mm512_maskz_loadu_ps(last, b + k * ldb + 16 * (NZ - 1));
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      const __m512 av = _mm512_set1_ps(a[r * lda + k]);
#pragma GCC unroll 4
      for (int z = 0; z < NZ; ++z) acc[r][z] = _mm512_fmadd_ps(av, bv[z], acc[r][z]);
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 4
    for (int z = 0; z < NZ - 1; ++z) _mm512_storeu_ps(c + r * ldc + 16 * z, acc[r][z]);
    _mm512_mask_storeu_ps(c + r * ldc + 16 * (NZ - 1), last, acc[r][NZ - 1]);
  }
}

template <int R>
void block_dispatch(const float* a, int64_t lda, const float* b, int64_t ldb, int64_t kdim, int64_t cols, float* c, int64_t ldc) {
  switch ((cols + 15) / 16) {
    case 1: return block_bcast_fma<R, 1>(a, lda, b, ldb, kdim, cols, c, ldc);
    case 2: return block_bcast_fma<R, 2>(a, lda, b, ldb, kdim, cols, c, ldc);
    case 3: return block_bcast_fma<R, 3>(a, lda, b, ldb, kdim, cols, c, ldc);
    default: return block_bcast_fma<R, 4>(a, lda, b, ldb, kdim, cols, c, ldc);
  }
}

// C [rows x cols] = A [rows x kdim] * B [kdim x cols], all row-major with leading dims; R <= 6.
template <int R>
void small_gemm(const float* a, int64_t lda, const float* b, int64_t ldb, int64_t rows, int64_t kdim, int64_t cols, float* c,
                int64_t ldc) {
  for (int64_t c0 = 0; c0 < cols; c0 += 64) {
    const int64_t cw = std::min<int64_t>(64, cols - c0);
    int64_t r0 = 0;
    for (; r0 + R <= rows; r0 += R) block_dispatch<R>(a + r0 * lda, lda, b + c0, ldb, kdim, cw, c + r0 * ldc + c0, ldc);
    // The leftover rows in one block, so that their accumulators still hide FMA latency.
    const float* ar = a + r0 * lda;
    float* cr = c + r0 * ldc + c0;
    switch (rows - r0) {
      case 5: block_dispatch<5>(ar, lda, b + c0, ldb, kdim, cw, cr, ldc); break;
      case 4: block_dispatch<4>(ar, lda, b + c0, ldb, kdim, cw, cr, ldc); break;
      case 3: block_dispatch<3>(ar, lda, b + c0, ldb, kdim, cw, cr, ldc); break;
      case 2: block_dispatch<2>(ar, lda, b + c0, ldb, kdim, cw, cr, ldc); break;
      case 1: block_dispatch<1>(ar, lda, b + c0, ldb, kdim, cw, cr, ldc); break;
      default: break;
    }
  }
}

// One row of scores: divided by the divisor (IEEE division, as the graph's Div), then softmax.
void scores_to_probabilities(float* row, int64_t T, float divisor) {
  const __m512 div = _mm512_set1_ps(divisor);
  for (int64_t j = 0; j < T; j += 16) {
    const __mmask16 m = tail_mask(T - j);
    _mm512_mask_storeu_ps(row + j, m, _mm512_div_ps(_mm512_maskz_loadu_ps(m, row + j), div));
  }
  softmax_row(row, row, T);
}

bool attention_supports(const OpContext& c) {
  for (size_t i = 0; i < c.num_inputs(); ++i)
    if (!c.has(i) || c.in(i).dtype() != DType::f32) return false;
  return true;
}

std::vector<Tensor> attention_run(OpContext& c) {
  const ops::AttentionShape a = ops::resolve_attention(c);
  const int64_t T = a.tokens, D = a.head_dim, C = a.channels();
  const int64_t Tp = (T + 15) / 16 * 16;
  Tensor y = c.output(0, DType::f32, a.out_shape);
  float* out = y.data<float>();
  const int64_t pairs = a.batch * a.heads;
  const int threads = std::max(1, c.threads);
  // (No vector variables here: clang does not give OpenMP's outlined region the target
  // region's features, so the vector work stays in the functions above.)
#pragma omp parallel num_threads(threads) if (threads > 1 && pairs > 1)
  {
    std::vector<float> kt(static_cast<size_t>(D * Tp), 0.f), s(static_cast<size_t>(T * Tp));
#pragma omp for schedule(static)
    for (int64_t pair = 0; pair < pairs; ++pair) {
      const int64_t b = pair / a.heads, h = pair % a.heads;
      const int64_t off = b * T * a.ld + h * D;
      const float* q = a.q + off;
      const float* k = a.k + off;
      const float* v = a.v + off;
      for (int64_t j = 0; j < T; ++j)
        for (int64_t d = 0; d < D; ++d) kt[d * Tp + j] = k[j * a.ld + d];
      small_gemm<6>(q, a.ld, kt.data(), Tp, T, D, T, s.data(), Tp);
      for (int64_t i = 0; i < T; ++i) scores_to_probabilities(&s[i * Tp], T, a.divisor);
      small_gemm<4>(s.data(), Tp, v, a.ld, T, T, D, out + b * T * C + h * D, C);
    }
  }
  return {y};
}

}  // namespace

ECO_AVX512_END

ECO_REGISTER_KERNEL(kEcoDomain, "MultiHeadAttention",
                    KernelImpl{"f32-attention-avx512", attention_supports, attention_run, CpuFeature::avx512f});

}  // namespace ecoinfer::kernels::avx512
