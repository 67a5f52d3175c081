#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// perm defaults to reversing the dimensions; it must be a permutation of 0..r-1.
std::vector<int64_t> transpose_perm(const Node& n, int64_t rank) {
  std::vector<int64_t> perm = n.attr_ints("perm");
  if (!n.has_attr("perm"))
    for (int64_t d = rank - 1; d >= 0; --d) perm.push_back(d);
  ECO_CHECK(static_cast<int64_t>(perm.size()) == rank, "{}: perm has {} entries for an input of rank {}", n.describe(),
            perm.size(), rank);
  return normalize_axes(perm, rank, n);
}

Shape transpose_shape(const Shape& in, const std::vector<int64_t>& perm) {
  Shape out(perm.size());
  for (size_t d = 0; d < perm.size(); ++d) out[d] = in[perm[d]];
  return out;
}

std::vector<Tensor> transpose_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  return {permute_axes(x, transpose_perm(c.node, x.rank()))};
}

std::vector<TensorMeta> transpose_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return one_meta(in[0].dtype, transpose_shape(in[0].shape, transpose_perm(n, static_cast<int64_t>(in[0].shape.size()))));
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Transpose", .reference = transpose_ref, .infer = transpose_infer});
}  // namespace ecoinfer::ops
