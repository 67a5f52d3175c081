#include "ops/elementwise.h"

namespace ecoinfer::ops {
namespace {
// Integer division truncates toward zero (C++ and ONNX Runtime semantics); zero divisors
// give 0 instead of trapping, since a bad model must not crash the process.
template <typename T>
T int_div(T x, T y) { return y == 0 ? T{0} : static_cast<T>(x / y); }
}  // namespace
ECO_ARITH_BINARY_OP(Div, (std::is_integral_v<decltype(x)> ? int_div(x, y) : x / y))
}  // namespace ecoinfer::ops
