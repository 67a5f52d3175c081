#include "ops/op_util.h"

namespace ecoinfer::ops {
namespace {

// y = scale[c] * (x - mean) / sqrt(var + epsilon) + B[c], with the mean and the biased
// variance of each (n, c) plane, in double (ONNX InstanceNormalization, nn.InstanceNorm2d).
std::vector<Tensor> instance_norm_ref(OpContext& c) {
  const Tensor& x = require_f32(c, 0);
  const Tensor& scale = require_f32(c, 1);
  const Tensor& bias = require_f32(c, 2);
  ECO_CHECK(x.rank() >= 3, "{}: input {} must be [N, C, D1, ...]", c.node.describe(), shape_str(x.shape()));
  const int64_t n = x.dim(0), ch = x.dim(1), plane = x.numel() / std::max<int64_t>(1, n * ch);
  ECO_CHECK(scale.numel() == ch && bias.numel() == ch, "{}: scale and B must hold {} values", c.node.describe(), ch);
  const double eps = c.node.attr_float("epsilon", 1e-5f);
  Tensor y = Tensor::empty(DType::f32, x.shape());
  const float* px = x.data<float>();
  float* py = y.data<float>();
  for (int64_t p = 0; p < n * ch; ++p) {
    const float* xp = px + p * plane;
    double mean = 0, var = 0;
    for (int64_t i = 0; i < plane; ++i) mean += xp[i];
    mean /= static_cast<double>(plane);
    for (int64_t i = 0; i < plane; ++i) var += (xp[i] - mean) * (xp[i] - mean);
    var /= static_cast<double>(plane);
    const double a = scale.data<float>()[p % ch] / std::sqrt(var + eps), b = bias.data<float>()[p % ch];
    for (int64_t i = 0; i < plane; ++i) py[p * plane + i] = static_cast<float>((xp[i] - mean) * a + b);
  }
  return {y};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "InstanceNormalization", .min_inputs = 3, .max_inputs = 3,
                         .reference = instance_norm_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
