#pragma once
// Slice's per-axis ranges, shared by the reference and the copy kernel.
#include "ops/tensor_util.h"

namespace ecoinfer::ops {

// Input coordinates start, start + step, ... (count of them) along one axis.
struct AxisRange {
  int64_t start = 0, step = 1, count = 0;
};

// One range per axis of input 0 (untouched axes are {0, 1, dim}), after ONNX's clamping
// rules, from the inputs (opset >= 10) or attributes. Errors name the node.
std::vector<AxisRange> slice_ranges(const OpContext& c);

}  // namespace ecoinfer::ops
