#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// The importer folds Constant nodes into initializers; this op serves hand-built graphs.
Tensor constant_value(const Node& n) {
  if (n.has_attr("value")) return n.attr_tensor("value");
  if (n.has_attr("value_float")) return Tensor::scalar<float>(n.attr_float("value_float", 0.f));
  if (n.has_attr("value_int")) return Tensor::scalar<int64_t>(n.attr_int("value_int"));
  if (n.has_attr("value_floats")) {
    auto v = n.attr_floats("value_floats");
    return Tensor::from<float>({static_cast<int64_t>(v.size())}, v);
  }
  if (n.has_attr("value_ints")) {
    auto v = n.attr_ints("value_ints");
    return Tensor::from<int64_t>({static_cast<int64_t>(v.size())}, v);
  }
  fail("{}: needs one of value, value_float(s), value_int(s)", n.describe());
}

std::vector<Tensor> constant_ref(OpContext& c) { return {constant_value(c.node)}; }

std::vector<TensorMeta> constant_infer(const Node& n, const std::vector<TensorMeta>&) {
  Tensor v = constant_value(n);
  return one_meta(v.dtype(), v.shape());
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Constant", .min_inputs = 0, .max_inputs = 0, .reference = constant_ref,
                         .infer = constant_infer});
}  // namespace ecoinfer::ops
