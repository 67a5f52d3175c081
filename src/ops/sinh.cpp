#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Sinh, std::sinh(x))
}  // namespace ecoinfer::ops
