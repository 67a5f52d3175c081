#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Asinh, std::asinh(x))
}  // namespace ecoinfer::ops
