#include "ops/reduce_common.h"

namespace ecoinfer::ops {
ECO_REDUCE_OP(ReduceMin, min)
}  // namespace ecoinfer::ops
