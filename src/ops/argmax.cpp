#include "ops/arg_reduce.h"

namespace ecoinfer::ops {
ECO_REGISTER_OP(OpSchema{.op_type = "ArgMax", .reference = arg_reduce_ref<true>, .infer = arg_reduce_infer<true>});
}  // namespace ecoinfer::ops
