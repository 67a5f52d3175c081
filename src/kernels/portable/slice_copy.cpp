// Slice with positive steps for any element type, as copies of contiguous runs. Trailing
// axes the slice keeps whole merge into one run; the innermost sliced axis either extends it
// (step 1: one memcpy per row) or is walked with its step (one run per index; single
// elements are moved as words of their size, e.g. ResNet's x[:, :, ::2, ::2] shortcut).
// Outer axes, stepped or not, are loops over rows. Negative steps run the reference.
#include <cstring>

#include "kernels/parallel_range.h"
#include "ops/slice.h"

namespace ecoinfer::kernels::portable {
namespace {

bool slice_supports(const OpContext& c) {
  if (!c.has(0) || c.in(0).rank() < 1 || c.in(0).numel() == 0) return false;
  try {
    for (const ops::AxisRange& r : ops::slice_ranges(c))
      if (r.step < 1 || r.count == 0) return false;
  } catch (const Error&) {
    return false;  // the reference reports it
  }
  return true;
}

template <typename W>
void gather_words(const std::byte* src, std::byte* dst, int64_t count, int64_t stride) {
  const W* s = reinterpret_cast<const W*>(src);
  W* d = reinterpret_cast<W*>(dst);
  for (int64_t i = 0; i < count; ++i) d[i] = s[i * stride];
}

std::vector<Tensor> slice_run(OpContext& c) {
  const Tensor& x = c.in(0);
  const auto ranges = ops::slice_ranges(c);
  const int r = x.rank();
  Shape out_shape(r);
  for (int d = 0; d < r; ++d) out_shape[d] = ranges[d].count;
  Tensor y = c.output(0, x.dtype(), out_shape);
  const size_t esz = dtype_size(x.dtype());
  const auto st = ops::contiguous_strides(x.shape());
  // Trailing axes kept whole: one run of `run` elements.
  int inner = r - 1;
  int64_t run = 1;
  while (inner >= 0 && ranges[inner].start == 0 && ranges[inner].step == 1 && ranges[inner].count == x.dim(inner))
    run *= x.dim(inner--);
  const auto* src = static_cast<const std::byte*>(x.raw());
  auto* dst = static_cast<std::byte*>(y.raw());
  if (inner < 0) {
    std::memcpy(dst, src, y.nbytes());
    return {y};
  }
  const ops::AxisRange in_axis = ranges[inner];
  const int64_t row_elems = in_axis.count * run, step_elems = in_axis.step * st[inner];
  const int64_t rows = y.numel() / row_elems;
  const int64_t rows_min = kernels::kParallelMinElements / row_elems + 1;
  kernels::parallel_range(rows, c.threads, rows_min, [&](int64_t begin, int64_t end) {
    // Coordinates of row `begin` over the outer axes [0, inner).
    std::vector<int64_t> idx(inner, 0);
    for (int64_t rest = begin, d = inner - 1; d >= 0; --d) {
      idx[d] = rest % ranges[d].count;
      rest /= ranges[d].count;
    }
    for (int64_t row = begin; row < end; ++row) {
      int64_t off = in_axis.start * st[inner];
      for (int d = 0; d < inner; ++d) off += (ranges[d].start + idx[d] * ranges[d].step) * st[d];
      const std::byte* s = src + off * esz;
      std::byte* o = dst + row * row_elems * esz;
      if (in_axis.step == 1 || in_axis.count == 1) {
        std::memcpy(o, s, row_elems * esz);
      } else if (run == 1 && esz == 4) {
        gather_words<uint32_t>(s, o, in_axis.count, step_elems);
      } else if (run == 1 && esz == 8) {
        gather_words<uint64_t>(s, o, in_axis.count, step_elems);
      } else if (run == 1 && esz == 2) {
        gather_words<uint16_t>(s, o, in_axis.count, step_elems);
      } else if (run == 1 && esz == 1) {
        gather_words<uint8_t>(s, o, in_axis.count, step_elems);
      } else {
        for (int64_t i = 0; i < in_axis.count; ++i) std::memcpy(o + i * run * esz, s + i * step_elems * esz, run * esz);
      }
      for (int d = inner - 1; d >= 0; --d) {
        if (++idx[d] < ranges[d].count) break;
        idx[d] = 0;
      }
    }
  });
  return {y};
}

}  // namespace

ECO_REGISTER_KERNEL("", "Slice", KernelImpl{"any-slice-runcopy", slice_supports, slice_run});

}  // namespace ecoinfer::kernels::portable
