#include "ops/op_util.h"

namespace ecoinfer::ops {
namespace {

// Normalises over dimensions [axis, rank): y = (x - mean) / sqrt(var + eps) * scale + bias,
// with the biased variance, as ONNX and torch.nn.LayerNorm define it.
std::vector<Tensor> layernorm_ref(OpContext& c) {
  const Tensor& x = require_f32(c, 0);
  const Tensor& scale = require_f32(c, 1);
  const int64_t axis = normalize_axis(c.node.attr_int("axis", -1), x.rank(), c.node);
  ECO_CHECK(c.node.attr_int("stash_type", 1) == 1, "{}: only stash_type=1 (float32) is supported", c.node.describe());
  const float eps = c.node.attr_float("epsilon", 1e-5f);
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < x.rank(); ++d) (d < axis ? outer : inner) *= x.dim(d);
  Shape norm_shape(x.shape().begin() + axis, x.shape().end());
  auto check_param = [&](const Tensor& t, const char* what) {
    ECO_CHECK(broadcast_shapes(t.shape(), norm_shape, c.node) == norm_shape && t.numel() == inner,
              "{}: {} {} does not match the normalised shape {}", c.node.describe(), what, shape_str(t.shape()),
              shape_str(norm_shape));
  };
  check_param(scale, "scale");
  const float* pb = nullptr;
  if (c.has(2)) {
    check_param(require_f32(c, 2), "bias");
    pb = c.in(2).data<float>();
  }
  Tensor y = Tensor::empty(DType::f32, x.shape());
  Shape stat_shape = x.shape();
  for (int64_t d = axis; d < x.rank(); ++d) stat_shape[d] = 1;
  Tensor mean_t = Tensor::empty(DType::f32, stat_shape), inv_t = Tensor::empty(DType::f32, stat_shape);
  const float* px = x.data<float>();
  const float* ps = scale.data<float>();
  float* py = y.data<float>();
  for (int64_t o = 0; o < outer; ++o) {
    const float* xi = px + o * inner;
    double sum = 0, sq = 0;
    for (int64_t i = 0; i < inner; ++i) sum += xi[i];
    const double mean = sum / inner;
    for (int64_t i = 0; i < inner; ++i) sq += (xi[i] - mean) * (xi[i] - mean);
    const double inv = 1.0 / std::sqrt(sq / inner + eps);
    for (int64_t i = 0; i < inner; ++i)
      py[o * inner + i] = static_cast<float>((xi[i] - mean) * inv * ps[i] + (pb ? pb[i] : 0.0));
    mean_t.data<float>()[o] = static_cast<float>(mean);
    inv_t.data<float>()[o] = static_cast<float>(inv);
  }
  return {y, mean_t, inv_t};
}

}  // namespace

ECO_REGISTER_OP(OpSchema{.op_type = "LayerNormalization", .min_inputs = 2, .max_inputs = 3, .max_outputs = 3,
                         .reference = layernorm_ref});

}  // namespace ecoinfer::ops
