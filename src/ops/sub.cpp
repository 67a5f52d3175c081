#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_ARITH_BINARY_OP(Sub, x - y)
}  // namespace ecoinfer::ops
