#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {
// Outputs share storage with their input (tensors are immutable once produced).
std::vector<Tensor> identity_ref(OpContext& c) { return {c.in(0)}; }
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Identity", .reference = identity_ref, .infer = same_as_input0, .output_views_input = true});
}  // namespace ecoinfer::ops
