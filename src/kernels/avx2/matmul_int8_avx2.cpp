// com.ecoinfer::MatMulDynamicInt8 on AVX2 (CPUs without AVX-512 VNNI): u8 activations and s8
// weights widened to 16 bits and multiplied with vpmaddwd (two products summed into each
// int32 lane; |255 * -128| * 2 fits easily, so the sums are exact for both reduce_range
// settings, unlike vpmaddubsw's saturating 16-bit pairs). The weight is packed once per node
// (cached in the node state) as 8-column panels with 2 consecutive k per column, so one
// 32-byte load feeds 8 output columns; the zero point is removed afterwards with the packed
// column sums. Results equal the reference exactly: the integer sums are exact, and the
// float steps are the reference's operations in its order (the functions are compiled for
// AVX2 without FMA, so a multiply and an add cannot be fused).
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <cstring>

#include "kernels/matmul_int8_call.h"

namespace ecoinfer::kernels::avx2 {
namespace {

#define ECO_AVX2 __attribute__((target("avx2")))

struct PackedWeight {
  Tensor source;  // the int8 weight this was packed from, kept alive so the pointer identity check is sound
  int64_t k = 0, n = 0, k2 = 0, panels = 0;
  Tensor data;                  // [panels][k2/2][8 columns][2 k] int16
  std::vector<int32_t> colsum;  // per column (padded to panels*8)
};

std::shared_ptr<PackedWeight> pack_weight(const Tensor& b) {
  auto p = std::make_shared<PackedWeight>();
  p->source = b;
  p->k = b.dim(0);
  p->n = b.dim(1);
  p->k2 = (p->k + 1) / 2 * 2;
  p->panels = (p->n + 7) / 8;
  p->data = Tensor::zeros(DType::i16, {p->panels, p->k2 / 2, 16});
  p->colsum.assign(static_cast<size_t>(p->panels * 8), 0);
  const int8_t* src = b.data<int8_t>();
  int16_t* dst = p->data.data<int16_t>();
  for (int64_t kk = 0; kk < p->k; ++kk)
    for (int64_t j = 0; j < p->n; ++j) {
      const int64_t panel = j / 8, col = j % 8;
      dst[(panel * (p->k2 / 2) + kk / 2) * 16 + col * 2 + kk % 2] = src[kk * p->n + j];
      p->colsum[j] += src[kk * p->n + j];
    }
  return p;
}

// min/max as the reference's std::min(lo, x) / std::max(hi, x) from x[0]: a NaN element is
// skipped (vminps returns its second operand when either is NaN), a NaN x[0] stays.
ECO_AVX2 void minmax(const float* x, int64_t n, float& lo, float& hi) {
  __m256 vlo = _mm256_set1_ps(x[0]), vhi = vlo;
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 v = _mm256_loadu_ps(x + i);
    vlo = _mm256_min_ps(v, vlo);
    vhi = _mm256_max_ps(v, vhi);
  }
  alignas(32) float l[8], h[8];
  _mm256_store_ps(l, vlo);
  _mm256_store_ps(h, vhi);
  lo = l[0];
  hi = h[0];
  for (int j = 1; j < 8; ++j) {
    lo = std::min(lo, l[j]);
    hi = std::max(hi, h[j]);
  }
  for (; i < n; ++i) {
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }
}

// One row: q = clamp(nearbyint(x * inv + zp)) (rounded multiply, then add; clamped in float
// as the reference does, so a NaN becomes qmin and an infinity a bound), as int16, padded with 0.
ECO_AVX2 void quantize_row(const float* x, int64_t k, int64_t k2, float inv, const ops::ActQuantParams& q, int16_t* out) {
  const __m256 vinv = _mm256_set1_ps(inv), vzp = _mm256_set1_ps(static_cast<float>(q.zero_point));
  const __m256 vmin = _mm256_set1_ps(static_cast<float>(q.qmin)), vmax = _mm256_set1_ps(static_cast<float>(q.qmax));
  int64_t i = 0;
  for (; i + 8 <= k; i += 8) {
    __m256 v = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(x + i), vinv), vzp);
    v = _mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    v = _mm256_min_ps(_mm256_max_ps(v, vmin), vmax);  // vmaxps(NaN, qmin) = qmin, as fmax
    const __m256i r = _mm256_cvtps_epi32(v);
    const __m128i packed = _mm_packs_epi32(_mm256_castsi256_si128(r), _mm256_extracti128_si256(r, 1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), packed);
  }
  for (; i < k; ++i) out[i] = ops::quantize_activation(x[i], inv, q.zero_point, q.qmin, q.qmax);
  for (int64_t j = k; j < k2; ++j) out[j] = 0;
}

