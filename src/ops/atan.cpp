#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Atan, std::atan(x))
}  // namespace ecoinfer::ops
