// LayerNormalization over the last axis with 1-D scale/bias: two vector passes per row
// (mean, then centred sum of squares: no catastrophic cancellation), then the affine map.
#include "ops/registry.h"
#include "kernels/avx512/vec_math_avx512.h"
#include "ops/op_util.h"
#include "kernels/avx512/target_avx512.h"

ECO_AVX512_BEGIN

namespace ecoinfer::kernels::avx512 {
namespace {

bool layernorm_supports(const OpContext& c) {
  if (!c.has(0) || !c.has(1) || c.in(0).dtype() != DType::f32 || c.in(0).rank() < 1) return false;
  const int64_t r = c.in(0).rank();
  int64_t axis = c.node.attr_int("axis", -1);
  if (axis < 0) axis += r;
  const int64_t n = c.in(0).dim(-1);
  return axis == r - 1 && n > 0 && c.in(1).dtype() == DType::f32 && c.in(1).numel() == n &&
         (!c.has(2) || (c.in(2).dtype() == DType::f32 && c.in(2).numel() == n)) && c.node.outputs.size() == 1 &&
         c.node.attr_int("stash_type", 1) == 1;
}

// One row of n values: mean, variance, normalise, scale (and shift).
void layernorm_row(const float* xi, float* yi, int64_t n, const float* ps, const float* pb, float eps) {
  const int64_t full = n / 16 * 16;
  const __mmask16 tail = static_cast<__mmask16>((1u << (n - full)) - 1);
  __m512 s = _mm512_setzero_ps();
  for (int64_t i = 0; i < full; i += 16) s = _mm512_add_ps(s, _mm512_loadu_ps(xi + i));
  if (full < n) s = _mm512_add_ps(s, _mm512_maskz_loadu_ps(tail, xi + full));
  const __m512 mean = _mm512_set1_ps(hsum(s) / n);
  __m512 q = _mm512_setzero_ps();
  for (int64_t i = 0; i < full; i += 16) {
    const __m512 d = _mm512_sub_ps(_mm512_loadu_ps(xi + i), mean);
    q = _mm512_fmadd_ps(d, d, q);
  }
  if (full < n) {
    const __m512 d = _mm512_maskz_sub_ps(tail, _mm512_maskz_loadu_ps(tail, xi + full), mean);
    q = _mm512_fmadd_ps(d, d, q);
  }
  const __m512 inv = _mm512_set1_ps(1.f / std::sqrt(hsum(q) / n + eps));
  for (int64_t i = 0; i < n; i += 16) {
    const __mmask16 m = i < full ? static_cast<__mmask16>(0xffff) : tail;
    const __m512 d = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, xi + i), mean), inv);
    __m512 o = _mm512_mul_ps(d, _mm512_maskz_loadu_ps(m, ps + i));
    if (pb) o = _mm512_add_ps(o, _mm512_maskz_loadu_ps(m, pb + i));
    _mm512_mask_storeu_ps(yi + i, m, o);
  }
}

std::vector<Tensor> layernorm_run(OpContext& c) {
  const Tensor& x = c.in(0);
  Tensor y = c.output(0, DType::f32, x.shape());
  const int64_t n = x.dim(-1), rows = x.numel() / n;
  const float eps = c.node.attr_float("epsilon", 1e-5f);
  const float* px = x.data<float>();
  const float* ps = c.in(1).data<float>();
  const float* pb = c.has(2) ? c.in(2).data<float>() : nullptr;
  float* py = y.data<float>();
  // (clang does not give OpenMP's outlined loop body the target region's features: the row
  // work lives in its own function.)
#pragma omp parallel for num_threads(c.threads) schedule(static) if (rows * n > 16384)
  for (int64_t r = 0; r < rows; ++r) layernorm_row(px + r * n, py + r * n, n, ps, pb, eps);
  return {y};
}

}  // namespace

ECO_AVX512_END

ECO_REGISTER_KERNEL("", "LayerNormalization", KernelImpl{"f32-layernorm-lastaxis-avx512", layernorm_supports, layernorm_run, CpuFeature::avx512f});

}  // namespace ecoinfer::kernels::avx512
