#include "ops/arg_reduce.h"

namespace ecoinfer::ops {
ECO_REGISTER_OP(OpSchema{.op_type = "ArgMin", .reference = arg_reduce_ref<false>, .infer = arg_reduce_infer<false>});
}  // namespace ecoinfer::ops
