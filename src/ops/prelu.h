#pragma once
// PRelu's slope as it broadcasts against X, shared by the reference and the fast kernel.
#include "ops/op_util.h"

namespace ecoinfer::ops {

// Opset >= 7: the slope broadcasts to X numpy-style (unidirectionally). Opset 6 and older
// (PyTorch's exports of nn.PReLU) give a 1-D slope of one value per channel, which applies
// along axis 1: it is viewed as [C, 1, ..., 1]. The returned shape is the slope's view.
Shape prelu_slope_shape(const Node& n, const Shape& x, const Shape& slope);

}  // namespace ecoinfer::ops
