#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

template <typename E>
void select(const bool* cond, const E* x, const E* y, E* out, const Shape& out_shape, const std::array<Shape, 3>& shapes) {
  for_each_broadcast<3>(out_shape, shapes,
                        [&](int64_t base, int64_t count, const std::array<int64_t, 3>& off, const std::array<int64_t, 3>& st) {
                          for (int64_t i = 0; i < count; ++i)
                            out[base + i] = cond[off[0] + i * st[0]] ? x[off[1] + i * st[1]] : y[off[2] + i * st[2]];
                        });
}

Shape where_shape(const Node& n, const Shape& c, const Shape& x, const Shape& y) {
  return broadcast_shapes(broadcast_shapes(c, x, n), y, n);
}

std::vector<Tensor> where_ref(OpContext& c) {
  const Tensor& cond = c.in(0);
  const Tensor& x = c.in(1);
  const Tensor& y = c.in(2);
  const Node& n = c.node;
  ECO_CHECK(cond.dtype() == DType::boolean, "{}: condition must be bool, got {}", n.describe(), dtype_name(cond.dtype()));
  ECO_CHECK(x.dtype() == y.dtype(), "{}: X is {}, Y is {}", n.describe(), dtype_name(x.dtype()), dtype_name(y.dtype()));
  Shape out_shape = where_shape(n, cond.shape(), x.shape(), y.shape());
  Tensor out = Tensor::empty(x.dtype(), out_shape);
  const std::array<Shape, 3> shapes{cond.shape(), x.shape(), y.shape()};
  const bool* pc = cond.data<bool>();
  // Elements are copied as opaque words of their size.
  switch (dtype_size(x.dtype())) {
    case 1: select(pc, static_cast<const uint8_t*>(x.raw()), static_cast<const uint8_t*>(y.raw()), static_cast<uint8_t*>(out.raw()), out_shape, shapes); break;
    case 2: select(pc, static_cast<const uint16_t*>(x.raw()), static_cast<const uint16_t*>(y.raw()), static_cast<uint16_t*>(out.raw()), out_shape, shapes); break;
    case 4: select(pc, static_cast<const uint32_t*>(x.raw()), static_cast<const uint32_t*>(y.raw()), static_cast<uint32_t*>(out.raw()), out_shape, shapes); break;
    default: select(pc, static_cast<const uint64_t*>(x.raw()), static_cast<const uint64_t*>(y.raw()), static_cast<uint64_t*>(out.raw()), out_shape, shapes); break;
  }
  return {out};
}

std::vector<TensorMeta> where_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return one_meta(in[1].dtype, where_shape(n, in[0].shape, in[1].shape, in[2].shape));
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Where", .min_inputs = 3, .max_inputs = 3, .reference = where_ref,
                         .infer = where_infer});
}  // namespace ecoinfer::ops
