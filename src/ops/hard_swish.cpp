#include "ops/tensor_util.h"
#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(HardSwish, hard_swish(x))
}  // namespace ecoinfer::ops
