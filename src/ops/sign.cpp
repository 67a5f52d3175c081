#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {
// -1, 0 or 1 in the input's type; NaN stays NaN (numpy.sign).
std::vector<Tensor> sign_ref(OpContext& c) {
  return unary_typed<NumericTypes>(c, [](auto x) {
    using T = decltype(x);
    if (is_nan_value(x)) return x;
    return static_cast<T>(x > T{0} ? 1 : x < T{0} ? -1 : 0);
  });
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Sign", .reference = sign_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
