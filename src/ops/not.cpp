#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {
std::vector<Tensor> not_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  ECO_CHECK(x.dtype() == DType::boolean, "{}: input must be bool, got {}", c.node.describe(), dtype_name(x.dtype()));
  Tensor y = Tensor::empty(DType::boolean, x.shape());
  for (int64_t i = 0; i < x.numel(); ++i) y.data<bool>()[i] = !x.data<bool>()[i];
  return {y};
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Not", .reference = not_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
