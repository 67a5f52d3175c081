#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_ARITH_BINARY_OP(Sub, wrapping_sub(x, y))
}  // namespace ecoinfer::ops
