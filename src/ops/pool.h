#pragma once
// MaxPool / AveragePool window geometry, shared by the reference and the oneDNN kernels.
#include "ops/conv.h"

namespace ecoinfer::ops {

struct PoolParams {
  int64_t n = 0, c = 0, h = 0, w = 0;
  int64_t kh = 1, kw = 1, stride_h = 1, stride_w = 1, dil_h = 1, dil_w = 1;
  int64_t pad_t = 0, pad_l = 0, pad_b = 0, pad_r = 0;
  int64_t oh = 0, ow = 0;
  bool ceil_mode = false;
  bool count_include_pad = false;
  Shape out_shape;
};

PoolParams resolve_pool(const Node& n, const Shape& x);

}  // namespace ecoinfer::ops
