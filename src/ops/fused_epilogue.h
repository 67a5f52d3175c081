#pragma once
// The epilogue shared by FusedConv and FusedLinear: y = act(y + residual), applied in
// place. Activations: "" (none), "Relu", "Clip" (clip_min/clip_max), "Gelu" (erf form),
// "Swish" (SiLU, x * sigmoid(x)) and "HardSwish" (x * clamp(x/6 + 1/2, 0, 1)), FusedConv only.
#include "ops/op_util.h"

namespace ecoinfer::ops {

void apply_epilogue_reference(const Node& n, Tensor& y, const Tensor* residual);

// FusedConv activations the oneDNN kernel applies as post-ops (the channels-last pass only
// converts convolutions that kernel will run).
inline bool conv_activation_in_dnnl(const std::string& act) {
  return act.empty() || act == "Relu" || act == "Clip" || act == "Swish" || act == "HardSwish";
}

}  // namespace ecoinfer::ops
