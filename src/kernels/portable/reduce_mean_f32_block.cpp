// f32 ReduceMean over one contiguous block of axes, viewed as [outer, reduced, inner]:
// ViT token means, and the NHWC global average pool the channels-last pipeline makes
// (GlobalAveragePool of a transposed tensor becomes ReduceMean over H, W). Each output is a
// double sum in input order divided in double, as the reference computes it, so results are
// bitwise equal; the inner loop runs over contiguous memory instead of the reference's
// per-element index arithmetic.
#include <algorithm>
#include <vector>

#include "ops/reduce_common.h"

namespace ecoinfer::kernels::portable {
namespace {

struct Block {
  int64_t outer = 1, reduced = 1, inner = 1;
};

bool as_block(const OpContext& c, Block& b) {
  if (!c.has(0) || c.in(0).dtype() != DType::f32 || c.in(0).numel() == 0) return false;
  const Tensor& x = c.in(0);
  const ops::ReducePlan p = ops::plan_reduce(c.node, x.shape(), ops::axes_from_input_or_attr(c, 1));
  if (p.noop || p.axes.empty()) return false;
  std::vector<int64_t> axes = p.axes;
  std::sort(axes.begin(), axes.end());
  for (size_t i = 1; i < axes.size(); ++i)
    if (axes[i] != axes[i - 1] + 1) return false;
  b = Block{};
  for (int64_t d = 0; d < x.rank(); ++d) {
    if (d < axes.front()) b.outer *= x.dim(static_cast<int>(d));
    else if (d <= axes.back()) b.reduced *= x.dim(static_cast<int>(d));
    else b.inner *= x.dim(static_cast<int>(d));
  }
  return true;
}

bool reduce_mean_supports(const OpContext& c) {
  Block b;
  return as_block(c, b);
}

std::vector<Tensor> reduce_mean_run(OpContext& c) {
  Block b;
  as_block(c, b);
  const Tensor& x = c.in(0);
  const ops::ReducePlan p = ops::plan_reduce(c.node, x.shape(), ops::axes_from_input_or_attr(c, 1));
  Tensor y = c.output(0, DType::f32, p.out);
  const float* px = x.data<float>();
  float* py = y.data<float>();
  const int threads = std::max(1, c.threads);
#pragma omp parallel num_threads(threads) if (threads > 1 && b.outer > 1 && x.numel() > (1 << 18))
  {
    std::vector<double> acc(static_cast<size_t>(b.inner));
#pragma omp for schedule(static)
    for (int64_t o = 0; o < b.outer; ++o) {
      std::fill(acc.begin(), acc.end(), 0.0);
      const float* src = px + o * b.reduced * b.inner;
      for (int64_t k = 0; k < b.reduced; ++k)
        for (int64_t i = 0; i < b.inner; ++i) acc[i] += static_cast<double>(src[k * b.inner + i]);
      for (int64_t i = 0; i < b.inner; ++i) py[o * b.inner + i] = static_cast<float>(acc[i] / static_cast<double>(b.reduced));
    }
  }
  return {y};
}

}  // namespace

ECO_REGISTER_KERNEL("", "ReduceMean", KernelImpl{"f32-reduce-mean-block", reduce_mean_supports, reduce_mean_run});

}  // namespace ecoinfer::kernels::portable
