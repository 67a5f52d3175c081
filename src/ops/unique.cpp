#include <algorithm>
#include <numeric>

#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// The distinct elements of the flattened input, or the distinct slices along `axis`,
// ascending (sorted=1, slices compared lexicographically) or in order of first appearance;
// with the index of each one's first appearance, the index into Y of every input element
// or slice, and the counts (numpy.unique with return_index, return_inverse, return_counts).
std::vector<Tensor> unique_ref(OpContext& c) {
  const Tensor& in = c.in(0);
  const bool flat = !c.node.has_attr("axis");
  const Tensor x = flat ? in.reshaped({in.numel()}) : in;
  ECO_CHECK(x.rank() >= 1, "{}: input must have rank >= 1", c.node.describe());
  const int64_t axis = flat ? 0 : normalize_axis(c.node.attr_int("axis"), x.rank(), c.node);
  const AxisSplit s = split_at_axis(x.shape(), axis);
  const bool sorted = c.node.attr_int("sorted", 1) != 0;
  std::vector<int64_t> first, inverse(static_cast<size_t>(s.len)), counts;
  std::vector<int64_t> order;  // slices of Y as input slice numbers (their first appearance)
  visit_dtype<ComparableTypes>(x.dtype(), c.node, "input", [&](auto t) {
    using T = decltype(t);
    const T* p = x.data<T>();
    // Slice k holds p[(o * len + k) * inner + i] for every (o, i), compared in that order.
    auto slice_less = [&](int64_t a, int64_t b) {
      for (int64_t o = 0; o < s.outer; ++o)
        for (int64_t i = 0; i < s.inner; ++i) {
          const T va = p[(o * s.len + a) * s.inner + i], vb = p[(o * s.len + b) * s.inner + i];
          if (va < vb) return true;
          if (vb < va) return false;
        }
      return false;
    };
    auto slice_equal = [&](int64_t a, int64_t b) { return !slice_less(a, b) && !slice_less(b, a); };
    std::vector<int64_t> by_value(static_cast<size_t>(s.len));
    std::iota(by_value.begin(), by_value.end(), 0);
    std::stable_sort(by_value.begin(), by_value.end(), slice_less);  // equal slices keep input order
    std::vector<int64_t> group_of(static_cast<size_t>(s.len));
    std::vector<int64_t> group_first;  // per distinct value (ascending): its first slice
    for (size_t r = 0; r < by_value.size(); ++r) {
      if (r == 0 || !slice_equal(by_value[r - 1], by_value[r])) group_first.push_back(by_value[r]);
      group_of[by_value[r]] = static_cast<int64_t>(group_first.size()) - 1;
    }
    // Output order: ascending, or by first appearance.
    std::vector<int64_t> groups(group_first.size());
    std::iota(groups.begin(), groups.end(), 0);
    if (!sorted)
      std::sort(groups.begin(), groups.end(), [&](int64_t a, int64_t b) { return group_first[a] < group_first[b]; });
    std::vector<int64_t> position(groups.size());
    for (size_t k = 0; k < groups.size(); ++k) position[groups[k]] = static_cast<int64_t>(k);
    counts.assign(groups.size(), 0);
    for (int64_t k = 0; k < s.len; ++k) {
      inverse[k] = position[group_of[k]];
      ++counts[inverse[k]];
    }
    for (int64_t g : groups) order.push_back(group_first[g]);
    return 0;
  });
  first = order;
  Shape y_shape = x.shape();
  y_shape[axis] = static_cast<int64_t>(order.size());
  auto offs = leading_offsets(x.shape(), y_shape);
  const int64_t stride = contiguous_strides(x.shape())[axis];
  for (size_t k = 0; k < order.size(); ++k) offs[axis][k] = order[k] * stride;
  auto as_tensor = [](const std::vector<int64_t>& v) {
    return Tensor::from<int64_t>({static_cast<int64_t>(v.size())}, std::span<const int64_t>(v.data(), v.size()));
  };
  return {strided_gather(x, y_shape, offs), as_tensor(first), as_tensor(inverse), as_tensor(counts)};
}

}  // namespace
// No shape rule: the output size depends on the values.
ECO_REGISTER_OP(OpSchema{.op_type = "Unique", .min_inputs = 1, .max_inputs = 1, .max_outputs = 4,
                         .reference = unique_ref});
}  // namespace ecoinfer::ops
