#pragma once
// Layers whose constant weight runs in a sparse format: the sparse tactic marks a MatMul or
// FusedLinear (2-D constant f32 weight, most of it pruned to zero) with the node attribute
// `_weight_format` = "sparse". Such a node computes the same product as its dense form,
// except that a zero weight contributes nothing: not even NaN where its input entry is
// infinite or NaN (dense arithmetic would give 0 * inf = NaN). The MatMul reference kernel
// skips zero weights of a marked node the same way, so the sparse kernel differs from it
// only in summation order. Attributes starting with '_' are not saved to ONNX: a model the
// tactic wrote stays a standard dense model.
#include <string>

#include "graph/graph.h"

namespace ecoinfer::ops {

inline constexpr const char* kWeightFormatAttr = "_weight_format";

// True for "sparse", false when the attribute is absent or "dense"; any other value is an
// Error naming the node.
bool uses_sparse_weight(const Node& n);
// The attribute as written, "dense" when absent; never throws (fast kernels' supports() use
// it and decline a value they do not know, leaving the reference to report it).
std::string weight_format_of(const Node& n);

}  // namespace ecoinfer::ops
