#pragma once
// Sliding windows over any number of spatial axes, for the inputs the 1-D/2-D geometry of
// conv.h and pool.h does not take (3-D convolution and pooling: [N, C, D, H, W]). Same
// attribute rules (strides, dilations, pads, auto_pad, ceil_mode) and output sizes.
#include "ops/conv.h"

namespace ecoinfer::ops {

struct WindowNd {
  std::vector<int64_t> in, k, stride, dil, pad_begin, pad_end, out;
  int64_t points() const { return shape_numel(k); }
};

// `spatial_in` and `kernel` per spatial axis; pads from `pads`/auto_pad; ceil_mode for pools.
WindowNd resolve_window_nd(const Node& n, const std::vector<int64_t>& spatial_in, const std::vector<int64_t>& kernel,
                           bool ceil_mode);

// Reference kernels and shape rules for inputs of rank 5 (conv.cpp and pool.cpp hand them over).
std::vector<Tensor> conv_nd_reference(OpContext& c);
Shape conv_nd_shape(const Node& n, const Shape& x, const Shape& w);
std::vector<Tensor> pool_nd_reference(OpContext& c, bool max);

// Convolution of integer values (zero points already subtracted) with exact int64 sums, for
// ConvInteger and QLinearConv; any number of spatial axes. Returns the sums in the layout of
// `out_shape`, which it sets.
std::vector<int64_t> conv_integer_nd(const Node& n, const Shape& x, const std::vector<int64_t>& xv, const Shape& w,
                                     const std::vector<int64_t>& wv, Shape* out_shape);
Shape pool_nd_shape(const Node& n, const Shape& x);

}  // namespace ecoinfer::ops
