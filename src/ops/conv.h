#pragma once
// Conv attributes resolved against concrete shapes; shared by the reference kernel,
// the shape rule and the fast kernels so that all agree on padding and output size.
#include "ops/op_util.h"

namespace ecoinfer::ops {

struct ConvParams {
  int spatial = 2;                 // 1 and 2-D convs are handled as 2-D (1-D gets H = 1)
  int64_t n = 0, c_in = 0, h = 0, w = 0;
  int64_t c_out = 0, kh = 1, kw = 1, groups = 1;
  int64_t stride_h = 1, stride_w = 1, dil_h = 1, dil_w = 1;
  int64_t pad_t = 0, pad_l = 0, pad_b = 0, pad_r = 0;
  int64_t oh = 0, ow = 0;
  Shape out_shape;  // in the input's rank
};

ConvParams resolve_conv(const Node& n, const Shape& x, const Shape& w);

// Output size of a sliding window along one axis (Conv and pools); ceil_mode for pools.
int64_t window_out_size(int64_t in, int64_t k, int64_t stride, int64_t dil, int64_t pad_begin, int64_t pad_end,
                        bool ceil_mode);

// Resolves pads for auto_pad SAME_UPPER/SAME_LOWER/VALID/NOTSET along each spatial axis.
void resolve_auto_pad(const Node& n, const std::vector<int64_t>& in, const std::vector<int64_t>& k,
                      const std::vector<int64_t>& stride, const std::vector<int64_t>& dil, std::vector<int64_t>& pads);

}  // namespace ecoinfer::ops
