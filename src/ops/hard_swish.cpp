#include "ops/tensor_util.h"
#include "ops/elementwise.h"

namespace ecoinfer::ops {
// x * HardSigmoid(x) with alpha = 1/6, beta = 0.5.
ECO_UNARY_F32_OP(HardSwish, x * clamp_keep_nan(x / 6.f + 0.5f, 0.f, 1.f))
}  // namespace ecoinfer::ops
