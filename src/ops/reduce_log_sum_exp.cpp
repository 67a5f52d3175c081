#include "ops/reduce_common.h"

namespace ecoinfer::ops {
ECO_REDUCE_OP(ReduceLogSumExp, log_sum_exp)
}  // namespace ecoinfer::ops
