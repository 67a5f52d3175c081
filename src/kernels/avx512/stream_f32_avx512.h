#pragma once
// Helpers for the memory-bound f32 loops (binary, relu): 16 floats per iteration as four
// 128-bit operations, tails with AVX-512VL masks. 128-bit lanes on purpose: on the Zen 4
// machine of docs/performance.md, a loop that writes a freshly allocated output ran 15-30%
// slower with 512-bit loads and stores than with 128-bit ones, and no faster when the data
// was in cache; only compute-heavy loops (Div on cached data) gain from 512 bits.
// Compiled for AVX-512 by its own ECO_AVX512_BEGIN/END (target_avx512.h).
#include <immintrin.h>

#include <cstdint>
#include "kernels/avx512/target_avx512.h"

ECO_AVX512_BEGIN

namespace ecoinfer::kernels::avx512 {

// Lanes [0, min(left, 4)) of a 128-bit vector.
inline __mmask8 tail_mask4(int64_t left) {
  return left >= 4 ? __mmask8(0xf) : static_cast<__mmask8>((1u << left) - 1);
}

// y[i] = f(x[i]) for i < n; f maps __m128 -> __m128 (inactive tail lanes are zero).
template <typename F>
void stream_unary(const float* x, float* y, int64_t n, F f) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (int k = 0; k < 16; k += 4) _mm_storeu_ps(y + i + k, f(_mm_loadu_ps(x + i + k)));
  for (; i < n; i += 4) {
    const __mmask8 m = tail_mask4(n - i);
    _mm_mask_storeu_ps(y + i, m, f(_mm_maskz_loadu_ps(m, x + i)));
  }
}

// o[i] = f(a[i], b[i]) for i < n.
template <typename F>
void stream_binary(const float* a, const float* b, float* o, int64_t n, F f) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (int k = 0; k < 16; k += 4) _mm_storeu_ps(o + i + k, f(_mm_loadu_ps(a + i + k), _mm_loadu_ps(b + i + k)));
  for (; i < n; i += 4) {
    const __mmask8 m = tail_mask4(n - i);
    _mm_mask_storeu_ps(o + i, m, f(_mm_maskz_loadu_ps(m, a + i), _mm_maskz_loadu_ps(m, b + i)));
  }
}

}  // namespace ecoinfer::kernels::avx512

ECO_AVX512_END
