#include "ops/softmax_common.h"

namespace ecoinfer::ops {
namespace {
std::vector<Tensor> softmax_ref(OpContext& c) { return softmax_family(c, false); }
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Softmax", .reference = softmax_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
