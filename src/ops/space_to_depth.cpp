#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

Shape space_to_depth_shape(const Node& n, const Shape& x) {
  const int64_t b = n.attr_int("blocksize");
  ECO_CHECK(x.size() == 4 && b >= 1 && x[2] % b == 0 && x[3] % b == 0, "{}: needs [N, C, H, W] with H and W "
            "divisible by blocksize (input {}, blocksize {})", n.describe(), shape_str(x), b);
  return {x[0], x[1] * b * b, x[2] / b, x[3] / b};
}

// The inverse of DepthToSpace's DCR mode: x viewed as [N, C, H/b, b, W/b, b] is transposed
// to [N, b, b, C, H/b, W/b].
std::vector<Tensor> space_to_depth_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const Shape out = space_to_depth_shape(c.node, x.shape());
  const int64_t b = c.node.attr_int("blocksize");
  const Tensor view = x.reshaped({x.dim(0), x.dim(1), out[2], b, out[3], b});
  return {permute_axes(view, {0, 3, 5, 1, 2, 4}).reshaped(out)};
}

std::vector<TensorMeta> space_to_depth_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return one_meta(in[0].dtype, space_to_depth_shape(n, in[0].shape));
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "SpaceToDepth", .reference = space_to_depth_ref, .infer = space_to_depth_infer});
}  // namespace ecoinfer::ops
