#pragma once
// Index handling shared by GatherElements, GatherND, ScatterElements, Scatter and ScatterND.
#include <string>

#include "ops/tensor_util.h"

namespace ecoinfer::ops {

// An index into a dimension of size `dim`: negative values count from the end; anything
// outside [-dim, dim) is an error naming the node (never an out-of-bounds read or write).
inline int64_t wrap_index(const Node& n, int64_t i, int64_t dim, int64_t axis) {
  ECO_CHECK(i >= -dim && i < dim, "{}: index {} is out of range for axis {} of size {}", n.describe(), i, axis, dim);
  return i < 0 ? i + dim : i;
}

// Integer index tensor as int64 values (int32 or int64, as ONNX allows).
inline std::vector<int64_t> index_values(const OpContext& c, size_t i) {
  const Tensor& t = c.in(i);
  ECO_CHECK(t.dtype() == DType::i64 || t.dtype() == DType::i32, "{}: indices must be int64 or int32, got {}",
            c.node.describe(), dtype_name(t.dtype()));
  return t.to_i64_vector();
}

// How a scatter combines an update with the value already there (attribute `reduction`).
enum class ScatterReduction { none, add, mul, max, min };
ScatterReduction scatter_reduction(const Node& n);

// Copies updates[u] into out[o] (element offsets) for every pair, combining as `r` says;
// pairs apply in order, so with `none` the last duplicate index wins (ONNX's reference).
void scatter_elements_into(Tensor& out, const Tensor& updates, const std::vector<std::pair<int64_t, int64_t>>& pairs,
                           ScatterReduction r, const Node& n);

}  // namespace ecoinfer::ops
