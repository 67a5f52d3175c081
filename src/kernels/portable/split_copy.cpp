// Split for any element type as contiguous copies: seen as [outer, axis, inner], piece i
// of every outer row is one run of size_i * inner elements, copied with memcpy. Large inputs
// split the outer rows across threads.
#include <cstring>

#include "kernels/parallel_range.h"
#include "ops/split.h"

namespace ecoinfer::kernels::portable {
namespace {

bool split_supports(const OpContext& c) {
  if (!c.has(0) || c.in(0).rank() < 1 || c.in(0).numel() == 0) return false;
  try {
    ops::split_sizes(c, ops::split_axis(c.node, c.in(0).rank()));
  } catch (const Error&) {
    return false;  // the reference reports it
  }
  return true;
}

std::vector<Tensor> split_run(OpContext& c) {
  const Tensor& x = c.in(0);
  const int64_t axis = ops::split_axis(c.node, x.rank());
  const auto sizes = ops::split_sizes(c, axis);
  const auto shapes = ops::split_shapes(x.shape(), axis, sizes);
  const ops::AxisSplit v = ops::split_at_axis(x.shape(), axis);
  const size_t row_bytes = static_cast<size_t>(v.len * v.inner) * dtype_size(x.dtype());
  std::vector<Tensor> outs;
  std::vector<std::byte*> dst;
  std::vector<size_t> piece_bytes, piece_at;
  size_t at = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    outs.push_back(c.output(i, x.dtype(), shapes[i]));
    dst.push_back(static_cast<std::byte*>(outs.back().raw()));
    piece_bytes.push_back(static_cast<size_t>(sizes[i] * v.inner) * dtype_size(x.dtype()));
    piece_at.push_back(at);
    at += piece_bytes.back();
  }
  const auto* src = static_cast<const std::byte*>(x.raw());
  // Threads take whole outer rows; the threshold counts elements moved, as the elementwise kernels do.
  const int64_t rows_min = kernels::kParallelMinElements / std::max<int64_t>(1, v.len * v.inner) + 1;
  kernels::parallel_range(v.outer, c.threads, rows_min, [&](int64_t begin, int64_t end) {
    for (int64_t o = begin; o < end; ++o)
      for (size_t i = 0; i < sizes.size(); ++i)
        if (piece_bytes[i]) std::memcpy(dst[i] + o * piece_bytes[i], src + o * row_bytes + piece_at[i], piece_bytes[i]);
  });
  return outs;
}

}  // namespace

ECO_REGISTER_KERNEL("", "Split", KernelImpl{"any-split-rowcopy", split_supports, split_run});

}  // namespace ecoinfer::kernels::portable
