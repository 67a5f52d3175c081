#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Acos, std::acos(x))
}  // namespace ecoinfer::ops
