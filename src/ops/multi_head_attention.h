#pragma once
// com.ecoinfer MultiHeadAttention, made by the fuse_attention pass from the pattern ViTs
// export: per head, softmax(q k^T / scale_divisor) v.
//
// Inputs: q, k, v, each holding batch * tokens * C floats (C = num_heads * head_dim) and
// read as [batch, tokens, C] row-major (exactly what the Reshape to [B, T, H, D] in the
// pattern reads); or, with packed_qkv = 1, one input holding rows of [q | k | v]
// (3C floats per token: the input of the Split the pattern starts from).
// Attributes: batch, tokens, num_heads, head_dim (from the pattern's constant Reshape
// targets), scale_divisor (the pattern's Div; 1 without one), output_shape (the final
// Reshape's target). Output: [batch, tokens, C] in row-major order, shaped output_shape.
#include "ops/registry.h"

namespace ecoinfer::ops {

struct AttentionShape {
  int64_t batch = 0, tokens = 0, heads = 0, head_dim = 0;
  int64_t ld = 0;                     // floats between consecutive tokens' rows in q/k/v
  const float *q = nullptr, *k = nullptr, *v = nullptr;
  float divisor = 1.f;
  Shape out_shape;
  int64_t channels() const { return heads * head_dim; }
};

// Reads and checks the attributes and inputs; the error names the node.
AttentionShape resolve_attention(const OpContext& c);

}  // namespace ecoinfer::ops
