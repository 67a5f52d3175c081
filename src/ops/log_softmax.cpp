#include "ops/softmax_common.h"

namespace ecoinfer::ops {
namespace {
std::vector<Tensor> log_softmax_ref(OpContext& c) { return softmax_family(c, true); }
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "LogSoftmax", .reference = log_softmax_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
