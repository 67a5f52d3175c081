#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Exp, std::exp(x))
}  // namespace ecoinfer::ops
