#include "ops/tensor_util.h"

#include <cstring>

namespace ecoinfer::ops {
namespace {

// All inputs share type and rank and agree on every dimension but `axis`.
Shape concat_shape(const Node& n, const std::vector<const Shape*>& shapes, const std::vector<DType>& types, int64_t* axis_out) {
  ECO_CHECK(!shapes.empty(), "{}: needs at least one input", n.describe());
  const Shape& first = *shapes[0];
  const int64_t r = static_cast<int64_t>(first.size());
  ECO_CHECK(r > 0, "{}: inputs must have rank >= 1", n.describe());
  const int64_t axis = normalize_axis(n.attr_int("axis"), r, n);
  Shape out = first;
  out[axis] = 0;
  for (size_t i = 0; i < shapes.size(); ++i) {
    const Shape& s = *shapes[i];
    ECO_CHECK(types[i] == types[0], "{}: input {} is {}, input 0 is {}", n.describe(), i, dtype_name(types[i]),
              dtype_name(types[0]));
    bool ok = static_cast<int64_t>(s.size()) == r;
    for (int64_t d = 0; ok && d < r; ++d) ok = d == axis || s[d] == first[d];
    ECO_CHECK(ok, "{}: input {} has shape {}, incompatible with input 0 {} along axis {}", n.describe(), i, shape_str(s),
              shape_str(first), axis);
    out[axis] += s[axis];
  }
  if (axis_out) *axis_out = axis;
  return out;
}

std::vector<Tensor> concat_ref(OpContext& c) {
  std::vector<const Shape*> shapes;
  std::vector<DType> types;
  for (size_t i = 0; i < c.num_inputs(); ++i) {
    shapes.push_back(&c.in(i).shape());
    types.push_back(c.in(i).dtype());
  }
  int64_t axis = 0;
  Shape out_shape = concat_shape(c.node, shapes, types, &axis);
  Tensor out = Tensor::empty(types[0], out_shape);
  const size_t es = dtype_size(types[0]);
  AxisSplit o = split_at_axis(out_shape, axis);
  auto* dst = static_cast<std::byte*>(out.raw());
  int64_t at = 0;  // running offset along the axis
  for (size_t i = 0; i < c.num_inputs(); ++i) {
    const Tensor& x = c.in(i);
    const size_t chunk = static_cast<size_t>(x.dim(static_cast<int>(axis)) * o.inner) * es;
    const auto* src = static_cast<const std::byte*>(x.raw());
    if (chunk)
      for (int64_t k = 0; k < o.outer; ++k)
        std::memcpy(dst + (static_cast<size_t>(k * o.len + at) * o.inner) * es, src + k * chunk, chunk);
    at += x.dim(static_cast<int>(axis));
  }
  return {out};
}

std::vector<TensorMeta> concat_infer(const Node& n, const std::vector<TensorMeta>& in) {
  std::vector<const Shape*> shapes;
  std::vector<DType> types;
  for (auto& m : in) {
    shapes.push_back(&m.shape);
    types.push_back(m.dtype);
  }
  return one_meta(in[0].dtype, concat_shape(n, shapes, types, nullptr));
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Concat", .min_inputs = 1, .max_inputs = 4096, .reference = concat_ref,
                         .infer = concat_infer});
}  // namespace ecoinfer::ops
