#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {
// Floats clear the sign bit (-0 -> +0, NaN stays NaN); |INT_MIN| wraps to INT_MIN.
std::vector<Tensor> abs_ref(OpContext& c) {
  return unary_typed<NumericTypes>(c, [](auto x) {
    using T = decltype(x);
    if constexpr (std::is_floating_point_v<T>) return std::fabs(x);
    else if constexpr (std::is_unsigned_v<T>) return x;
    else return x < 0 ? wrapping_neg(x) : x;
  });
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Abs", .reference = abs_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
