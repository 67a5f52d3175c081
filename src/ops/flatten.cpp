#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// Flatten to 2-D around `axis` (default 1, range [-r, r]).
Shape flatten_shape(const Node& n, const Shape& in) {
  const int64_t r = static_cast<int64_t>(in.size());
  int64_t axis = n.attr_int("axis", 1);
  ECO_CHECK(axis >= -r && axis <= r, "{}: axis {} is out of range for rank {}", n.describe(), axis, r);
  if (axis < 0) axis += r;
  AxisSplit s = split_at_axis(in, axis);
  return {s.outer, s.len * s.inner};
}

std::vector<Tensor> flatten_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  return {x.reshaped(flatten_shape(c.node, x.shape()))};
}

std::vector<TensorMeta> flatten_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return one_meta(in[0].dtype, flatten_shape(n, in[0].shape));
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Flatten", .reference = flatten_ref, .infer = flatten_infer, .output_views_input = true});
}  // namespace ecoinfer::ops
