#include "ops/reduce_common.h"

namespace ecoinfer::ops {
ECO_REDUCE_OP(ReduceProd, prod)
}  // namespace ecoinfer::ops
