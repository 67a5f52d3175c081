#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Sigmoid, stable_sigmoid(x))
}  // namespace ecoinfer::ops
