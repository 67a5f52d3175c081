#pragma once
// GatherElements' checks, shared by the reference and the fast kernel.
#include "ops/index_common.h"

namespace ecoinfer::ops {

// Checks data and indices (same rank, indices no larger than data off `axis`) and returns
// the normalised axis. Output shape = indices shape.
int64_t gather_elements_axis(const Node& n, const Shape& data, const Shape& indices);

}  // namespace ecoinfer::ops
