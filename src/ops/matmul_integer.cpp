#include "ops/quantize_common.h"

namespace ecoinfer::ops {
namespace {

// int32 (A - a_zero_point) @ (B - b_zero_point), exact (int64 accumulation, then int32).
std::vector<Tensor> matmul_integer_ref(OpContext& c) {
  const IntMatMul r = int_matmul(c.node, c.in(0), c.has(2) ? &c.in(2) : nullptr, c.in(1), c.has(3) ? &c.in(3) : nullptr);
  Tensor y = Tensor::empty(DType::i32, r.out_shape);
  for (size_t i = 0; i < r.acc.size(); ++i) y.data<int32_t>()[i] = saturate_cast<int32_t>(static_cast<double>(r.acc[i]));
  return {y};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "MatMulInteger", .min_inputs = 2, .max_inputs = 4, .reference = matmul_integer_ref});
}  // namespace ecoinfer::ops
