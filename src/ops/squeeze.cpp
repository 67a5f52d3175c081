#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// Axes come from the attribute (opset <= 12) or the second input (>= 13); without them
// every dimension of size 1 is removed.
Shape squeeze_shape(const Node& n, const Shape& in, const std::vector<int64_t>& axes_raw, bool given) {
  const int64_t r = static_cast<int64_t>(in.size());
  Shape out;
  if (!given) {
    for (int64_t d : in)
      if (d != 1) out.push_back(d);
    return out;
  }
  auto axes = normalize_axes(axes_raw, r, n);
  for (int64_t d = 0; d < r; ++d) {
    bool drop = std::find(axes.begin(), axes.end(), d) != axes.end();
    ECO_CHECK(!drop || in[d] == 1, "{}: cannot squeeze axis {} of size {} (input shape {})", n.describe(), d, in[d],
              shape_str(in));
    if (!drop) out.push_back(in[d]);
  }
  return out;
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Squeeze", .min_inputs = 1, .max_inputs = 2, .reference = axes_reshape_ref<squeeze_shape>,
                         .infer = axes_reshape_infer<squeeze_shape>, .output_views_input = true});
}  // namespace ecoinfer::ops
