#include "ops/lrn.h"

#include "ops/tensor_util.h"

namespace ecoinfer::ops {

LrnParams lrn_params(const Node& n, const Shape& x) {
  ECO_CHECK(x.size() >= 3, "{}: input {} must be [N, C, D1, ...]", n.describe(), shape_str(x));
  LrnParams p;
  p.size = n.attr_int("size");
  ECO_CHECK(p.size >= 1, "{}: size must be positive, got {}", n.describe(), p.size);
  p.lo = (p.size - 1) / 2;
  p.hi = p.size - 1 - p.lo;
  p.alpha = n.attr_float("alpha", 1e-4f);
  p.beta = n.attr_float("beta", 0.75f);
  p.bias = n.attr_float("bias", 1.f);
  return p;
}

namespace {

// Plain loops in double: for every element, its channel window's sum of squares.
std::vector<Tensor> lrn_ref(OpContext& c) {
  const Tensor& x = require_f32(c, 0);
  const LrnParams p = lrn_params(c.node, x.shape());
  const int64_t n = x.dim(0), ch = x.dim(1), plane = x.numel() / std::max<int64_t>(1, n * ch);
  Tensor y = Tensor::empty(DType::f32, x.shape());
  const float* px = x.data<float>();
  float* py = y.data<float>();
  for (int64_t b = 0; b < n; ++b)
    for (int64_t k = 0; k < ch; ++k)
      for (int64_t i = 0; i < plane; ++i) {
        double sq = 0;
        for (int64_t j = std::max<int64_t>(0, k - p.lo); j <= std::min(ch - 1, k + p.hi); ++j) {
          const double v = px[(b * ch + j) * plane + i];
          sq += v * v;
        }
        const int64_t at = (b * ch + k) * plane + i;
        py[at] = static_cast<float>(px[at] / std::pow(p.bias + p.alpha / static_cast<double>(p.size) * sq, p.beta));
      }
  return {y};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "LRN", .reference = lrn_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
