#include "ops/index_common.h"

namespace ecoinfer::ops {
namespace {

// ONNX ScatterND: out = data; out[indices[i]] = updates[i] for each index tuple (the last
// dimension of `indices` indexes the leading dims of `data`), or combined with what is
// there by `reduction` (add, mul, max, min; opset 16/18), tuples applied in order.
std::vector<Tensor> scatter_nd_ref(OpContext& c) {
  const Tensor& data = c.in(0);
  const Tensor& indices = c.in(1);
  const Tensor& updates = c.in(2);
  const ScatterReduction reduction = scatter_reduction(c.node);
  ECO_CHECK(indices.dtype() == DType::i64, "{}: indices must be int64", c.node.describe());
  ECO_CHECK(updates.dtype() == data.dtype(), "{}: updates and data types differ", c.node.describe());
  ECO_CHECK(indices.rank() >= 1, "{}: indices must have rank >= 1", c.node.describe());
  const int64_t k = indices.dim(-1);
  ECO_CHECK(k >= 1 && k <= data.rank(), "{}: index tuples of length {} for data of rank {}", c.node.describe(), k,
            data.rank());
  // updates shape must be indices.shape[:-1] + data.shape[k:]
  Shape want(indices.shape().begin(), indices.shape().end() - 1);
  want.insert(want.end(), data.shape().begin() + k, data.shape().end());
  ECO_CHECK(updates.shape() == want, "{}: updates shape {} should be {}", c.node.describe(), shape_str(updates.shape()),
            shape_str(want));
  Tensor out = data.clone();
  int64_t slice = 1;
  for (int d = static_cast<int>(k); d < data.rank(); ++d) slice *= data.dim(d);
  const auto strides = contiguous_strides(data.shape());
  const int64_t tuples = indices.numel() / k;
  const int64_t* idx = indices.data<int64_t>();
  const size_t esz = dtype_size(data.dtype());
  auto* dst = static_cast<std::byte*>(out.raw());
  auto* src = static_cast<const std::byte*>(updates.raw());
  std::vector<std::pair<int64_t, int64_t>> pairs;  // (out, update) element offsets, for reductions
  for (int64_t t = 0; t < tuples; ++t) {
    int64_t off = 0;
    for (int64_t d = 0; d < k; ++d) off += wrap_index(c.node, idx[t * k + d], data.dim(static_cast<int>(d)), d) * strides[d];
    if (reduction == ScatterReduction::none) std::memcpy(dst + off * esz, src + t * slice * esz, slice * esz);
    else
      for (int64_t j = 0; j < slice; ++j) pairs.emplace_back(off + j, t * slice + j);
  }
  if (reduction != ScatterReduction::none) scatter_elements_into(out, updates, pairs, reduction, c.node);
  return {out};
}

}  // namespace

ECO_REGISTER_OP(OpSchema{.op_type = "ScatterND", .min_inputs = 3, .max_inputs = 3, .reference = scatter_nd_ref,
                         .infer = same_as_input0});

}  // namespace ecoinfer::ops
