#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Erf, std::erf(x))
}  // namespace ecoinfer::ops
