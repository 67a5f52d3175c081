#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_ARITH_BINARY_OP(Mul, x * y)
}  // namespace ecoinfer::ops
