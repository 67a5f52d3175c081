#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {
std::vector<Tensor> is_nan_ref(OpContext& c) {
  return unary_predicate<FloatTypes>(c, [](auto v) { return std::isnan(v); });
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "IsNaN", .reference = is_nan_ref, .infer = bool_like_input0});
}  // namespace ecoinfer::ops
