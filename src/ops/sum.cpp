#include "ops/compare.h"

namespace ecoinfer::ops {
// Elementwise sum of any number of broadcast inputs, folded left to right as ONNX's
// reference does; integers wrap (two's complement) instead of overflowing.
ECO_VARIADIC_OP(Sum, wrapping_add)
}  // namespace ecoinfer::ops
