#include "ops/reduce_common.h"

namespace ecoinfer::ops {
ECO_REDUCE_OP(ReduceLogSum, log_sum)
}  // namespace ecoinfer::ops
