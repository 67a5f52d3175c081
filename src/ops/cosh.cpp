#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Cosh, std::cosh(x))
}  // namespace ecoinfer::ops
