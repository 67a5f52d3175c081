// GatherElements when indices match data off the gather axis (torch.gather along a class or
// channel axis, take_along_dim): data seen as [outer, len, inner], indices and output as
// [outer, k, inner]; out[o, j, i] = data[o, idx[o, j, i], i]. Typed copies of 1, 2, 4 or 8
// bytes instead of the reference's per-element coordinate walk and memcpy; OpenMP over rows
// for large outputs. Exact: it copies elements.
#include <atomic>

#include "kernels/parallel_range.h"
#include "ops/gather_elements.h"

namespace ecoinfer::kernels::portable {
namespace {

struct RowPlan {
  int64_t outer = 1, len = 1, k = 1, inner = 1;
};

bool plan_rows(const OpContext& c, RowPlan& p) {
  const Shape& d = c.in(0).shape();
  const Shape& ix = c.in(1).shape();
  int64_t axis = 0;
  try {
    axis = ops::gather_elements_axis(c.node, d, ix);
  } catch (const Error&) {
    return false;  // the reference reports it
  }
  for (size_t a = 0; a < d.size(); ++a) {
    if (static_cast<int64_t>(a) == axis) continue;
    if (ix[a] != d[a]) return false;
    (static_cast<int64_t>(a) < axis ? p.outer : p.inner) *= d[a];
  }
  p.len = d[axis];
  p.k = ix[axis];
  return true;
}

bool gather_elements_supports(const OpContext& c) {
  if (!c.has(0) || !c.has(1)) return false;
  const DType it = c.in(1).dtype();
  const size_t esz = dtype_size(c.in(0).dtype());
  RowPlan p;
  return (it == DType::i64 || it == DType::i32) && (esz == 1 || esz == 2 || esz == 4 || esz == 8) &&
         c.in(1).numel() > 0 && plan_rows(c, p);
}

// Rows [begin, end) of the [outer * k] row space; returns false at an out-of-range index.
template <typename E, typename I>
bool gather_rows(const E* src, const I* idx, E* dst, const RowPlan& p, int64_t begin, int64_t end) {
  for (int64_t row = begin; row < end; ++row) {
    const int64_t o = row / p.k;
    const E* plane = src + o * p.len * p.inner;
    const I* irow = idx + row * p.inner;
    E* orow = dst + row * p.inner;
    for (int64_t i = 0; i < p.inner; ++i) {
      int64_t j = irow[i];
      if (j < 0) j += p.len;
      if (j < 0 || j >= p.len) return false;
      orow[i] = plane[j * p.inner + i];
    }
  }
  return true;
}

template <typename E, typename I>
bool gather_all(const OpContext& c, Tensor& out, const RowPlan& p) {
  const E* src = static_cast<const E*>(c.in(0).raw());
  const I* idx = static_cast<const I*>(c.in(1).raw());
  E* dst = static_cast<E*>(out.raw());
  std::atomic<bool> ok{true};
  // Rows are the unit of work; parallel_range's threshold counts output elements.
  const int64_t rows = p.outer * p.k;
  const int64_t min_rows = std::max<int64_t>(1, kernels::kParallelMinElements / std::max<int64_t>(1, p.inner));
  kernels::parallel_range(rows, c.threads, min_rows, [&](int64_t b, int64_t e) {
    if (!gather_rows(src, idx, dst, p, b, e)) ok = false;
  });
  return ok;
}

template <typename E>
bool gather_by_index_type(const OpContext& c, Tensor& out, const RowPlan& p) {
  return c.in(1).dtype() == DType::i64 ? gather_all<E, int64_t>(c, out, p) : gather_all<E, int32_t>(c, out, p);
}

std::vector<Tensor> gather_elements_run(OpContext& c) {
  RowPlan p;
  plan_rows(c, p);
  Tensor out = c.output(0, c.in(0).dtype(), c.in(1).shape());
  bool ok = false;
  switch (dtype_size(c.in(0).dtype())) {
    case 1: ok = gather_by_index_type<uint8_t>(c, out, p); break;
    case 2: ok = gather_by_index_type<uint16_t>(c, out, p); break;
    case 4: ok = gather_by_index_type<uint32_t>(c, out, p); break;
    default: ok = gather_by_index_type<uint64_t>(c, out, p); break;
  }
  if (!ok) {
    // Out-of-range index: the reference names it (errors cannot leave an OpenMP region).
    OpContext ref{c.node, c.inputs, 1, nullptr};
    return find_op("", "GatherElements")->reference(ref);
  }
  return {out};
}

}  // namespace

ECO_REGISTER_KERNEL("", "GatherElements", KernelImpl{"any-gatherelements-rows", gather_elements_supports, gather_elements_run});

}  // namespace ecoinfer::kernels::portable
