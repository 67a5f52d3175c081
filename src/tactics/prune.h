#pragma once
// L1 unstructured pruning with torch.nn.utils.prune's semantics (PyTorch 1.13):
//  - scope: the weight initializer of every Conv, Gemm (input B) and MatMul with a constant
//    2-D right operand (directly, or through a Transpose of the initializer, as exports
//    without constant folding write Linear layers), as stored in the ONNX file (before any
//    BatchNorm folding); biases are untouched; a weight shared by several nodes is pruned once;
//  - amount: a fraction in [0, 1] -> k = round-half-to-even(amount * n) (Python's round), or
//    an integer count k (text without '.', 'e' or 'E'), k <= n;
//  - exactly k entries of smallest |w| among those not yet pruned are zeroed. Ties at the
//    threshold: lowest flat index first (flat index in the stored ONNX layout; for global
//    pruning the weights are concatenated in graph node order). PyTorch leaves the choice
//    among ties to torch.topk; this rule is ours and deterministic;
//  - the pruned value is orig * 0 (prune.remove's orig * mask): negatives become -0.0;
//  - repeated pruning compounds (PruningContainer): the next amount applies to the entries
//    still unpruned. The masks live in the ModelBundle for one tactic list; a saved model
//    keeps only the zeros, as after prune.remove.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/model_folder.h"
#include "tactics/tactic.h"

namespace ecoinfer {

struct PruneAmount {
  bool is_count = false;
  double fraction = 0;  // when !is_count
  int64_t count = 0;    // when is_count
};
// Parses "0.5", "1e-1" (fractions, must lie in [0, 1]) or "1000" (count, >= 0). `what`
// names the tactic in errors.
PruneAmount parse_prune_amount(const std::string& text, const std::string& what);
// Entries to prune out of n: Python round(amount * n) or the count; error when count > n.
int64_t prune_count(const PruneAmount& a, int64_t n, const std::string& what);

// Weight initializers in scope, in graph node order, each once.
std::vector<std::string> prunable_weights(const Graph& g);

// Selects exactly k entries of smallest |value| among those with keep[i] != 0, ties by
// lowest index; clears keep[] for them. Linear time (two 16-bit histogram passes over the
// float bit patterns). Segments let global selection run over many tensors without copying.
struct PruneSegment {
  float* values;
  uint8_t* keep;  // 1: not pruned yet
  int64_t n;
};
void select_smallest(std::vector<PruneSegment>& segs, int64_t k);

// Applies local (per tensor) or global L1 pruning to the model; returns the summary
// (amount, pruned counts, weight_sparsity, per_layer_sparsity keyed by initializer name).
nlohmann::json prune_model(ModelBundle& model, TacticContext& ctx, const std::string& arg, bool global);

}  // namespace ecoinfer
