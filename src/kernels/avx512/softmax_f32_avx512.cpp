// Softmax over the contiguous last axis, 16 floats at a time: max, exp(x - max) with a
// running sum, then scale by 1/sum. Rows are split across threads.
#include "kernels/avx512/cpu_features.h"
#include "kernels/avx512/vec_math_avx512.h"
#include "ops/op_util.h"
#include "ops/tensor_util.h"

namespace ecoinfer::avx512 {
namespace {

bool softmax_supports(const OpContext& c) {
  if (!cpu_has_avx512() || !c.has(0) || c.in(0).dtype() != DType::f32 || c.in(0).rank() < 1) return false;
  const int64_t r = c.in(0).rank();
  const bool legacy = ops::node_opset(c.node) < 13;
  int64_t axis = c.node.attr_int("axis", legacy ? 1 : -1);
  if (axis < 0) axis += r;
  return axis == r - 1 && c.in(0).dim(-1) > 0;
}

void softmax_row(const float* x, float* y, int64_t n) {
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

std::vector<Tensor> softmax_run(OpContext& c) {
  const Tensor& x = c.in(0);
  Tensor y = c.output(0, DType::f32, x.shape());
  const int64_t n = x.dim(-1), rows = x.numel() / n;
  const float* px = x.data<float>();
  float* py = y.data<float>();
#pragma omp parallel for num_threads(c.threads) schedule(static) if (rows * n > 16384)
  for (int64_t r = 0; r < rows; ++r) softmax_row(px + r * n, py + r * n, n);
  return {y};
}

}  // namespace

ECO_REGISTER_KERNEL("", "Softmax", KernelImpl{"f32-softmax-lastaxis-avx512", softmax_supports, softmax_run});

}  // namespace ecoinfer::avx512
