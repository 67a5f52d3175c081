#include "ops/tensor_util.h"

#include <algorithm>

namespace ecoinfer::ops {

std::vector<int64_t> normalize_axes(const std::vector<int64_t>& axes, int64_t rank, const Node& n) {
  std::vector<int64_t> out;
  out.reserve(axes.size());
  for (int64_t a : axes) {
    int64_t v = normalize_axis(a, rank, n);
    ECO_CHECK(std::find(out.begin(), out.end(), v) == out.end(), "{}: axis {} is repeated", n.describe(), a);
    out.push_back(v);
  }
  return out;
}

namespace {
bool is_int_type(DType t) {
  return t == DType::i64 || t == DType::i32 || t == DType::i16 || t == DType::i8 || t == DType::u8;
}
}  // namespace

std::vector<int64_t> const_input_ints(const Node& n, const std::vector<TensorMeta>& in, size_t i, const char* what) {
  ECO_CHECK(i < in.size() && in[i].value, "{}: the output shape depends on the values of input {} ({}), which are not constant",
            n.describe(), i, what);
  ECO_CHECK(is_int_type(in[i].value->dtype()), "{}: input {} ({}) must be an integer tensor, got {}", n.describe(), i,
            what, dtype_name(in[i].value->dtype()));
  return in[i].value->to_i64_vector();
}

std::vector<int64_t> input_ints(const OpContext& c, size_t i, const char* what) {
  const Tensor& t = c.in(i);
  ECO_CHECK(is_int_type(t.dtype()), "{}: input {} ({}) must be an integer tensor, got {}", c.node.describe(), i, what,
            dtype_name(t.dtype()));
  return t.to_i64_vector();
}

std::vector<int64_t> axes_from_input_or_attr(const OpContext& c, size_t input_index, bool* present) {
  if (present) *present = c.has(input_index) || c.node.has_attr("axes");
  if (c.has(input_index)) return input_ints(c, input_index, "axes");
  return c.node.attr_ints("axes");
}

std::vector<int64_t> axes_from_meta_or_attr(const Node& n, const std::vector<TensorMeta>& in, size_t input_index,
                                            bool* present) {
  if (present) *present = n.has_input(input_index) || n.has_attr("axes");
  if (n.has_input(input_index)) return const_input_ints(n, in, input_index, "axes");
  return n.attr_ints("axes");
}

namespace {
template <typename E>
void gather_typed(const E* src, E* dst, const Shape& out_shape, const std::vector<std::vector<int64_t>>& offs,
                  const E* fill) {
  const int rank = static_cast<int>(out_shape.size());
  const int64_t total = shape_numel(out_shape);
  if (total == 0) return;
  if (rank == 0) {
    dst[0] = src[0];
    return;
  }
  const int64_t inner = out_shape[rank - 1];
  const std::vector<int64_t>& last = offs[rank - 1];
  std::vector<int64_t> idx(rank, 0);
  for (int64_t base = 0; base < total; base += inner) {
    int64_t off = 0;
    bool filled = false;
    for (int d = 0; d < rank - 1; ++d) {
      int64_t o = offs[d][idx[d]];
      if (o < 0) filled = true;
      off += o;
    }
    E* row = dst + base;
    if (filled) {
      for (int64_t i = 0; i < inner; ++i) row[i] = *fill;
    } else {
      for (int64_t i = 0; i < inner; ++i) row[i] = last[i] < 0 ? *fill : src[off + last[i]];
    }
    for (int d = rank - 2; d >= 0; --d) {
      if (++idx[d] < out_shape[d]) break;
      idx[d] = 0;
    }
  }
}
}  // namespace

Tensor strided_gather(const Tensor& in, const Shape& out_shape, const std::vector<std::vector<int64_t>>& offs,
                      const void* fill) {
  Tensor out = Tensor::empty(in.dtype(), out_shape);
  ECO_CHECK(offs.size() == out_shape.size(), "internal: strided_gather given {} offset tables for rank {}", offs.size(),
            out_shape.size());
  for (size_t d = 0; d < offs.size(); ++d)
    ECO_CHECK(static_cast<int64_t>(offs[d].size()) == out_shape[d], "internal: offset table {} has {} entries for dim {}",
              d, offs[d].size(), out_shape[d]);
  // Elements are moved as opaque words of their size: no type dispatch needed.
  alignas(8) unsigned char zero[8] = {};
  const void* f = fill ? fill : zero;
  switch (dtype_size(in.dtype())) {
    case 1: gather_typed(static_cast<const uint8_t*>(in.raw()), static_cast<uint8_t*>(out.raw()), out_shape, offs, static_cast<const uint8_t*>(f)); break;
    case 2: gather_typed(static_cast<const uint16_t*>(in.raw()), static_cast<uint16_t*>(out.raw()), out_shape, offs, static_cast<const uint16_t*>(f)); break;
    case 4: gather_typed(static_cast<const uint32_t*>(in.raw()), static_cast<uint32_t*>(out.raw()), out_shape, offs, static_cast<const uint32_t*>(f)); break;
    case 8: gather_typed(static_cast<const uint64_t*>(in.raw()), static_cast<uint64_t*>(out.raw()), out_shape, offs, static_cast<const uint64_t*>(f)); break;
    default: fail("internal: element size {} is not supported", dtype_size(in.dtype()));
  }
  return out;
}

std::vector<int64_t> stepped_offsets(int64_t start, int64_t step, int64_t count, int64_t stride) {
  std::vector<int64_t> v(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) v[i] = (start + i * step) * stride;
  return v;
}

std::vector<std::vector<int64_t>> leading_offsets(const Shape& in, const Shape& out) {
  auto st = contiguous_strides(in);
  std::vector<std::vector<int64_t>> offs(out.size());
  for (size_t d = 0; d < out.size(); ++d) offs[d] = stepped_offsets(0, 1, out[d], st[d]);
  return offs;
}

std::vector<Shape> split_shapes(const Shape& shape, int64_t axis, const std::vector<int64_t>& sizes) {
  std::vector<Shape> out;
  for (int64_t s : sizes) {
    Shape o = shape;
    o[axis] = s;
    out.push_back(std::move(o));
  }
  return out;
}

Shape reduced_shape(const Shape& in, const std::vector<int64_t>& axes, bool keepdims) {
  Shape out;
  for (size_t d = 0; d < in.size(); ++d) {
    bool reduced = std::find(axes.begin(), axes.end(), static_cast<int64_t>(d)) != axes.end();
    if (!reduced) out.push_back(in[d]);
    else if (keepdims) out.push_back(1);
  }
  return out;
}

AxisSplit split_at_axis(const Shape& s, int64_t axis) {
  AxisSplit r;
  for (int64_t d = 0; d < static_cast<int64_t>(s.size()); ++d) {
    if (d < axis) r.outer *= s[d];
    else if (d == axis) r.len = s[d];
    else r.inner *= s[d];
  }
  return r;
}

Tensor permute_axes(const Tensor& x, const std::vector<int64_t>& perm) {
  const auto st = contiguous_strides(x.shape());
  Shape out(perm.size());
  std::vector<std::vector<int64_t>> offs(perm.size());
  for (size_t d = 0; d < perm.size(); ++d) {
    out[d] = x.dim(static_cast<int>(perm[d]));
    offs[d] = stepped_offsets(0, 1, out[d], st[perm[d]]);
  }
  return strided_gather(x, out, offs);
}

}  // namespace ecoinfer::ops
