#pragma once
// ScatterElements (and the deprecated Scatter of opsets 9-10, the same op without reductions).
#include "ops/index_common.h"

namespace ecoinfer::ops {

// out = data; out[..., indices[i...], ...] (index replacing coordinate `axis`) = updates[i...],
// or combined with what is there by `reduction`; elements applied in order, so the last
// duplicate wins with `none` (ONNX's reference).
std::vector<Tensor> scatter_elements_ref(OpContext& c);

}  // namespace ecoinfer::ops
