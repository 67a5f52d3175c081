// com.ecoinfer::MatMulDynamicInt8 on AVX-512 VNNI: u8 activations x s8 weights with
// vpdpbusd (4 products summed into each int32 lane). The weight is packed once per node
// (cached in the node state) as 16-column panels with 4 consecutive k per column, so one
// 64-byte load feeds 16 output columns; the zero point is removed afterwards with the
// packed column sums. Results equal the reference exactly: the integer sums are exact and
// the float epilogue uses the same operations in the same order (explicitly rounded
// multiply and add, so the compiler cannot fuse them into an FMA).
// GCC 12 warns spuriously about _mm512_undefined_* inside its own intrinsic headers.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <cstring>

#include "kernels/matmul_int8_call.h"
#include "kernels/avx512/target_avx512.h"

ECO_AVX512_BEGIN

namespace ecoinfer::kernels::avx512 {
namespace {

#define ECO_VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")))
constexpr int kRound = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;

struct PackedWeight {
  Tensor source;  // the int8 weight this was packed from, kept alive so the pointer identity check is sound
  int64_t k = 0, n = 0, k4 = 0, panels = 0;
  Tensor data;                  // [panels][k4/4][16 columns][4 k] int8
  std::vector<int32_t> colsum;  // per column (padded to panels*16)
};

std::shared_ptr<PackedWeight> pack_weight(const Tensor& b) {
  auto p = std::make_shared<PackedWeight>();
  p->source = b;
  p->k = b.dim(0);
  p->n = b.dim(1);
  p->k4 = (p->k + 3) / 4 * 4;
  p->panels = (p->n + 15) / 16;
  p->data = Tensor::zeros(DType::i8, {p->panels, p->k4 / 4, 64});
  p->colsum.assign(static_cast<size_t>(p->panels * 16), 0);
  const int8_t* src = b.data<int8_t>();
  int8_t* dst = p->data.data<int8_t>();
  for (int64_t kk = 0; kk < p->k; ++kk)
    for (int64_t j = 0; j < p->n; ++j) {
      const int64_t panel = j / 16, col = j % 16;
      dst[(panel * (p->k4 / 4) + kk / 4) * 64 + col * 4 + kk % 4] = src[kk * p->n + j];
      p->colsum[j] += src[kk * p->n + j];
    }
  return p;
}

ECO_VNNI void minmax_avx512(const float* x, int64_t n, float& lo, float& hi) {
  __m512 vlo = _mm512_set1_ps(x[0]), vhi = vlo;
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m512 v = _mm512_loadu_ps(x + i);
    vlo = _mm512_min_ps(vlo, v);
    vhi = _mm512_max_ps(vhi, v);
  }
  lo = _mm512_reduce_min_ps(vlo);
  hi = _mm512_reduce_max_ps(vhi);
  for (; i < n; ++i) {
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }
}

// One row: q = clamp(nearbyint(x * inv + zp)) (multiply rounded, then add), padded with 0.
ECO_VNNI void quantize_row(const float* x, int64_t k, int64_t k4, float inv, const ops::ActQuantParams& q, uint8_t* out) {
  const __m512 vinv = _mm512_set1_ps(inv), vzp = _mm512_set1_ps(static_cast<float>(q.zero_point));
  const __m512i vmin = _mm512_set1_epi32(q.qmin), vmax = _mm512_set1_epi32(q.qmax);
  int64_t i = 0;
  for (; i < k; i += 16) {
    const __mmask16 m = i + 16 <= k ? __mmask16(0xffff) : __mmask16((1u << (k - i)) - 1);
    __m512 v = _mm512_maskz_loadu_ps(m, x + i);
    v = _mm512_add_round_ps(_mm512_mul_round_ps(v, vinv, kRound), vzp, kRound);
    __m512i r = _mm512_cvt_roundps_epi32(v, kRound);
    r = _mm512_min_epi32(_mm512_max_epi32(r, vmin), vmax);
    _mm_mask_storeu_epi8(out + i, m, _mm512_cvtepi32_epi8(r));
  }
  for (int64_t j = k; j < k4; ++j) out[j] = 0;
}

// MR rows x NP panels (16 columns each) of int32 sums, then the float epilogue.
template <int MR, int NP>
ECO_VNNI void tile(const uint8_t* qa, int64_t lda, const PackedWeight& w, int64_t row0, int64_t panel0,
                   const float* combined, const float* bias, int32_t zp, float* y, int64_t n) {
  __m512i acc[MR][NP];
  for (int r = 0; r < MR; ++r)
    for (int p = 0; p < NP; ++p) acc[r][p] = _mm512_setzero_si512();
  const int64_t kq = w.k4 / 4;
  const int8_t* base = w.data.data<int8_t>();
  for (int64_t q = 0; q < kq; ++q) {
    __m512i b[NP];
    for (int p = 0; p < NP; ++p) b[p] = _mm512_load_si512(base + ((panel0 + p) * kq + q) * 64);
    for (int r = 0; r < MR; ++r) {
      int32_t four;
      std::memcpy(&four, qa + (row0 + r) * lda + q * 4, 4);
      const __m512i a = _mm512_set1_epi32(four);
      for (int p = 0; p < NP; ++p) acc[r][p] = _mm512_dpbusd_epi32(acc[r][p], a, b[p]);
    }
  }
  const __m512i vzp = _mm512_set1_epi32(zp);
  for (int p = 0; p < NP; ++p) {
    const int64_t col = (panel0 + p) * 16;
    const __mmask16 m = col + 16 <= n ? __mmask16(0xffff) : __mmask16((1u << (n - col)) - 1);
    const __m512i corr = _mm512_mullo_epi32(vzp, _mm512_loadu_si512(w.colsum.data() + col));
    const __m512 cs = _mm512_maskz_loadu_ps(m, combined + col);
    const __m512 bv = bias ? _mm512_maskz_loadu_ps(m, bias + col) : _mm512_setzero_ps();
    for (int r = 0; r < MR; ++r) {
      __m512 v = _mm512_mul_round_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(acc[r][p], corr)), cs, kRound);
      if (bias) v = _mm512_add_round_ps(v, bv, kRound);
      _mm512_mask_storeu_ps(y + (row0 + r) * n + col, m, v);
    }
  }
}

