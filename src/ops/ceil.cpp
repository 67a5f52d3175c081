#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Ceil, std::ceil(x))
}  // namespace ecoinfer::ops
