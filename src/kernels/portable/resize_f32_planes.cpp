// f32 Resize / Upsample of the last two axes (images: [N, C, H, W] with N and C kept), for
// every mode and coordinate transform the plan resolves (ops/resize.h), except
// tf_crop_and_resize's extrapolation. Each output row is the weighted sum of its source
// rows' horizontal interpolations, with float weights and accumulation (relative error
// ~1e-7 against the double reference); nearest copies elements, and an output row with the
// same source row as the previous one is copied whole (upsampling repeats rows). OpenMP over
// rows for large outputs.
#include <cstring>
#include <vector>

#include "kernels/parallel_range.h"
#include "ops/resize.h"

namespace ecoinfer::kernels::portable {
namespace {

bool resize_supports(const OpContext& c) {
  if (!c.has(0) || c.in(0).dtype() != DType::f32 || c.in(0).rank() < 2 || c.in(0).numel() == 0) return false;
  ops::ResizePlan p;
  try {
    p = ops::plan_resize(c);
  } catch (const Error&) {
    return false;  // the reference reports it
  }
  if (p.any_outside || shape_numel(p.out_shape) == 0) return false;
  for (size_t d = 0; d + 2 < p.axes.size(); ++d)
    if (!p.axes[d].identity) return false;
  return true;
}

struct AxisF {
  int taps;
  std::vector<int64_t> index;
  std::vector<float> weight;
};

AxisF to_float(const ops::ResizeAxis& a) {
  return AxisF{a.taps, a.index, std::vector<float>(a.weight.begin(), a.weight.end())};
}

// Output rows [begin, end) of the (plane, oy) row space.
void resize_rows(const float* x, float* y, const AxisF& ay, const AxisF& ax, int64_t h, int64_t w, int64_t oh,
                 int64_t ow, int64_t begin, int64_t end) {
  std::vector<float> acc(static_cast<size_t>(ow));
  for (int64_t row = begin; row < end; ++row) {
    const int64_t plane = row / oh, oy = row % oh;
    const float* src = x + plane * h * w;
    float* dst = y + row * ow;
    if (ay.taps == 1 && oy > 0 && row > begin && ay.index[oy] == ay.index[oy - 1]) {
      std::memcpy(dst, dst - ow, static_cast<size_t>(ow) * sizeof(float));
      continue;
    }
    if (ay.taps == 1 && ax.taps == 1) {
      const float* in_row = src + ay.index[oy] * w;
      for (int64_t ox = 0; ox < ow; ++ox) dst[ox] = in_row[ax.index[ox]];
      continue;
    }
    std::fill(acc.begin(), acc.end(), 0.f);
    for (int ty = 0; ty < ay.taps; ++ty) {
      const float wy = ay.weight[oy * ay.taps + ty];
      if (wy == 0) continue;
      const float* in_row = src + ay.index[oy * ay.taps + ty] * w;
      for (int64_t ox = 0; ox < ow; ++ox) {
        const int64_t* ix = &ax.index[ox * ax.taps];
        const float* wx = &ax.weight[ox * ax.taps];
        float s = 0;
        for (int tx = 0; tx < ax.taps; ++tx) s += wx[tx] * in_row[ix[tx]];
        acc[ox] += wy * s;
      }
    }
    std::memcpy(dst, acc.data(), static_cast<size_t>(ow) * sizeof(float));
  }
}

std::vector<Tensor> resize_run(OpContext& c) {
  const Tensor& x = c.in(0);
  const ops::ResizePlan p = ops::plan_resize(c);
  const size_t r = p.axes.size();
  const AxisF ay = to_float(p.axes[r - 2]), ax = to_float(p.axes[r - 1]);
  const int64_t h = x.dim(-2), w = x.dim(-1), oh = p.out_shape[r - 2], ow = p.out_shape[r - 1];
  Tensor y = c.output(0, DType::f32, p.out_shape);
  const int64_t rows = shape_numel(p.out_shape) / ow;
  const int64_t min_rows = std::max<int64_t>(1, kernels::kParallelMinElements / 4 / ow);
  kernels::parallel_range(rows, c.threads, min_rows, [&](int64_t b, int64_t e) {
    resize_rows(x.data<float>(), y.data<float>(), ay, ax, h, w, oh, ow, b, e);
  });
  return {y};
}

}  // namespace

ECO_REGISTER_KERNEL("", "Resize", KernelImpl{"f32-resize2d-planes", resize_supports, resize_run});
ECO_REGISTER_KERNEL("", "Upsample", KernelImpl{"f32-resize2d-planes", resize_supports, resize_run});

}  // namespace ecoinfer::kernels::portable
