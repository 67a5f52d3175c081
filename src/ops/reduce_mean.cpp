#include "ops/reduce_common.h"

namespace ecoinfer::ops {
ECO_REDUCE_OP(ReduceMean, mean)
}  // namespace ecoinfer::ops
