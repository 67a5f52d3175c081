#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {
std::vector<Tensor> neg_ref(OpContext& c) { return unary_typed<SignedTypes>(c, [](auto x) { return wrapping_neg(x); }); }
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Neg", .reference = neg_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
