#include "ops/op_util.h"
#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// Expand broadcasts both ways: the output is broadcast(input shape, shape).
Shape expand_shape(const Node& n, const Shape& in, const std::vector<int64_t>& shape) {
  for (int64_t d : shape) ECO_CHECK(d >= 0, "{}: shape {} has a negative dimension", n.describe(), shape_str(shape));
  return broadcast_shapes(in, shape, n);
}

std::vector<Tensor> expand_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  Shape out = expand_shape(c.node, x.shape(), input_ints(c, 1, "shape"));
  // The target shape comes from the file: refuse an oversized output before the index tables.
  check_output_size(c.node, x.dtype(), out);
  // An empty output needs no index tables (one of its other dimensions may still be huge).
  for (int64_t d : out)
    if (d == 0) return {Tensor::empty(x.dtype(), out)};
  auto st = broadcast_strides(x.shape(), out);
  std::vector<std::vector<int64_t>> offs;
  for (size_t d = 0; d < out.size(); ++d) offs.push_back(stepped_offsets(0, 1, out[d], st[d]));
  return {strided_gather(x, out, offs)};
}

std::vector<TensorMeta> expand_infer(const Node& n, const std::vector<TensorMeta>& in) {
  Shape out = expand_shape(n, in[0].shape, const_input_ints(n, in, 1, "shape"));
  check_output_size(n, in[0].dtype, out);
  return one_meta(in[0].dtype, out);
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Expand", .min_inputs = 2, .max_inputs = 2, .reference = expand_ref,
                         .infer = expand_infer});
}  // namespace ecoinfer::ops
