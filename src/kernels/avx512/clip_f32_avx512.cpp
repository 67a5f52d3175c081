// f32 Clip (ReLU6 in MobileNets), streamed like Relu (stream_f32_avx512.h). y = min(hi,
// max(lo, x)) with the bound as the first operand: maxps/minps return their second operand
// when either is NaN or both are equal, so NaN and -0 pass through and min > max gives max,
// exactly as the reference's clamp_keep_nan.
#include <limits>

#include "ops/registry.h"
#include "kernels/avx512/stream_f32_avx512.h"
#include "kernels/parallel_range.h"
#include "ops/op_util.h"
#include "kernels/avx512/target_avx512.h"

ECO_AVX512_BEGIN

namespace ecoinfer::kernels::avx512 {
namespace {

bool bound_ok(const OpContext& c, size_t i) {
  return !c.has(i) || (c.in(i).dtype() == DType::f32 && c.in(i).numel() == 1);
}

bool clip_supports(const OpContext& c) {
  return c.has(0) && c.in(0).dtype() == DType::f32 && c.in(0).numel() > 0 && bound_ok(c, 1) &&
         bound_ok(c, 2);
}

float bound(const OpContext& c, size_t i, const char* attr, float dflt) {
  if (c.has(i)) return c.in(i).data<float>()[0];
  return c.node.has_attr(attr) ? c.node.attr_float(attr, dflt) : dflt;
}

std::vector<Tensor> clip_run(OpContext& c) {
  const Tensor& x = c.in(0);
  Tensor y = c.output(0, DType::f32, x.shape());
  const __m128 lo = _mm_set1_ps(bound(c, 1, "min", std::numeric_limits<float>::lowest()));
  const __m128 hi = _mm_set1_ps(bound(c, 2, "max", std::numeric_limits<float>::max()));
  const float* px = x.data<float>();
  float* py = y.data<float>();
  kernels::parallel_range(x.numel(), c.threads, kernels::kParallelMinElements, [&](int64_t begin, int64_t end) {
    stream_unary(px + begin, py + begin, end - begin, [lo, hi](__m128 v) { return _mm_min_ps(hi, _mm_max_ps(lo, v)); });
  });
  return {y};
}

}  // namespace

ECO_AVX512_END

ECO_REGISTER_KERNEL("", "Clip", KernelImpl{"f32-clip-avx512", clip_supports, clip_run, CpuFeature::avx512f});

}  // namespace ecoinfer::kernels::avx512
