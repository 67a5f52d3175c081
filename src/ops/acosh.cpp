#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Acosh, std::acosh(x))
}  // namespace ecoinfer::ops
