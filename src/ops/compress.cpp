#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// The slices of `input` along `axis` (of the flattened input without an axis) whose
// condition is true; a condition shorter than the axis leaves the rest out (numpy.compress).
std::vector<Tensor> compress_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const Tensor& cond = c.in(1);
  ECO_CHECK(cond.dtype() == DType::boolean && cond.rank() == 1, "{}: condition must be a 1-D bool tensor, got {} {}",
            c.node.describe(), dtype_name(cond.dtype()), shape_str(cond.shape()));
  const bool flat = !c.node.has_attr("axis");
  const Tensor in = flat ? x.reshaped({x.numel()}) : x;
  ECO_CHECK(in.rank() >= 1, "{}: input must have rank >= 1", c.node.describe());
  const int64_t axis = flat ? 0 : normalize_axis(c.node.attr_int("axis"), in.rank(), c.node);
  const int64_t len = in.dim(static_cast<int>(axis));
  ECO_CHECK(cond.numel() <= len, "{}: condition has {} values for an axis of {}", c.node.describe(), cond.numel(), len);
  std::vector<int64_t> keep;
  for (int64_t i = 0; i < cond.numel(); ++i)
    if (cond.data<bool>()[i]) keep.push_back(i);
  Shape out = in.shape();
  out[axis] = static_cast<int64_t>(keep.size());
  auto offs = leading_offsets(in.shape(), out);
  const int64_t stride = contiguous_strides(in.shape())[axis];
  for (size_t k = 0; k < keep.size(); ++k) offs[axis][k] = keep[k] * stride;
  return {strided_gather(in, out, offs)};
}

}  // namespace
// No shape rule: the output size depends on the condition's values.
ECO_REGISTER_OP(OpSchema{.op_type = "Compress", .min_inputs = 2, .max_inputs = 2, .reference = compress_ref});
}  // namespace ecoinfer::ops
