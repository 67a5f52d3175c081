#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// (x - mean) / (std + 1e-9) with mean and biased std over `axes` (default [0, 2, 3]), the
// epsilon added to the std as ONNX's function body does; in double.
std::vector<Tensor> mvn_ref(OpContext& c) {
  const Tensor& x = require_f32(c, 0);
  const auto axes = normalize_axes(c.node.attr_ints("axes", {0, 2, 3}), x.rank(), c.node);
  Shape kept = x.shape();
  for (int64_t a : axes) kept[a] = 1;
  const int64_t groups = shape_numel(kept), count = groups ? x.numel() / groups : 0;
  // Group of each element: the flat index of its coordinates with the reduced axes set to 0.
  const auto gst = broadcast_strides(kept, x.shape());
  std::vector<int64_t> group(static_cast<size_t>(x.numel()));
  std::vector<int64_t> coord(static_cast<size_t>(x.rank()), 0);
  for (int64_t i = 0, g = 0; i < x.numel(); ++i) {
    group[i] = g;
    for (int d = x.rank() - 1; d >= 0; --d) {
      g += gst[d];
      if (++coord[d] < x.dim(d)) break;
      g -= gst[d] * x.dim(d);
      coord[d] = 0;
    }
  }
  std::vector<double> sum(static_cast<size_t>(groups), 0), sq(static_cast<size_t>(groups), 0);
  const float* px = x.data<float>();
  for (int64_t i = 0; i < x.numel(); ++i) sum[group[i]] += px[i];
  for (int64_t g = 0; g < groups; ++g) sum[g] /= static_cast<double>(count);
  for (int64_t i = 0; i < x.numel(); ++i) sq[group[i]] += (px[i] - sum[group[i]]) * (px[i] - sum[group[i]]);
  Tensor y = Tensor::empty(DType::f32, x.shape());
  for (int64_t i = 0; i < x.numel(); ++i) {
    const int64_t g = group[i];
    y.data<float>()[i] = static_cast<float>((px[i] - sum[g]) / (std::sqrt(sq[g] / static_cast<double>(count)) + 1e-9));
  }
  return {y};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "MeanVarianceNormalization", .reference = mvn_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
