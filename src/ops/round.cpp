#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {
// Round half to even (ONNX Round, numpy.round): std::nearbyint in the default rounding mode.
std::vector<Tensor> round_ref(OpContext& c) {
  return unary_typed<FloatTypes>(c, [](auto x) { return std::nearbyint(x); });
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Round", .reference = round_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
