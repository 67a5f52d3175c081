#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_ARITH_BINARY_OP(Add, wrapping_add(x, y))
}  // namespace ecoinfer::ops
