#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// Output: data.shape[:axis] + indices.shape + data.shape[axis+1:].
Shape gather_shape(const Node& n, const Shape& data, const Shape& indices, int64_t* axis_out) {
  const int64_t r = static_cast<int64_t>(data.size());
  ECO_CHECK(r >= 1, "{}: data must have rank >= 1", n.describe());
  const int64_t axis = normalize_axis(n.attr_int("axis", 0), r, n);
  Shape out(data.begin(), data.begin() + axis);
  out.insert(out.end(), indices.begin(), indices.end());
  out.insert(out.end(), data.begin() + axis + 1, data.end());
  if (axis_out) *axis_out = axis;
  return out;
}

std::vector<Tensor> gather_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const Tensor& idx = c.in(1);
  ECO_CHECK(idx.dtype() == DType::i64 || idx.dtype() == DType::i32, "{}: indices must be int64 or int32, got {}",
            c.node.describe(), dtype_name(idx.dtype()));
  int64_t axis = 0;
  Shape out_shape = gather_shape(c.node, x.shape(), idx.shape(), &axis);
  const int64_t dim = x.dim(static_cast<int>(axis));
  std::vector<int64_t> ix = idx.to_i64_vector();
  for (int64_t& i : ix) {
    ECO_CHECK(i >= -dim && i < dim, "{}: index {} is out of range for axis {} of size {}", c.node.describe(), i, axis,
              dim);
    if (i < 0) i += dim;
  }
  // Gather with the indices flattened into one dimension, then give them their shape.
  Shape flat = x.shape();
  flat[axis] = static_cast<int64_t>(ix.size());
  auto offs = leading_offsets(x.shape(), flat);
  const int64_t stride = contiguous_strides(x.shape())[axis];
  for (size_t k = 0; k < ix.size(); ++k) offs[axis][k] = ix[k] * stride;
  return {strided_gather(x, flat, offs).reshaped(out_shape)};
}

std::vector<TensorMeta> gather_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return one_meta(in[0].dtype, gather_shape(n, in[0].shape, in[1].shape, nullptr));
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Gather", .min_inputs = 2, .max_inputs = 2, .reference = gather_ref,
                         .infer = gather_infer});
}  // namespace ecoinfer::ops
