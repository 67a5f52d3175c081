#include "ops/index_common.h"

namespace ecoinfer::ops {
namespace {

// Output: indices.shape[:-1] + data.shape[batch_dims + k:] with k = indices.shape[-1].
Shape gather_nd_shape(const Node& n, const Shape& data, const Shape& indices) {
  const int64_t b = n.attr_int("batch_dims", 0);
  const int64_t q = static_cast<int64_t>(indices.size()), r = static_cast<int64_t>(data.size());
  ECO_CHECK(q >= 1 && r >= 1 && b >= 0 && b < std::min(q, r), "{}: batch_dims {} for data {} and indices {}",
            n.describe(), b, shape_str(data), shape_str(indices));
  const int64_t k = indices.back();
  ECO_CHECK(k >= 1 && b + k <= r, "{}: index tuples of length {} for data of rank {} with {} batch dims", n.describe(), k,
            r, b);
  for (int64_t d = 0; d < b; ++d)
    ECO_CHECK(data[d] == indices[d], "{}: batch dimension {} differs ({} vs {})", n.describe(), d, data[d], indices[d]);
  Shape out(indices.begin(), indices.end() - 1);
  out.insert(out.end(), data.begin() + b + k, data.end());
  return out;
}

// For each index tuple (the last axis of `indices`), the slice of `data` it addresses within
// its batch (the first batch_dims axes of both), copied whole.
std::vector<Tensor> gather_nd_ref(OpContext& c) {
  const Tensor& data = c.in(0);
  const Shape& ishape = c.in(1).shape();
  const Shape out_shape = gather_nd_shape(c.node, data.shape(), ishape);
  const std::vector<int64_t> idx = index_values(c, 1);
  const int64_t b = c.node.attr_int("batch_dims", 0), k = ishape.back();
  int64_t batches = 1, slice = 1;
  for (int64_t d = 0; d < b; ++d) batches *= data.dim(static_cast<int>(d));
  for (int64_t d = b + k; d < data.rank(); ++d) slice *= data.dim(static_cast<int>(d));
  const int64_t tuples = static_cast<int64_t>(idx.size()) / k, per_batch = tuples / std::max<int64_t>(1, batches);
  const auto st = contiguous_strides(data.shape());
  const int64_t batch_stride = b > 0 ? st[b - 1] : 0;
  Tensor out = Tensor::empty(data.dtype(), out_shape);
  const size_t esz = dtype_size(data.dtype());
  const auto* src = static_cast<const std::byte*>(data.raw());
  auto* dst = static_cast<std::byte*>(out.raw());
  for (int64_t t = 0; t < tuples; ++t) {
    int64_t off = (per_batch ? t / per_batch : 0) * batch_stride;
    for (int64_t j = 0; j < k; ++j)
      off += wrap_index(c.node, idx[t * k + j], data.dim(static_cast<int>(b + j)), b + j) * st[b + j];
    std::memcpy(dst + t * slice * esz, src + off * esz, slice * esz);
  }
  return {out};
}

std::vector<TensorMeta> gather_nd_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return one_meta(in[0].dtype, gather_nd_shape(n, in[0].shape, in[1].shape));
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "GatherND", .min_inputs = 2, .max_inputs = 2, .reference = gather_nd_ref,
                         .infer = gather_nd_infer});
}  // namespace ecoinfer::ops
