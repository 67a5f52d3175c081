#include "ops/tensor_util.h"

#include <cstring>

namespace ecoinfer::ops {
namespace {

// Full per-dimension [begins..., ends...] pads: from the `pads` input (opset >= 11, with
// the optional `axes` input of opset 18) or attribute (< 11). Negative pads crop.
std::vector<int64_t> full_pads(const Node& n, int64_t rank, std::vector<int64_t> pads, bool has_axes,
                               const std::vector<int64_t>& axes_raw) {
  std::vector<int64_t> axes;
  if (has_axes) axes = normalize_axes(axes_raw, rank, n);
  else
    for (int64_t d = 0; d < rank; ++d) axes.push_back(d);
  const size_t k = axes.size();
  ECO_CHECK(pads.size() == 2 * k, "{}: pads has {} values, expected {}", n.describe(), pads.size(), 2 * k);
  std::vector<int64_t> full(static_cast<size_t>(2 * rank), 0);
  for (size_t i = 0; i < k; ++i) {
    full[axes[i]] = pads[i];
    full[axes[i] + rank] = pads[i + k];
  }
  return full;
}

Shape padded_shape(const Node& n, DType dtype, const Shape& in, const std::vector<int64_t>& full) {
  const int64_t r = static_cast<int64_t>(in.size());
  Shape out(in.size());
  for (int64_t d = 0; d < r; ++d) {
    // Pads come from the file: add without overflowing.
    int64_t v = 0;
    ECO_CHECK(!__builtin_add_overflow(in[d], full[d], &v) && !__builtin_add_overflow(v, full[d + r], &v),
              "{}: pads {} overflow axis {}", n.describe(), shape_str(full), d);
    out[d] = v;
    ECO_CHECK(out[d] >= 0, "{}: pads {} crop axis {} of size {} below zero", n.describe(), shape_str(full), d, in[d]);
  }
  check_output_size(n, dtype, out);
  return out;
}

std::vector<int64_t> pads_of(const OpContext& c, int64_t rank) {
  if (c.num_inputs() == 1) return full_pads(c.node, rank, c.node.attr_ints("pads"), false, {});
  return full_pads(c.node, rank, input_ints(c, 1, "pads"), c.has(3), c.has(3) ? input_ints(c, 3, "axes") : std::vector<int64_t>{});
}

// Input coordinate for output coordinate o along a dimension of size dim padded by `begin`:
// -1 reads the constant.
int64_t source_coord(const Node& n, const std::string& mode, int64_t o, int64_t begin, int64_t dim) {
  const int64_t i = o - begin;
  if (i >= 0 && i < dim) return i;
  if (mode == "constant") return -1;
  ECO_CHECK(dim > 0, "{}: mode '{}' cannot pad an empty axis", n.describe(), mode);
  if (mode == "edge") return i < 0 ? 0 : dim - 1;
  if (mode == "wrap") return ((i % dim) + dim) % dim;
  // reflect: mirror around the edge elements, which are not repeated.
  const int64_t j = i < 0 ? -i : 2 * (dim - 1) - i;
  ECO_CHECK(j >= 0 && j < dim, "{}: reflect padding needs pads smaller than the axis size {}", n.describe(), dim);
  return j;
}

std::vector<Tensor> pad_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const Node& n = c.node;
  const std::string mode = n.attr_string("mode", "constant");
  ECO_CHECK(mode == "constant" || mode == "reflect" || mode == "edge" || mode == "wrap", "{}: unknown mode '{}'",
            n.describe(), mode);
  auto full = pads_of(c, x.rank());
  Shape out = padded_shape(n, x.dtype(), x.shape(), full);
  // The fill value as one element of the data type.
  alignas(8) unsigned char fill[8] = {};
  if (c.has(2)) {
    const Tensor& v = c.in(2);
    ECO_CHECK(v.dtype() == x.dtype() && v.numel() == 1, "{}: constant_value must be one {} value, got {} {}",
              n.describe(), dtype_name(x.dtype()), dtype_name(v.dtype()), shape_str(v.shape()));
    std::memcpy(fill, v.raw(), dtype_size(v.dtype()));
  } else if (n.has_attr("value")) {
    const double v = n.attr_float("value", 0.f);
    visit_dtype<NumericTypes>(x.dtype(), n, "data with a 'value' attribute", [&](auto t) {
      using T = decltype(t);
      T tv = saturate_cast<T>(v);
      std::memcpy(fill, &tv, sizeof(T));
    });
  }
  if (shape_numel(out) == 0) return {Tensor::empty(x.dtype(), out)};  // no offset tables for an empty output
  const int64_t r = x.rank();
  auto st = contiguous_strides(x.shape());
  std::vector<std::vector<int64_t>> offs(static_cast<size_t>(r));
  for (int64_t d = 0; d < r; ++d)
    for (int64_t o = 0; o < out[d]; ++o) {
      int64_t i = source_coord(n, mode, o, full[d], x.shape()[d]);
      offs[d].push_back(i < 0 ? -1 : i * st[d]);
    }
  return {strided_gather(x, out, offs, fill)};
}

std::vector<TensorMeta> pad_infer(const Node& n, const std::vector<TensorMeta>& in) {
  const int64_t r = static_cast<int64_t>(in[0].shape.size());
  std::vector<int64_t> full;
  if (n.inputs.size() == 1) full = full_pads(n, r, n.attr_ints("pads"), false, {});
  else
    full = full_pads(n, r, const_input_ints(n, in, 1, "pads"), n.has_input(3),
                     n.has_input(3) ? const_input_ints(n, in, 3, "axes") : std::vector<int64_t>{});
  return one_meta(in[0].dtype, padded_shape(n, in[0].dtype, in[0].shape, full));
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Pad", .min_inputs = 1, .max_inputs = 4, .reference = pad_ref, .infer = pad_infer});
}  // namespace ecoinfer::ops
