#pragma once
// MatMul (numpy semantics) and Gemm shapes, shared by the reference and fast kernels.
#include "ops/op_util.h"

namespace ecoinfer::ops {

struct MatMulShape {
  int64_t m = 0, k = 0, n = 0;
  Shape batch;              // broadcast batch dims
  int64_t batch_count = 1;
  std::vector<int64_t> a_offsets, b_offsets;  // per batch: element offset of each matrix
  Shape out_shape;
};
MatMulShape resolve_matmul(const Node& node, const Shape& a, const Shape& b);

struct GemmShape {
  int64_t m = 0, k = 0, n = 0;
  bool trans_a = false, trans_b = false;
  float alpha = 1, beta = 1;
};
GemmShape resolve_gemm(const Node& node, const Shape& a, const Shape& b);
// Gemm's C input broadcast to [M, N] (or null when absent / beta == 0).
void gemm_add_c(const Node& node, const Tensor* c, float beta, float* out, int64_t m, int64_t n);

}  // namespace ecoinfer::ops
