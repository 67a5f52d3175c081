#include "ops/reduce_common.h"

namespace ecoinfer::ops {
ECO_REDUCE_OP(ReduceL1, l1)
}  // namespace ecoinfer::ops
