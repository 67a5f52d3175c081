#pragma once
// The sparse tactic's graph half: marks pruned Linear layers to run on the sparse kernel
// (ops/weight_format.h). Split from the tactic so that tests can check the marking on any
// CPU; the tactic itself refuses a CPU without AVX-512.
#include <nlohmann/json.hpp>

#include "graph/graph.h"

namespace ecoinfer {

// The default least weight sparsity (fraction of zero entries) at which a layer runs
// sparse: below it the dense kernel is as fast or faster (docs/tactics.md, "sparse").
inline constexpr double kSparseMinSparsityDefault = 0.8;

// Marks every FusedLinear with a constant 2-D f32 weight, and every MatMul whose right
// operand is a constant 2-D f32 matrix and whose left operand is not constant, when at least
// `min_sparsity` of the weight's entries are zero (+0 or -0). Layers already marked bf16
// stay as they are. Returns what it marked and what stays dense and why: sparsity below the
// threshold, convolutions and Gemm (no sparse kernel), with each layer's sparsity.
nlohmann::json mark_sparse_layers(Graph& g, double min_sparsity);

}  // namespace ecoinfer
