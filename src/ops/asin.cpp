#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Asin, std::asin(x))
}  // namespace ecoinfer::ops
