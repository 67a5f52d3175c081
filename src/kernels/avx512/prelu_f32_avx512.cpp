// f32 PRelu, streamed like Relu (stream_f32_avx512.h), for the slopes networks have: one
// value, or one value per channel (nn.PReLU(num_parameters=C): [C,1,1] against [N,C,H,W]),
// or any slope whose non-1 axes form one block of X's axes. y = x < 0 ? x * a : x is one
// masked multiply (NaN compares false and passes through), bitwise the reference's.
#include <optional>

#include "ops/registry.h"
#include "kernels/avx512/stream_f32_avx512.h"
#include "kernels/parallel_range.h"
#include "ops/prelu.h"
#include "kernels/avx512/target_avx512.h"

ECO_AVX512_BEGIN

namespace ecoinfer::kernels::avx512 {
namespace {

// X seen as [outer, mid, inner] with slope value m serving elements (o, m, i).
struct SlopePlan {
  int64_t mid = 1, inner = 1;
};

std::optional<SlopePlan> plan_slope(const Node& n, const Shape& x, const Shape& slope) {
  Shape s;
  try {
    s = ops::prelu_slope_shape(n, x, slope);
  } catch (const Error&) {
    return std::nullopt;  // the reference reports it
  }
  const size_t r = x.size();
  s.insert(s.begin(), r - s.size(), 1);
  size_t first = r, last = 0;
  for (size_t d = 0; d < r; ++d)
    if (s[d] != 1) {
      first = std::min(first, d);
      last = d;
    }
  SlopePlan p;
  if (first == r) {
    p.inner = shape_numel(x);
    return p;
  }
  for (size_t d = first; d <= last; ++d) {
    if (s[d] != x[d]) return std::nullopt;  // broadcast axes inside the block: reference
    p.mid *= x[d];
  }
  for (size_t d = last + 1; d < r; ++d) p.inner *= x[d];
  return p;
}

bool prelu_supports(const OpContext& c) {
  if (!c.has(0) || !c.has(1)) return false;
  const Tensor& x = c.in(0);
  const Tensor& a = c.in(1);
  return x.dtype() == DType::f32 && a.dtype() == DType::f32 && x.numel() > 0 &&
         plan_slope(c.node, x.shape(), a.shape()).has_value();
}

inline __m128 prelu4(__m128 v, __m128 a) {
  return _mm_mask_mul_ps(v, _mm_cmp_ps_mask(v, _mm_setzero_ps(), _CMP_LT_OQ), v, a);
}

std::vector<Tensor> prelu_run(OpContext& c) {
  const Tensor& x = c.in(0);
  const SlopePlan p = *plan_slope(c.node, x.shape(), c.in(1).shape());
  Tensor y = c.output(0, DType::f32, x.shape());
  const float* px = x.data<float>();
  const float* pa = c.in(1).data<float>();
  float* py = y.data<float>();
  kernels::parallel_range(x.numel(), c.threads, kernels::kParallelMinElements, [&](int64_t begin, int64_t end) {
    if (p.inner == 1) {  // the slope varies along the innermost axes: rows of `mid` against it
      for (int64_t i = begin, m = begin % p.mid; i < end; m = 0) {
        const int64_t n = std::min(end - i, p.mid - m);
        stream_binary(px + i, pa + m, py + i, n, prelu4);
        i += n;
      }
      return;
    }
    for (int64_t i = begin; i < end;) {  // runs of `inner` elements sharing one slope value
      const int64_t row = i / p.inner;
      const int64_t n = std::min(end, (row + 1) * p.inner) - i;
      const __m128 a = _mm_set1_ps(pa[row % p.mid]);
      stream_unary(px + i, py + i, n, [a](__m128 v) { return prelu4(v, a); });
      i += n;
    }
  });
  return {y};
}

}  // namespace

ECO_AVX512_END

ECO_REGISTER_KERNEL("", "PRelu", KernelImpl{"f32-prelu-avx512", prelu_supports, prelu_run, CpuFeature::avx512f});

}  // namespace ecoinfer::kernels::avx512
