// f32 Relu, streamed 16 floats per iteration with a masked tail (stream_f32_avx512.h).
// max(x, 0) returns its second operand when x is NaN or a zero, so NaN and -0 give +0
// exactly as the reference's x > 0 ? x : 0.
#include "ops/registry.h"
#include "kernels/avx512/stream_f32_avx512.h"
#include "kernels/parallel_range.h"
#include "ops/op_util.h"
#include "kernels/avx512/target_avx512.h"

ECO_AVX512_BEGIN

namespace ecoinfer::kernels::avx512 {
namespace {

bool relu_supports(const OpContext& c) {
  return c.has(0) && c.in(0).dtype() == DType::f32 && c.in(0).numel() > 0;
}

void relu_range(const float* x, float* y, int64_t n) {
  const __m128 zero = _mm_setzero_ps();
  stream_unary(x, y, n, [zero](__m128 v) { return _mm_max_ps(v, zero); });
}

std::vector<Tensor> relu_run(OpContext& c) {
  const Tensor& x = c.in(0);
  Tensor y = c.output(0, DType::f32, x.shape());
  const float* px = x.data<float>();
  float* py = y.data<float>();
  kernels::parallel_range(x.numel(), c.threads, kernels::kParallelMinElements,
                          [&](int64_t begin, int64_t end) { relu_range(px + begin, py + begin, end - begin); });
  return {y};
}

}  // namespace

ECO_AVX512_END

ECO_REGISTER_KERNEL("", "Relu", KernelImpl{"f32-relu-avx512", relu_supports, relu_run, CpuFeature::avx512f});

}  // namespace ecoinfer::kernels::avx512
