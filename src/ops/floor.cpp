#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Floor, std::floor(x))
}  // namespace ecoinfer::ops
