#include "ops/reduce_common.h"

namespace ecoinfer::ops {
ECO_REDUCE_OP(ReduceMax, max)
}  // namespace ecoinfer::ops
