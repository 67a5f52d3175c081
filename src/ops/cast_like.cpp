#include "ops/cast.h"
#include "ops/op_util.h"

namespace ecoinfer::ops {
namespace {
// Cast to the element type of the second input (whose values are not read).
std::vector<Tensor> cast_like_ref(OpContext& c) { return {cast_to(c.in(0), c.in(1).dtype(), c.node)}; }
std::vector<TensorMeta> cast_like_infer(const Node&, const std::vector<TensorMeta>& in) {
  return {TensorMeta{in[1].dtype, in[0].shape, nullptr}};
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "CastLike", .min_inputs = 2, .max_inputs = 2, .reference = cast_like_ref,
                         .infer = cast_like_infer});
}  // namespace ecoinfer::ops
