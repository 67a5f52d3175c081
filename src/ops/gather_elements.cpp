#include "ops/gather_elements.h"

namespace ecoinfer::ops {

int64_t gather_elements_axis(const Node& n, const Shape& data, const Shape& indices) {
  const int64_t r = static_cast<int64_t>(data.size());
  ECO_CHECK(r >= 1 && indices.size() == data.size(), "{}: data {} and indices {} must have the same rank >= 1",
            n.describe(), shape_str(data), shape_str(indices));
  const int64_t axis = normalize_axis(n.attr_int("axis", 0), r, n);
  for (int64_t d = 0; d < r; ++d)
    ECO_CHECK(d == axis || indices[d] <= data[d], "{}: indices {} exceed data {} along axis {}", n.describe(),
              shape_str(indices), shape_str(data), d);
  return axis;
}

namespace {

// out[i_0, ..., i_{r-1}] = data[i_0, ..., indices[i_0, ..., i_{r-1}], ..., i_{r-1}] with the
// index replacing coordinate `axis` (torch.gather). Any element type.
std::vector<Tensor> gather_elements_ref(OpContext& c) {
  const Tensor& data = c.in(0);
  const Shape& ishape = c.in(1).shape();
  const int64_t axis = gather_elements_axis(c.node, data.shape(), ishape);
  const std::vector<int64_t> idx = index_values(c, 1);
  Tensor out = Tensor::empty(data.dtype(), ishape);
  const auto st = contiguous_strides(data.shape());
  const int r = data.rank();
  const size_t esz = dtype_size(data.dtype());
  const auto* src = static_cast<const std::byte*>(data.raw());
  auto* dst = static_cast<std::byte*>(out.raw());
  std::vector<int64_t> coord(static_cast<size_t>(r), 0);
  for (int64_t i = 0; i < out.numel(); ++i) {
    int64_t off = 0;
    for (int d = 0; d < r; ++d)
      off += (d == axis ? wrap_index(c.node, idx[i], data.dim(d), axis) : coord[d]) * st[d];
    std::memcpy(dst + i * esz, src + off * esz, esz);
    for (int d = r - 1; d >= 0; --d) {
      if (++coord[d] < ishape[d]) break;
      coord[d] = 0;
    }
  }
  return {out};
}

std::vector<TensorMeta> gather_elements_infer(const Node& n, const std::vector<TensorMeta>& in) {
  gather_elements_axis(n, in[0].shape, in[1].shape);
  return one_meta(in[0].dtype, in[1].shape);
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "GatherElements", .min_inputs = 2, .max_inputs = 2,
                         .reference = gather_elements_ref, .infer = gather_elements_infer});
}  // namespace ecoinfer::ops
