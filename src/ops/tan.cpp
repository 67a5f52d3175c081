#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Tan, std::tan(x))
}  // namespace ecoinfer::ops
