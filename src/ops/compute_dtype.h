#pragma once
// Layers that compute in a narrower type than their fp32 tensors: the bf16 tactic marks a
// Conv, FusedConv, MatMul or FusedLinear with the node attribute `_compute_dtype` = "bf16".
// Such a node reads its data and weight operands rounded to bfloat16 and accumulates in
// fp32; bias, residual, epilogue and output stay fp32 (what oneDNN's bf16 primitives with
// an f32 destination compute). The reference kernels round the operands the same way, so
// the fast bf16 kernels differ from them only in summation order.
#include "graph/graph.h"
#include "ops/registry.h"

namespace ecoinfer::ops {

inline constexpr const char* kComputeDtypeAttr = "_compute_dtype";

// True for "bf16", false when the attribute is absent or "f32"; any other value is an Error
// naming the node.
bool computes_in_bf16(const Node& n);
// The attribute as written, "f32" when absent; never throws (fast kernels' supports() use it
// and decline a value they do not know, leaving the reference to report it).
std::string compute_dtype_of(const Node& n);

// fp32 -> bfloat16 -> fp32 with round-to-nearest-even, as PyTorch's at::BFloat16 and
// oneDNN's reorders convert; NaN stays a (quiet) NaN, infinities stay infinite.
float round_to_bf16(float v);
Tensor rounded_to_bf16(const Tensor& t);  // an f32 tensor, every element rounded

// Runs an fp32 reference kernel with inputs 0 and 1 rounded to bf16 and the attribute
// removed from the node it sees (the bf16 semantics above, on the plain reference).
std::vector<Tensor> run_with_bf16_operands(OpContext& c, std::vector<Tensor> (*fp32_reference)(OpContext&));

}  // namespace ecoinfer::ops
