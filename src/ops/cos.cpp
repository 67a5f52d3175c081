#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Cos, std::cos(x))
}  // namespace ecoinfer::ops
