#include "ops/op_util.h"

namespace ecoinfer::ops {
namespace {

// Inference form: y = (x - mean) / sqrt(var + eps) * scale + bias, per channel (axis 1).
std::vector<Tensor> batchnorm_ref(OpContext& c) {
  const Tensor& x = require_f32(c, 0);
  ECO_CHECK(x.rank() >= 2, "{}: input must have rank >= 2", c.node.describe());
  ECO_CHECK(c.node.attr_int("training_mode", 0) == 0, "{}: training_mode=1 is not supported for inference",
            c.node.describe());
  const int64_t ch = x.dim(1);
  const float eps = c.node.attr_float("epsilon", 1e-5f);
  const float* p[4];
  for (int i = 0; i < 4; ++i) {
    const Tensor& t = require_f32(c, i + 1);
    ECO_CHECK(t.numel() == ch, "{}: parameter {} has {} values, input has {} channels", c.node.describe(), i + 1,
              t.numel(), ch);
    p[i] = t.data<float>();
  }
  Tensor y = Tensor::empty(DType::f32, x.shape());
  const int64_t inner = x.numel() / std::max<int64_t>(1, x.dim(0) * ch);
  const float* px = x.data<float>();
  float* py = y.data<float>();
  for (int64_t n = 0; n < x.dim(0); ++n)
    for (int64_t k = 0; k < ch; ++k) {
      const double inv = 1.0 / std::sqrt(double(p[3][k]) + eps);
      const double a = p[0][k] * inv, b = p[1][k] - p[2][k] * a;
      const float* xi = px + (n * ch + k) * inner;
      float* yi = py + (n * ch + k) * inner;
      for (int64_t i = 0; i < inner; ++i) yi[i] = static_cast<float>(xi[i] * a + b);
    }
  return {y};
}

}  // namespace

ECO_REGISTER_OP(OpSchema{.op_type = "BatchNormalization", .min_inputs = 5, .max_inputs = 5, .max_outputs = 3,
                         .reference = batchnorm_ref, .infer = same_as_input0});

}  // namespace ecoinfer::ops
