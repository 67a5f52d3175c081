#pragma once
// The bf16 tactic's graph half: marks the compute-heavy layers to run in bfloat16
// (ops/compute_dtype.h). Split from the tactic so that tests can check the marking on any
// CPU; the tactic itself refuses a CPU without AVX512-BF16.
#include <nlohmann/json.hpp>

#include "graph/graph.h"

namespace ecoinfer {

// Marks every Conv / FusedConv with a constant 4-D f32 weight, FusedLinear with a constant
// 2-D f32 weight, and MatMul whose right operand is a constant 2-D f32 matrix (a Linear
// layer without bias) and whose left operand is not constant. Gemm, 1-D and 3-D
// convolutions, activation-by-activation MatMuls (attention) and layers the sparse
// tactic marked stay fp32. Returns what it
// marked and what it kept in fp32, with weight bytes (fp32 and as bf16).
nlohmann::json mark_bf16_layers(Graph& g);

}  // namespace ecoinfer
