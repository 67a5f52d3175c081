#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_ARITH_BINARY_OP(Mul, wrapping_mul(x, y))
}  // namespace ecoinfer::ops
