#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Sqrt, std::sqrt(x))
}  // namespace ecoinfer::ops
