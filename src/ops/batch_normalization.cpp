#include "ops/batch_normalization.h"

#include "ops/op_util.h"

namespace ecoinfer::ops {

// Compiled without FMA (this file is not under kernels/avx512), so a*x+b style expressions
// round twice; the AVX-512 kernel relies on these exact values.
void batchnorm_affine(const float* scale, const float* bias, const float* mean, const float* var, int64_t channels,
                      float eps, double* a, double* b) {
  for (int64_t k = 0; k < channels; ++k) {
    const double inv = 1.0 / std::sqrt(double(var[k]) + eps);
    a[k] = scale[k] * inv;
    b[k] = bias[k] - mean[k] * a[k];
  }
}

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
  std::vector<double> a(ch), b(ch);
  batchnorm_affine(p[0], p[1], p[2], p[3], ch, eps, a.data(), b.data());
  Tensor y = Tensor::empty(DType::f32, x.shape());
  const int64_t inner = x.numel() / std::max<int64_t>(1, x.dim(0) * ch);
  const float* px = x.data<float>();
  float* py = y.data<float>();
  for (int64_t n = 0; n < x.dim(0); ++n)
    for (int64_t k = 0; k < ch; ++k) {
      const float* xi = px + (n * ch + k) * inner;
      float* yi = py + (n * ch + k) * inner;
      for (int64_t i = 0; i < inner; ++i) yi[i] = static_cast<float>(xi[i] * a[k] + b[k]);
    }
  return {y};
}

}  // namespace

ECO_REGISTER_OP(OpSchema{.op_type = "BatchNormalization", .min_inputs = 5, .max_inputs = 5, .max_outputs = 3,
                         .reference = batchnorm_ref, .infer = same_as_input0});

}  // namespace ecoinfer::ops
