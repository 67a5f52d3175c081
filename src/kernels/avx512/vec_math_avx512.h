#pragma once
// Vectorised transcendental functions for 16 floats, accurate to a few ulp, for the
// softmax / GELU / sigmoid kernels. Compiled for AVX-512 by its own ECO_AVX512_BEGIN/END (target_avx512.h).
#include <immintrin.h>

#include <cmath>
#include <cstdint>
#include "kernels/avx512/target_avx512.h"

ECO_AVX512_BEGIN

namespace ecoinfer::kernels::avx512 {

// exp(x): x = n*ln2 + r with |r| <= ln2/2, degree-6 polynomial for e^r (Taylor
// coefficients; max relative error ~2e-7 on the reduced range), scaled by 2^n.
inline __m512 exp_ps(__m512 x) {
  const __m512 lo = _mm512_set1_ps(-87.3f), hi = _mm512_set1_ps(88.7f);
  x = _mm512_max_ps(_mm512_min_ps(x, hi), lo);
  const __m512 log2e = _mm512_set1_ps(1.44269504088896341f);
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, log2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  // r = x - n*ln2 in two steps (Cody-Waite) to keep r accurate.
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693145751953125f), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(1.428606765330187045e-06f), r);
  __m512 p = _mm512_set1_ps(1.f / 720);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f / 120));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f / 24));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f / 6));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f));
  return _mm512_scalef_ps(p, n);
}

inline float hsum(__m512 v) { return _mm512_reduce_add_ps(v); }
inline float hmax(__m512 v) { return _mm512_reduce_max_ps(v); }

// Softmax of one contiguous row of n > 0 floats (x and y may alias): max, exp(x - max)
// with a running sum, then scale by 1/sum.
inline void softmax_row(const float* x, float* y, int64_t n) {
  __m512 vmax = _mm512_set1_ps(-INFINITY);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) vmax = _mm512_max_ps(vmax, _mm512_loadu_ps(x + i));
  const __mmask16 tail = static_cast<__mmask16>((1u << (n - i)) - 1);
  if (i < n) vmax = _mm512_mask_max_ps(vmax, tail, vmax, _mm512_maskz_loadu_ps(tail, x + i));
  const __m512 mx = _mm512_set1_ps(hmax(vmax));
  __m512 vsum = _mm512_setzero_ps();
  for (i = 0; i + 16 <= n; i += 16) {
    const __m512 e = exp_ps(_mm512_sub_ps(_mm512_loadu_ps(x + i), mx));
    _mm512_storeu_ps(y + i, e);
    vsum = _mm512_add_ps(vsum, e);
  }
  if (i < n) {
    const __m512 e = exp_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(tail, x + i), mx));
    _mm512_mask_storeu_ps(y + i, tail, e);
    vsum = _mm512_add_ps(vsum, _mm512_maskz_mov_ps(tail, e));
  }
  const __m512 inv = _mm512_set1_ps(1.f / hsum(vsum));
  for (i = 0; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, _mm512_mul_ps(_mm512_loadu_ps(y + i), inv));
  if (i < n) _mm512_mask_storeu_ps(y + i, tail, _mm512_mul_ps(_mm512_maskz_loadu_ps(tail, y + i), inv));
}

}  // namespace ecoinfer::kernels::avx512

ECO_AVX512_END
