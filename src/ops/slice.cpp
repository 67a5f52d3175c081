#include "ops/slice.h"

namespace ecoinfer::ops {
namespace {

struct SliceArgs {
  std::vector<int64_t> starts, ends, axes, steps;
  bool has_axes = false, has_steps = false;
};

// Per-dimension (start, step, count) after ONNX's clamping rules: ends such as INT64_MAX or
// INT64_MIN clamp to the dimension; negative steps walk backwards from start (clamped to
// dim-1) down to, excluding, end (clamped to -1).
std::vector<AxisRange> slice_ranges(const Node& n, const Shape& in, const SliceArgs& a) {
  const int64_t r = static_cast<int64_t>(in.size());
  const size_t k = a.starts.size();
  ECO_CHECK(a.ends.size() == k, "{}: starts has {} values, ends has {}", n.describe(), k, a.ends.size());
  std::vector<int64_t> axes_raw = a.axes;
  if (!a.has_axes)
    for (size_t i = 0; i < k; ++i) axes_raw.push_back(static_cast<int64_t>(i));
  ECO_CHECK(axes_raw.size() == k, "{}: axes has {} values, starts has {}", n.describe(), axes_raw.size(), k);
  ECO_CHECK(!a.has_steps || a.steps.size() == k, "{}: steps has {} values, starts has {}", n.describe(), a.steps.size(), k);
  auto axes = normalize_axes(axes_raw, r, n);
  std::vector<AxisRange> ranges(static_cast<size_t>(r));
  for (int64_t d = 0; d < r; ++d) ranges[d] = AxisRange{0, 1, in[d]};
  for (size_t i = 0; i < k; ++i) {
    const int64_t dim = in[axes[i]];
    const int64_t step = a.has_steps ? a.steps[i] : 1;
    ECO_CHECK(step != 0, "{}: step along axis {} is 0", n.describe(), axes[i]);
    int64_t start = a.starts[i], end = a.ends[i];
    if (start < 0) start += dim;  // no overflow: dim >= 0
    if (end < 0) end += dim;
    uint64_t diff = 0;
    if (step > 0) {
      start = std::min(std::max<int64_t>(start, 0), dim);
      end = std::min(std::max<int64_t>(end, 0), dim);
      if (end > start) diff = static_cast<uint64_t>(end - start);
    } else {
      start = std::min(std::max<int64_t>(start, 0), dim - 1);
      end = std::min(std::max<int64_t>(end, -1), dim - 1);
      if (start > end) diff = static_cast<uint64_t>(start - end);
    }
    // |step| as unsigned: well defined even for INT64_MIN.
    const uint64_t mag = step > 0 ? static_cast<uint64_t>(step) : uint64_t{0} - static_cast<uint64_t>(step);
    const int64_t count = static_cast<int64_t>(diff / mag + (diff % mag != 0));
    ranges[axes[i]] = AxisRange{count ? start : 0, step, count};
  }
  return ranges;
}

Shape range_shape(const std::vector<AxisRange>& rs) {
  Shape s;
  for (auto& r : rs) s.push_back(r.count);
  return s;
}

// Opset < 10 takes starts/ends/axes as attributes; later opsets take inputs.
SliceArgs slice_args_from_attrs(const Node& n) {
  SliceArgs a;
  a.starts = n.attr_ints("starts");
  a.ends = n.attr_ints("ends");
  a.has_axes = n.has_attr("axes");
  a.axes = n.attr_ints("axes");
  return a;
}

}  // namespace

std::vector<AxisRange> slice_ranges(const OpContext& c) {
  SliceArgs a;
  if (c.num_inputs() == 1) {
    a = slice_args_from_attrs(c.node);
  } else {
    ECO_CHECK(c.has(1) && c.has(2), "{}: starts and ends inputs are required", c.node.describe());
    a.starts = input_ints(c, 1, "starts");
    a.ends = input_ints(c, 2, "ends");
    if ((a.has_axes = c.has(3))) a.axes = input_ints(c, 3, "axes");
    if ((a.has_steps = c.has(4))) a.steps = input_ints(c, 4, "steps");
  }
  return slice_ranges(c.node, c.in(0).shape(), a);
}

namespace {

std::vector<Tensor> slice_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  auto ranges = ops::slice_ranges(c);
  auto st = contiguous_strides(x.shape());
  std::vector<std::vector<int64_t>> offs;
  for (size_t d = 0; d < ranges.size(); ++d)
    offs.push_back(stepped_offsets(ranges[d].start, ranges[d].step, ranges[d].count, st[d]));
  return {strided_gather(x, range_shape(ranges), offs)};
}

std::vector<TensorMeta> slice_infer(const Node& n, const std::vector<TensorMeta>& in) {
  SliceArgs a;
  if (n.inputs.size() == 1) {
    a = slice_args_from_attrs(n);
  } else {
    a.starts = const_input_ints(n, in, 1, "starts");
    a.ends = const_input_ints(n, in, 2, "ends");
    if ((a.has_axes = n.has_input(3))) a.axes = const_input_ints(n, in, 3, "axes");
    if ((a.has_steps = n.has_input(4))) a.steps = const_input_ints(n, in, 4, "steps");
  }
  return one_meta(in[0].dtype, range_shape(slice_ranges(n, in[0].shape, a)));
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Slice", .min_inputs = 1, .max_inputs = 5, .reference = slice_ref,
                         .infer = slice_infer});
}  // namespace ecoinfer::ops
