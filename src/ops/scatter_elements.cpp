#include "ops/scatter_elements.h"

namespace ecoinfer::ops {

std::vector<Tensor> scatter_elements_ref(OpContext& c) {
  const Tensor& data = c.in(0);
  const Tensor& updates = c.in(2);
  const Shape& ishape = c.in(1).shape();
  const int64_t r = data.rank();
  ECO_CHECK(r >= 1 && static_cast<int64_t>(ishape.size()) == r && updates.shape() == ishape,
            "{}: data {}, indices {} and updates {} must have one rank (indices and updates one shape)",
            c.node.describe(), shape_str(data.shape()), shape_str(ishape), shape_str(updates.shape()));
  const int64_t axis = normalize_axis(c.node.attr_int("axis", 0), r, c.node);
  for (int64_t d = 0; d < r; ++d)
    ECO_CHECK(d == axis || ishape[d] <= data.dim(static_cast<int>(d)), "{}: indices {} exceed data {} along axis {}",
              c.node.describe(), shape_str(ishape), shape_str(data.shape()), d);
  const std::vector<int64_t> idx = index_values(c, 1);
  const auto st = contiguous_strides(data.shape());
  std::vector<std::pair<int64_t, int64_t>> pairs;
  pairs.reserve(idx.size());
  std::vector<int64_t> coord(static_cast<size_t>(r), 0);
  for (int64_t i = 0; i < static_cast<int64_t>(idx.size()); ++i) {
    int64_t off = 0;
    for (int64_t d = 0; d < r; ++d)
      off += (d == axis ? wrap_index(c.node, idx[i], data.dim(static_cast<int>(d)), axis) : coord[d]) * st[d];
    pairs.emplace_back(off, i);
    for (int64_t d = r - 1; d >= 0; --d) {
      if (++coord[d] < ishape[d]) break;
      coord[d] = 0;
    }
  }
  Tensor out = data.clone();
  scatter_elements_into(out, updates, pairs, scatter_reduction(c.node), c.node);
  return {out};
}

ECO_REGISTER_OP(OpSchema{.op_type = "ScatterElements", .min_inputs = 3, .max_inputs = 3,
                         .reference = scatter_elements_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
