#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Atanh, std::atanh(x))
}  // namespace ecoinfer::ops
