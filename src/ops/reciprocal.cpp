#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Reciprocal, 1.f / x)
}  // namespace ecoinfer::ops