// MR rows x NP panels (8 columns each) of int32 sums, then the float epilogue.
template <int MR, int NP>
ECO_AVX2 void tile(const int16_t* qa, int64_t lda, const PackedWeight& w, int64_t row0, int64_t panel0,
                   const float* combined, const float* bias, int32_t zp, float* y, int64_t n) {
  __m256i acc[MR][NP];
  for (int r = 0; r < MR; ++r)
    for (int p = 0; p < NP; ++p) acc[r][p] = _mm256_setzero_si256();
  const int64_t kq = w.k2 / 2;
  const int16_t* base = w.data.data<int16_t>();
  for (int64_t q = 0; q < kq; ++q) {
    __m256i b[NP];
    for (int p = 0; p < NP; ++p)
      b[p] = _mm256_load_si256(reinterpret_cast<const __m256i*>(base + ((panel0 + p) * kq + q) * 16));
    for (int r = 0; r < MR; ++r) {
      int32_t two;
      std::memcpy(&two, qa + (row0 + r) * lda + q * 2, 4);
      const __m256i a = _mm256_set1_epi32(two);
      for (int p = 0; p < NP; ++p) acc[r][p] = _mm256_add_epi32(acc[r][p], _mm256_madd_epi16(a, b[p]));
    }
  }
  const __m256i vzp = _mm256_set1_epi32(zp);
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  for (int p = 0; p < NP; ++p) {
    const int64_t col = (panel0 + p) * 8;
    const int valid = static_cast<int>(std::min<int64_t>(8, n - col));
    const __m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32(valid), lane);
    const __m256i corr = _mm256_mullo_epi32(vzp, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.colsum.data() + col)));
    const __m256 cs = _mm256_maskload_ps(combined + col, m);
    const __m256 bv = bias ? _mm256_maskload_ps(bias + col, m) : _mm256_setzero_ps();
    for (int r = 0; r < MR; ++r) {
      __m256 v = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(acc[r][p], corr)), cs);
      if (bias) v = _mm256_add_ps(v, bv);
      _mm256_maskstore_ps(y + (row0 + r) * n + col, m, v);
    }
  }
}

using TileFn = void (*)(const int16_t*, int64_t, const PackedWeight&, int64_t, int64_t, const float*, const float*, int32_t,
                        float*, int64_t);
template <int MR>
constexpr TileFn pick_np(int np) {
  return np == 1 ? tile<MR, 1> : np == 2 ? tile<MR, 2> : tile<MR, 3>;
}
TileFn pick(int mr, int np) {
  switch (mr) {
    case 1: return pick_np<1>(np);
    case 2: return pick_np<2>(np);
    case 3: return pick_np<3>(np);
    default: return pick_np<4>(np);
  }
}

bool avx2_supports(const OpContext& c) {
  return c.has(0) && c.has(1) && c.has(2) && c.in(0).dtype() == DType::f32 && c.in(0).rank() >= 1 &&
         c.in(1).dtype() == DType::i8 && c.in(1).rank() == 2;
}

std::vector<Tensor> avx2_run(OpContext& c) {
  DynamicInt8Call call = begin_dynamic_int8(c);
  if (call.y.numel() == 0) return {call.y};
  const Tensor& a = c.in(0);
  const int64_t m = call.m, k = call.k, n = call.n;
  const std::shared_ptr<const PackedWeight> packed = cached_packed_weight<PackedWeight>(c, c.in(1), k, n, pack_weight);
  const PackedWeight& w = *packed;

  float lo = 0.f, hi = 0.f;
  if (a.numel() > 0) minmax(a.data<float>(), a.numel(), lo, hi);
  const ops::ActQuantParams q = ops::choose_act_qparams(lo, hi, c.node.attr_int("reduce_range", 1) != 0);
  const float inv = 1.0f / q.scale;
  const std::vector<float> combined = combined_scales(q, c.in(2), n, w.panels * 8);
  const float* bias = call.bias;

  const int64_t lda = w.k2;
  // Quantized activations: per-thread scratch reused across calls (a fresh buffer of this
  // size would be mmap'ed and page-faulted on every call).
  thread_local Tensor qa;
  const int64_t qa_elems = std::max<int64_t>(m, 1) * lda;
  if (!qa.defined() || qa.numel() < qa_elems) qa = Tensor::empty(DType::i16, {qa_elems});
  int16_t* pqa = qa.data<int16_t>();
  const float* pa = a.data<float>();
  const int threads = std::max(1, c.threads);
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1 && m * k > 16384)
  for (int64_t i = 0; i < m; ++i) quantize_row(pa + i * k, k, lda, inv, q, pqa + i * lda);

  constexpr int64_t MR = 4, NPB = 3;
  const int64_t row_tiles = (m + MR - 1) / MR, col_tiles = (w.panels + NPB - 1) / NPB;
  float* py = call.y.data<float>();
#pragma omp parallel for num_threads(threads) schedule(static) collapse(2) if (threads > 1 && m * n * k > 65536)
  for (int64_t rt = 0; rt < row_tiles; ++rt)
    for (int64_t ct = 0; ct < col_tiles; ++ct) {
      const int64_t r0 = rt * MR, p0 = ct * NPB;
      const int mr = static_cast<int>(std::min(MR, m - r0));
      const int np = static_cast<int>(std::min(NPB, w.panels - p0));
      pick(mr, np)(pqa, lda, w, r0, p0, combined.data(), bias, q.zero_point, py, n);
    }
  return {call.y};
}

}  // namespace

ECO_REGISTER_KERNEL(kEcoDomain, "MatMulDynamicInt8",
                    KernelImpl{"int8-matmul-dynamic-avx2", avx2_supports, avx2_run, CpuFeature::avx2,
                               // VNNI's kernel (4 products per lane, 16 lanes) is the better one there
                               CpuFeature::avx512_vnni});

}  // namespace ecoinfer::kernels::avx2
