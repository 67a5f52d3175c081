#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

Shape depth_to_space_shape(const Node& n, const Shape& x) {
  const int64_t b = n.attr_int("blocksize");
  // Divisibility by b twice, not by b * b: a huge blocksize from the file must not overflow.
  ECO_CHECK(x.size() == 4 && b >= 1 && x[1] % b == 0 && (x[1] / b) % b == 0, "{}: needs [N, C, H, W] with C divisible by blocksize^2 "
            "(input {}, blocksize {})", n.describe(), shape_str(x), b);
  return {x[0], x[1] / (b * b), x[2] * b, x[3] * b};
}

// Channels move into b x b spatial blocks. DCR (default): x viewed as [N, b, b, C', H, W] is
// transposed to [N, C', H, b, W, b]; CRD (PixelShuffle): [N, C', b, b, H, W] to the same.
std::vector<Tensor> depth_to_space_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const Shape out = depth_to_space_shape(c.node, x.shape());
  const int64_t b = c.node.attr_int("blocksize"), n = x.dim(0), ch = out[1], h = x.dim(2), w = x.dim(3);
  const std::string mode = c.node.attr_string("mode", "DCR");
  ECO_CHECK(mode == "DCR" || mode == "CRD", "{}: mode '{}' is neither DCR nor CRD", c.node.describe(), mode);
  const bool dcr = mode == "DCR";
  const Tensor view = x.reshaped(dcr ? Shape{n, b, b, ch, h, w} : Shape{n, ch, b, b, h, w});
  const std::vector<int64_t> perm = dcr ? std::vector<int64_t>{0, 3, 4, 1, 5, 2} : std::vector<int64_t>{0, 1, 4, 2, 5, 3};
  return {permute_axes(view, perm).reshaped(out)};
}

std::vector<TensorMeta> depth_to_space_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return one_meta(in[0].dtype, depth_to_space_shape(n, in[0].shape));
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "DepthToSpace", .reference = depth_to_space_ref, .infer = depth_to_space_infer});
}  // namespace ecoinfer::ops
