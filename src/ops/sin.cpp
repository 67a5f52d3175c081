#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Sin, std::sin(x))
}  // namespace ecoinfer::ops
