#include "ops/reduce_common.h"

namespace ecoinfer::ops {
ECO_REDUCE_OP(ReduceSumSquare, sum_square)
}  // namespace ecoinfer::ops
