#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// Axes (attribute <= opset 12, input >= 13) index the output, whose rank is r + |axes|.
Shape unsqueeze_shape(const Node& n, const Shape& in, const std::vector<int64_t>& axes_raw, bool given) {
  ECO_CHECK(given, "{}: axes are required", n.describe());
  const int64_t out_rank = static_cast<int64_t>(in.size() + axes_raw.size());
  auto axes = normalize_axes(axes_raw, out_rank, n);
  Shape out;
  size_t next = 0;
  for (int64_t d = 0; d < out_rank; ++d) {
    if (std::find(axes.begin(), axes.end(), d) != axes.end()) out.push_back(1);
    else out.push_back(in[next++]);
  }
  return out;
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Unsqueeze", .min_inputs = 1, .max_inputs = 2, .reference = axes_reshape_ref<unsqueeze_shape>,
                         .infer = axes_reshape_infer<unsqueeze_shape>, .output_views_input = true});
}  // namespace ecoinfer::ops
