#pragma once
// LRN's attributes, shared by the reference and the fast kernel.
#include "ops/op_util.h"

namespace ecoinfer::ops {

// y = x / (bias + alpha / size * sum of x^2 over channels c - lo .. c + hi)^beta, with
// lo = floor((size - 1) / 2), hi = ceil((size - 1) / 2) clipped to the channel range
// (ONNX LRN; AlexNet's and GoogLeNet's local response normalisation, PyTorch's LocalResponseNorm).
struct LrnParams {
  int64_t size = 1, lo = 0, hi = 0;
  double alpha = 1e-4, beta = 0.75, bias = 1.0;
};
LrnParams lrn_params(const Node& n, const Shape& x);

}  // namespace ecoinfer::ops
