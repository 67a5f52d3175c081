#include "ops/reduce_common.h"

namespace ecoinfer::ops {
ECO_REDUCE_OP(ReduceL2, l2)
}  // namespace ecoinfer::ops
