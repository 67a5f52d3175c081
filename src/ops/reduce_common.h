#pragma once
// ReduceSum/Mean/Max/Min/Prod/L1/L2/SumSquare/LogSum/LogSumExp share one reference. Float inputs accumulate in double:
// reference kernels are the ground truth that fast kernels are measured against, so their
// own rounding error must be far below any fast kernel's budget. Integer inputs accumulate
// in int64 with wrap-around (no undefined overflow).
#include "ops/tensor_util.h"

namespace ecoinfer::ops {

enum class ReduceKind { sum, mean, max, min, prod, l1, l2, sum_square, log_sum, log_sum_exp };

// Axes from the `axes` input (ReduceSum >= 13, all >= 18) or attribute; empty axes reduce
// everything unless noop_with_empty_axes, which returns the input unchanged.
struct ReducePlan {
  std::vector<int64_t> axes;
  bool noop = false;
  Shape out;
};
ReducePlan plan_reduce(const Node& n, const Shape& in, const std::vector<int64_t>& axes_raw);

std::vector<Tensor> reduce_reference(OpContext& c, ReduceKind kind);
std::vector<TensorMeta> reduce_infer(const Node& n, const std::vector<TensorMeta>& in);

#define ECO_REDUCE_OP(NAME, KIND)                                                                          \
  namespace {                                                                                              \
  std::vector<Tensor> NAME##_ref(OpContext& c) { return reduce_reference(c, ReduceKind::KIND); }           \
  }                                                                                                        \
  ECO_REGISTER_OP(OpSchema{.op_type = #NAME, .min_inputs = 1, .max_inputs = 2, .reference = NAME##_ref,   \
                           .infer = reduce_infer});

}  // namespace ecoinfer::ops
