#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// ONNX Reshape: 0 copies the input dimension (unless allowzero=1, where it is a real 0),
// one -1 is inferred from the element count.
Shape reshape_target(const Node& n, const Shape& in, const std::vector<int64_t>& spec) {
  const bool allowzero = n.attr_int("allowzero", 0) != 0;
  Shape out(spec.size());
  int infer_at = -1;
  int64_t known = 1;
  for (size_t i = 0; i < spec.size(); ++i) {
    int64_t v = spec[i];
    if (v == -1) {
      ECO_CHECK(infer_at < 0, "{}: shape {} has more than one -1", n.describe(), shape_str(spec));
      infer_at = static_cast<int>(i);
      continue;
    }
    if (v == 0 && !allowzero) {
      ECO_CHECK(i < in.size(), "{}: shape {} copies dimension {} with 0 but the input {} has rank {}", n.describe(),
                shape_str(spec), i, shape_str(in), in.size());
      v = in[i];
    }
    ECO_CHECK(v >= 0, "{}: shape {} has invalid dimension {}", n.describe(), shape_str(spec), v);
    out[i] = v;
    ECO_CHECK(v == 0 || known <= std::numeric_limits<int64_t>::max() / v, "{}: shape {} is too large", n.describe(),
              shape_str(spec));
    known *= v;
  }
  const int64_t total = shape_numel(in);
  if (infer_at >= 0) {
    ECO_CHECK(known != 0 && total % known == 0, "{}: cannot reshape {} to {}", n.describe(), shape_str(in),
              shape_str(spec));
    out[infer_at] = total / known;
  } else {
    ECO_CHECK(known == total, "{}: cannot reshape {} ({} elements) to {}", n.describe(), shape_str(in), total,
              shape_str(out));
  }
  return out;
}

std::vector<Tensor> reshape_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  return {x.reshaped(reshape_target(c.node, x.shape(), input_ints(c, 1, "shape")))};
}

std::vector<TensorMeta> reshape_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return one_meta(in[0].dtype, reshape_target(n, in[0].shape, const_input_ints(n, in, 1, "shape")));
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Reshape", .min_inputs = 2, .max_inputs = 2, .reference = reshape_ref,
                         .infer = reshape_infer, .output_views_input = true});
}  // namespace ecoinfer::ops
