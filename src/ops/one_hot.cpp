#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

int64_t one_hot_depth(const Node& n, const Tensor& depth) {
  ECO_CHECK(depth.numel() == 1, "{}: depth must hold one value, got {}", n.describe(), shape_str(depth.shape()));
  const double d = dtype_is_float(depth.dtype()) ? depth.to_f32_vector()[0] : static_cast<double>(depth.to_i64_vector()[0]);
  ECO_CHECK(d >= 1 && d <= 1e9, "{}: depth {} must be positive", n.describe(), d);
  return static_cast<int64_t>(d);
}

Shape one_hot_shape(const Node& n, const Shape& indices, int64_t depth, int64_t* axis_out) {
  const int64_t r = static_cast<int64_t>(indices.size()) + 1;
  const int64_t axis = normalize_axis(n.attr_int("axis", -1), r, n);
  Shape out = indices;
  out.insert(out.begin() + axis, depth);
  if (axis_out) *axis_out = axis;
  return out;
}

// values[1] where the index (negative ones count from depth) equals the position along
// `axis`, values[0] elsewhere; indices outside [-depth, depth) give a row of values[0].
std::vector<Tensor> one_hot_ref(OpContext& c) {
  const Tensor& indices = c.in(0);
  const Tensor& values = c.in(2);
  ECO_CHECK(values.numel() == 2, "{}: values must hold [off, on], got {}", c.node.describe(), shape_str(values.shape()));
  const int64_t depth = one_hot_depth(c.node, c.in(1));
  int64_t axis = 0;
  const Shape out_shape = one_hot_shape(c.node, indices.shape(), depth, &axis);
  check_output_size(c.node, values.dtype(), out_shape);
  std::vector<double> idx;
  if (dtype_is_float(indices.dtype()))
    for (float v : indices.to_f32_vector()) idx.push_back(v);
  else
    for (int64_t v : indices.to_i64_vector()) idx.push_back(static_cast<double>(v));
  const AxisSplit s = split_at_axis(out_shape, axis);  // [outer, depth, inner]; indices are [outer, inner]
  Tensor y = Tensor::empty(values.dtype(), out_shape);
  const size_t esz = dtype_size(values.dtype());
  const auto* pv = static_cast<const std::byte*>(values.raw());
  auto* py = static_cast<std::byte*>(y.raw());
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t k = 0; k < depth; ++k)
      for (int64_t i = 0; i < s.inner; ++i) {
        double v = std::trunc(idx[o * s.inner + i]);
        if (v < 0) v += static_cast<double>(depth);
        const bool on = v == static_cast<double>(k);
        std::memcpy(py + ((o * depth + k) * s.inner + i) * esz, pv + (on ? esz : 0), esz);
      }
  return {y};
}

std::vector<TensorMeta> one_hot_infer(const Node& n, const std::vector<TensorMeta>& in) {
  ECO_CHECK(in[1].value, "{}: the output shape depends on depth, which is not constant", n.describe());
  return one_meta(in[2].dtype, one_hot_shape(n, in[0].shape, one_hot_depth(n, *in[1].value), nullptr));
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "OneHot", .min_inputs = 3, .max_inputs = 3, .reference = one_hot_ref,
                         .infer = one_hot_infer});
}  // namespace ecoinfer::ops