using TileFn = void (*)(const uint8_t*, int64_t, const PackedWeight&, int64_t, int64_t, const float*, const float*, int32_t,
                        float*, int64_t);
template <int MR>
constexpr TileFn pick_np(int np) {
  return np == 1 ? tile<MR, 1> : np == 2 ? tile<MR, 2> : np == 3 ? tile<MR, 3> : tile<MR, 4>;
}
TileFn pick(int mr, int np) {
  switch (mr) {
    case 1: return pick_np<1>(np);
    case 2: return pick_np<2>(np);
    case 3: return pick_np<3>(np);
    default: return pick_np<4>(np);
  }
}

// The CPU check is the executor's (KernelImpl::needs = avx512_vnni), not repeated here.
bool vnni_supports(const OpContext& c) {
  return c.has(0) && c.has(1) && c.has(2) && c.in(0).dtype() == DType::f32 && c.in(0).rank() >= 1 &&
         c.in(1).dtype() == DType::i8 && c.in(1).rank() == 2;
}

std::vector<Tensor> vnni_run(OpContext& c) {
  DynamicInt8Call call = begin_dynamic_int8(c);
  if (call.y.numel() == 0) return {call.y};
  const Tensor& a = c.in(0);
  const int64_t m = call.m, k = call.k, n = call.n;
  const std::shared_ptr<const PackedWeight> packed = cached_packed_weight<PackedWeight>(c, c.in(1), k, n, pack_weight);
  const PackedWeight& w = *packed;

  float lo = 0.f, hi = 0.f;
  if (a.numel() > 0) minmax_avx512(a.data<float>(), a.numel(), lo, hi);
  const ops::ActQuantParams q = ops::choose_act_qparams(lo, hi, c.node.attr_int("reduce_range", 1) != 0);
  const float inv = 1.0f / q.scale;
  const std::vector<float> combined = combined_scales(q, c.in(2), n, w.panels * 16);
  const float* bias = call.bias;

  const int64_t lda = w.k4;
  // Quantized activations: per-thread scratch reused across calls (a fresh buffer of this
  // size would be mmap'ed and page-faulted on every call).
  thread_local Tensor qa;
  const int64_t qa_bytes = std::max<int64_t>(m, 1) * lda;
  if (!qa.defined() || qa.numel() < qa_bytes) qa = Tensor::empty(DType::u8, {qa_bytes});
  uint8_t* pqa = qa.data<uint8_t>();
  const float* pa = a.data<float>();
  const int threads = std::max(1, c.threads);
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1 && m * k > 16384)
  for (int64_t i = 0; i < m; ++i) quantize_row(pa + i * k, k, lda, inv, q, pqa + i * lda);

  constexpr int64_t MR = 4, NPB = 4;
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

ECO_AVX512_END

ECO_REGISTER_KERNEL(kEcoDomain, "MatMulDynamicInt8", KernelImpl{"int8-matmul-dynamic-avx512vnni", vnni_supports, vnni_run, CpuFeature::avx512_vnni});

}  // namespace ecoinfer::kernels::avx512
