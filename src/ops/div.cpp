#include "ops/elementwise.h"

namespace ecoinfer::ops {
namespace {
// Integer division truncates toward zero (C++ and ONNX Runtime semantics). The two
// quotients x86 traps on are defined instead, since a bad model must not crash the
// process: a zero divisor gives 0, and INT_MIN / -1 wraps to INT_MIN (two's complement,
// as NumPy gives; y = -1 is negation).
template <typename T>
T int_div(T x, T y) {
  if (y == 0) return T{0};
  if constexpr (std::is_signed_v<T>)
    if (y == T(-1)) return wrapping_neg(x);
  return static_cast<T>(x / y);
}
}  // namespace
ECO_ARITH_BINARY_OP(Div, (std::is_integral_v<decltype(x)> ? int_div(x, y) : x / y))
}  // namespace ecoinfer::ops
