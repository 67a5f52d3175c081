#pragma once
// Softmax and LogSoftmax share one reference: subtract the max, exponentiate, normalise,
// all in double (reference kernels are the ground truth fast kernels are measured against).
#include "ops/tensor_util.h"

namespace ecoinfer::ops {

// The rows Softmax, LogSoftmax and Hardmax normalise. Opset >= 13: along `axis` (default
// -1). Opset < 13: the input is viewed as 2-D [prod(dims < axis), prod(dims >= axis)]
// (default axis 1) and each row is one distribution.
inline AxisSplit softmax_rows(const Node& n, const Shape& x) {
  const int64_t r = static_cast<int64_t>(x.size());
  if (r == 0) return AxisSplit{1, 1, 1};  // a scalar is its own one-element distribution
  if (node_opset(n) < 13) {
    int64_t axis = n.attr_int("axis", 1);
    ECO_CHECK(axis >= -r && axis <= r, "{}: axis {} is out of range for rank {}", n.describe(), axis, r);
    if (axis < 0) axis += r;
    AxisSplit a = split_at_axis(x, axis);
    return AxisSplit{a.outer, a.len * a.inner, 1};
  }
  return split_at_axis(x, normalize_axis(n.attr_int("axis", -1), r, n));
}

inline std::vector<Tensor> softmax_family(OpContext& c, bool log) {
  const Tensor& x = require_f32(c, 0);
  const Node& n = c.node;
  Tensor y = Tensor::empty(DType::f32, x.shape());
  if (x.numel() == 0) return {y};
  const AxisSplit s = softmax_rows(n, x.shape());
  const float* px = x.data<float>();
  float* py = y.data<float>();
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t in = 0; in < s.inner; ++in) {
      const int64_t base = o * s.len * s.inner + in;
      double mx = -std::numeric_limits<double>::infinity();
      for (int64_t k = 0; k < s.len; ++k) mx = std::max<double>(mx, px[base + k * s.inner]);
      double sum = 0;
      for (int64_t k = 0; k < s.len; ++k) sum += std::exp(px[base + k * s.inner] - mx);
      const double lsum = std::log(sum);
      for (int64_t k = 0; k < s.len; ++k) {
        const double v = px[base + k * s.inner] - mx;
        py[base + k * s.inner] = static_cast<float>(log ? v - lsum : std::exp(v) / sum);
      }
    }
  return {y};
}

}  // namespace ecoinfer::ops
