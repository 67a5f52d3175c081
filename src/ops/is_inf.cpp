#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {
// True for +inf when detect_positive, for -inf when detect_negative (both by default).
std::vector<Tensor> is_inf_ref(OpContext& c) {
  const bool pos = c.node.attr_int("detect_positive", 1) != 0, neg = c.node.attr_int("detect_negative", 1) != 0;
  return unary_predicate<FloatTypes>(c, [=](auto v) { return std::isinf(v) && (v > 0 ? pos : neg); });
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "IsInf", .reference = is_inf_ref, .infer = bool_like_input0});
}  // namespace ecoinfer::ops
