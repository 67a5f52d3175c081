// f32 Sigmoid (EfficientNet's SiLU and squeeze-excitation gates), 16 floats at a time:
// e = exp(-|x|), y = (x >= 0 ? 1 : e) / (1 + e) - the reference's overflow-free form, with
// the vector exp of vec_math_avx512.h (~2e-7 relative). NaN lanes are passed through.
#include "ops/registry.h"
#include "kernels/avx512/vec_math_avx512.h"
#include "kernels/parallel_range.h"
#include "ops/op_util.h"
#include "kernels/avx512/target_avx512.h"

ECO_AVX512_BEGIN

namespace ecoinfer::kernels::avx512 {
namespace {

bool sigmoid_supports(const OpContext& c) {
  return c.has(0) && c.in(0).dtype() == DType::f32 && c.in(0).numel() > 0;
}

inline __m512 sigmoid_ps(__m512 x) {
  const __m512 one = _mm512_set1_ps(1.f);
  const __m512 ax = _mm512_abs_ps(x);
  const __m512 e = exp_ps(_mm512_sub_ps(_mm512_setzero_ps(), ax));
  const __mmask16 neg = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
  const __m512 num = _mm512_mask_blend_ps(neg, one, e);
  const __m512 y = _mm512_div_ps(num, _mm512_add_ps(one, e));
  const __mmask16 nan = _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);
  return _mm512_mask_blend_ps(nan, y, x);
}

void sigmoid_range(const float* x, float* y, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, sigmoid_ps(_mm512_loadu_ps(x + i)));
  if (i < n) {
    const __mmask16 m = static_cast<__mmask16>((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(y + i, m, sigmoid_ps(_mm512_maskz_loadu_ps(m, x + i)));
  }
}

std::vector<Tensor> sigmoid_run(OpContext& c) {
  const Tensor& x = c.in(0);
  Tensor y = c.output(0, DType::f32, x.shape());
  const float* px = x.data<float>();
  float* py = y.data<float>();
  // Compute-bound (an exp and a division per element): threads pay off much earlier than
  // for the streaming kernels.
  kernels::parallel_range(x.numel(), c.threads, int64_t{1} << 16,
                          [&](int64_t begin, int64_t end) { sigmoid_range(px + begin, py + begin, end - begin); });
  return {y};
}

}  // namespace

ECO_AVX512_END

ECO_REGISTER_KERNEL("", "Sigmoid", KernelImpl{"f32-sigmoid-avx512", sigmoid_supports, sigmoid_run, CpuFeature::avx512f});

}  // namespace ecoinfer::kernels::avx512
