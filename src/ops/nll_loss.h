#pragma once
// NegativeLogLikelihoodLoss, shared with SoftmaxCrossEntropyLoss (which applies it to the
// log-softmax of its scores).
#include "ops/tensor_util.h"

namespace ecoinfer::ops {

// loss[n, d...] = -input[n, target[n, d...], d...] * weight[target] (0 where the target is
// ignore_index), then reduced by `reduction`: none, sum, or mean (the sum divided by the
// total weight of the targets not ignored). input [N, C, d...] float/double, target
// [N, d...] int32/int64, weight [C] or null; the result has input's type.
Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor* weight, const Node& n);

}  // namespace ecoinfer::ops
