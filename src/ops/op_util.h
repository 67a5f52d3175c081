#pragma once
// Helpers shared by op files: axis normalisation, numpy broadcasting, typed dispatch.
#include <array>
#include <cmath>
#include <cstring>

#include "ops/registry.h"

namespace ecoinfer::ops {

inline int64_t normalize_axis(int64_t axis, int64_t rank, const Node& n) {
  ECO_CHECK(axis >= -rank && axis < rank, "{}: axis {} is out of range for rank {}", n.describe(), axis, rank);
  return axis < 0 ? axis + rank : axis;
}

// Numpy-style broadcast of two shapes; error names the node. For the legacy broadcast of
// opsets 1-6 (see legacy_broadcast_b), `b` is aligned at the node's axis first.
Shape broadcast_shapes(const Shape& a, const Shape& b, const Node& n);

// Opsets 1-6 broadcast a binary op's B (attributes broadcast=1, axis) with B's dimensions
// lined up with A's from `axis` on ([N,C,H,W] + [C] at axis 1 adds per channel). Returns B's
// shape with the trailing 1s that make numpy broadcasting give that alignment; for any other
// node (opset >= 7, or no axis: suffix alignment, numpy's), `b` unchanged.
Shape legacy_broadcast_b(const Node& n, const Shape& a, const Shape& b);

// Checks, before anything is allocated, that an output of `shape` fits the tensor size
// limit (max_tensor_bytes); the error names the node. Shapes come from the file's attributes
// (pads, repeats), so a hostile model must fail here, not after gigabytes of index tables.
void check_output_size(const Node& n, DType dtype, const Shape& shape);

// Strides (in elements) of `in` broadcast to `out`: 0 along broadcast dimensions.
std::vector<int64_t> broadcast_strides(const Shape& in, const Shape& out);

std::vector<int64_t> contiguous_strides(const Shape& s);

// Calls f(out_index, in_offsets...) for every element of `out`, walking broadcast inputs.
// The innermost dimension is handed to `inner(count, offsets..., strides...)` so loops vectorise.
template <size_t N, typename Inner>
void for_each_broadcast(const Shape& out, const std::array<Shape, N>& ins, Inner&& inner) {
  const int rank = static_cast<int>(out.size());
  std::array<std::vector<int64_t>, N> st;
  for (size_t k = 0; k < N; ++k) st[k] = broadcast_strides(ins[k], out);
  const int64_t total = shape_numel(out);
  if (total == 0) return;
  if (rank == 0) {
    std::array<int64_t, N> off{}, s{};
    inner(0, int64_t{1}, off, s);
    return;
  }
  const int64_t inner_n = out[rank - 1];
  std::array<int64_t, N> inner_stride;
  for (size_t k = 0; k < N; ++k) inner_stride[k] = st[k][rank - 1];
  std::vector<int64_t> idx(rank, 0);
  for (int64_t base = 0; base < total; base += inner_n) {
    std::array<int64_t, N> off{};
    for (size_t k = 0; k < N; ++k)
      for (int d = 0; d < rank - 1; ++d) off[k] += idx[d] * st[k][d];
    inner(base, inner_n, off, inner_stride);
    for (int d = rank - 2; d >= 0; --d) {
      if (++idx[d] < out[d]) break;
      idx[d] = 0;
    }
  }
}

// Float16/bfloat16 conversions (bit-exact round-to-nearest-even).
float half_to_float(uint16_t h);
uint16_t float_to_half(float f);
float bf16_to_float(uint16_t h);
uint16_t float_to_bf16(float f);

// Shape-rule helpers for ops whose output looks like an input.
inline std::vector<TensorMeta> same_as_input0(const Node&, const std::vector<TensorMeta>& in) {
  return {TensorMeta{in[0].dtype, in[0].shape, nullptr}};
}

inline const Tensor& require_f32(const OpContext& c, size_t i) {
  const Tensor& t = c.in(i);
  ECO_CHECK(t.dtype() == DType::f32, "{}: input {} must be float32, got {}", c.node.describe(), i, dtype_name(t.dtype()));
  return t;
}

}  // namespace ecoinfer::ops
