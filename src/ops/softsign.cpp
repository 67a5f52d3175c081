#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Softsign, x / (1.f + std::fabs(x)))
}  // namespace ecoinfer::ops
