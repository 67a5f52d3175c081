#pragma once
// HannWindow, HammingWindow and BlackmanWindow (opset 17): a window of `size` points,
// w[n] = a0 - a1 cos(2 pi n / N) + a2 cos(4 pi n / N), N = size (periodic, the default) or
// size - 1 (symmetric), in the type output_datatype names (default float32).
#include "ops/op_util.h"

namespace ecoinfer::ops {

std::vector<Tensor> cosine_window(OpContext& c, double a0, double a1, double a2);

}  // namespace ecoinfer::ops
