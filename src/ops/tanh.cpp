#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Tanh, std::tanh(x))
}  // namespace ecoinfer::ops
