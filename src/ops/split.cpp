#include "ops/split.h"

namespace ecoinfer::ops {
namespace {

// Piece sizes: from the `split` input (opset >= 13) or attribute (<= 12), else equal pieces,
// one per output (or `num_outputs` of opset 18, where the last piece may be smaller).
std::vector<int64_t> split_sizes(const Node& n, const Shape& in, int64_t axis, bool has_split,
                                 const std::vector<int64_t>& split) {
  const int64_t dim = in[axis];
  const int64_t outputs = static_cast<int64_t>(n.outputs.size());
  std::vector<int64_t> sizes;
  if (has_split) {
    sizes = split;
    int64_t sum = 0;
    for (int64_t s : sizes) {
      ECO_CHECK(s >= 0, "{}: split size {} is negative", n.describe(), s);
      sum += s;
    }
    ECO_CHECK(sum == dim, "{}: split sizes add up to {}, axis {} has size {}", n.describe(), sum, axis, dim);
  } else if (n.has_attr("num_outputs")) {
    const int64_t parts = n.attr_int("num_outputs");
    ECO_CHECK(parts >= 1, "{}: num_outputs must be >= 1, got {}", n.describe(), parts);
    const int64_t chunk = (dim + parts - 1) / parts;
    ECO_CHECK(chunk * (parts - 1) <= dim, "{}: axis of size {} cannot be split into {} pieces", n.describe(), dim, parts);
    sizes.assign(static_cast<size_t>(parts), chunk);
    sizes.back() = dim - chunk * (parts - 1);
  } else {
    ECO_CHECK(outputs >= 1 && dim % outputs == 0, "{}: axis of size {} cannot be split evenly into {} outputs",
              n.describe(), dim, outputs);
    sizes.assign(static_cast<size_t>(outputs), dim / outputs);
  }
  ECO_CHECK(static_cast<int64_t>(sizes.size()) == outputs, "{}: {} split sizes for {} outputs", n.describe(),
            sizes.size(), outputs);
  return sizes;
}

}  // namespace

int64_t split_axis(const Node& n, int64_t rank) {
  ECO_CHECK(rank > 0, "{}: input must have rank >= 1", n.describe());
  return normalize_axis(n.attr_int("axis", 0), rank, n);
}

std::vector<int64_t> split_sizes(const OpContext& c, int64_t axis) {
  const bool has_split = c.has(1) || c.node.has_attr("split");
  return split_sizes(c.node, c.in(0).shape(), axis, has_split,
                     c.has(1) ? input_ints(c, 1, "split") : c.node.attr_ints("split"));
}

namespace {

std::vector<Tensor> split_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const int64_t axis = split_axis(c.node, x.rank());
  auto sizes = ops::split_sizes(c, axis);
  auto shapes = split_shapes(x.shape(), axis, sizes);
  const int64_t stride = contiguous_strides(x.shape())[axis];
  std::vector<Tensor> outs;
  int64_t at = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    auto offs = leading_offsets(x.shape(), shapes[i]);
    offs[axis] = stepped_offsets(at, 1, sizes[i], stride);
    outs.push_back(strided_gather(x, shapes[i], offs));
    at += sizes[i];
  }
  return outs;
}

std::vector<TensorMeta> split_infer(const Node& n, const std::vector<TensorMeta>& in) {
  const Shape& s = in[0].shape;
  const int64_t axis = split_axis(n, static_cast<int64_t>(s.size()));
  const bool has_split = n.has_input(1) || n.has_attr("split");
  auto sizes = split_sizes(n, s, axis, has_split,
                           n.has_input(1) ? const_input_ints(n, in, 1, "split") : n.attr_ints("split"));
  std::vector<TensorMeta> out;
  for (auto& sh : split_shapes(s, axis, sizes)) out.push_back(TensorMeta{in[0].dtype, sh, nullptr});
  return out;
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Split", .min_inputs = 1, .max_inputs = 2, .max_outputs = 4096,
                         .reference = split_ref, .infer = split_infer});
}  // namespace ecoinfer::ops
