#include "ops/reduce_common.h"

namespace ecoinfer::ops {
ECO_REDUCE_OP(ReduceSum, sum)
}  // namespace ecoinfer::ops
