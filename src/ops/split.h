#pragma once
// Split's axis and piece sizes, shared by the reference and the copy kernel.
#include "ops/tensor_util.h"

namespace ecoinfer::ops {

// The normalised axis of a Split node for an input of rank `rank`.
int64_t split_axis(const Node& n, int64_t rank);

// Piece sizes along `axis` of input 0: from the `split` input (opset >= 13) or attribute
// (<= 12), else num_outputs (opset 18) or equal pieces, one per output. Errors name the node.
std::vector<int64_t> split_sizes(const OpContext& c, int64_t axis);

}  // namespace ecoinfer::ops
