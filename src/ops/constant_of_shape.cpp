#include "ops/tensor_util.h"

#include <cstring>

namespace ecoinfer::ops {
namespace {

// The fill value: the one-element `value` tensor attribute, float32 0 by default.
Tensor fill_value(const Node& n) {
  if (!n.has_attr("value")) return Tensor::scalar<float>(0.f);
  const Tensor& v = n.attr_tensor("value");
  ECO_CHECK(v.numel() == 1, "{}: value must hold one element, got shape {}", n.describe(), shape_str(v.shape()));
  return v;
}

Shape target_shape(const Node& n, const std::vector<int64_t>& dims) {
  for (int64_t d : dims) ECO_CHECK(d >= 0, "{}: shape {} has a negative dimension", n.describe(), shape_str(dims));
  return dims;
}

std::vector<Tensor> constant_of_shape_ref(OpContext& c) {
  Tensor v = fill_value(c.node);
  Tensor y = Tensor::empty(v.dtype(), target_shape(c.node, input_ints(c, 0, "shape")));
  const size_t es = dtype_size(v.dtype());
  auto* p = static_cast<std::byte*>(y.raw());
  for (int64_t i = 0; i < y.numel(); ++i) std::memcpy(p + i * es, v.raw(), es);
  return {y};
}

std::vector<TensorMeta> constant_of_shape_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return one_meta(fill_value(n).dtype(), target_shape(n, const_input_ints(n, in, 0, "shape")));
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "ConstantOfShape", .reference = constant_of_shape_ref,
                         .infer = constant_of_shape_infer});
}  // namespace ecoinfer::ops
