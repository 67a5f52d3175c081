#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Relu, x > 0.f ? x : 0.f)
}  // namespace ecoinfer::ops
