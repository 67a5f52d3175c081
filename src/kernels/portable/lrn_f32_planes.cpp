// f32 LRN over channel planes: for output plane (n, c), the window's squares are summed
// plane by plane into a float row (contiguous, so the compiler vectorises it), then
// y = x / (bias + alpha / size * sum)^beta. beta = 0.75 (AlexNet, GoogLeNet, PyTorch's
// default) is t^0.75 = sqrt(t) * sqrt(sqrt(t)), which vectorises where pow does not.
// float accumulation of at most `size` squares: relative error ~size * 2^-24, far inside the
// harness's 1e-5 budget against the double reference. OpenMP over planes for large inputs.
#include <cmath>
#include <vector>

#include "kernels/parallel_range.h"
#include "ops/lrn.h"

namespace ecoinfer::kernels::portable {
namespace {

bool lrn_supports(const OpContext& c) {
  if (!c.has(0) || c.in(0).dtype() != DType::f32 || c.in(0).rank() < 3 || c.in(0).numel() == 0) return false;
  return c.node.attr_int("size", 0) >= 1;
}

void lrn_planes(const float* x, float* y, const ops::LrnParams& p, int64_t ch, int64_t plane, int64_t begin,
                int64_t end) {
  std::vector<float> acc(static_cast<size_t>(plane));
  const float scale = static_cast<float>(p.alpha / static_cast<double>(p.size));
  const float bias = static_cast<float>(p.bias), beta = static_cast<float>(p.beta);
  const bool three_quarters = p.beta == 0.75;
  for (int64_t pl = begin; pl < end; ++pl) {
    const int64_t b = pl / ch, k = pl % ch;
    std::fill(acc.begin(), acc.end(), 0.f);
    for (int64_t j = std::max<int64_t>(0, k - p.lo); j <= std::min(ch - 1, k + p.hi); ++j) {
      const float* xj = x + (b * ch + j) * plane;
      for (int64_t i = 0; i < plane; ++i) acc[i] += xj[i] * xj[i];
    }
    const float* xk = x + pl * plane;
    float* yk = y + pl * plane;
    if (three_quarters) {
      for (int64_t i = 0; i < plane; ++i) {
        const float t = bias + scale * acc[i];
        const float s = std::sqrt(t);
        yk[i] = xk[i] / (s * std::sqrt(s));
      }
    } else {
      for (int64_t i = 0; i < plane; ++i) yk[i] = xk[i] / std::pow(bias + scale * acc[i], beta);
    }
  }
}

std::vector<Tensor> lrn_run(OpContext& c) {
  const Tensor& x = c.in(0);
  const ops::LrnParams p = ops::lrn_params(c.node, x.shape());
  const int64_t ch = x.dim(1), planes = x.dim(0) * ch, plane = x.numel() / planes;
  Tensor y = c.output(0, DType::f32, x.shape());
  const float* px = x.data<float>();
  float* py = y.data<float>();
  // Each plane reads `size` planes: parallel once the planes hold ~1 Mi elements.
  const int64_t min_planes = std::max<int64_t>(1, (int64_t{1} << 20) / std::max<int64_t>(1, plane * p.size));
  kernels::parallel_range(planes, c.threads, min_planes,
                          [&](int64_t b, int64_t e) { lrn_planes(px, py, p, ch, plane, b, e); });
  return {y};
}

}  // namespace

ECO_REGISTER_KERNEL("", "LRN", KernelImpl{"f32-lrn-planes", lrn_supports, lrn_run});

}  // namespace ecoinfer::kernels::portable
