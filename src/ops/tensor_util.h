#pragma once
// Helpers for the shape, data-movement, reduction and logic op files: typed dispatch,
// axis lists, constant inputs in shape rules, and one strided copy that serves Transpose,
// Slice, Gather, Expand, Tile, Pad and Split.
#include <limits>
#include <type_traits>
#include <vector>

#include "ops/op_util.h"

namespace ecoinfer::ops {

// Calls f(T{}) with T the C++ element type of `t`, for the types listed in `Allowed`
// (a std::tuple of element types); any other type is an error naming the node.
template <typename... Ts>
struct TypeList {};
using FloatTypes = TypeList<float, double>;
using IntTypes = TypeList<int64_t, int32_t, int16_t, int8_t, uint8_t>;
using NumericTypes = TypeList<float, double, int64_t, int32_t, int16_t, int8_t, uint8_t>;
using ComparableTypes = TypeList<float, double, int64_t, int32_t, int16_t, int8_t, uint8_t, bool>;

template <typename F, typename T, typename... Rest>
decltype(auto) visit_in(DType t, const Node& n, const char* what, F&& f, TypeList<T, Rest...>) {
  if (t == dtype_of<T>::value) return f(T{});
  if constexpr (sizeof...(Rest) == 0)
    fail("{}: {} of type {} is not supported", n.describe(), what, dtype_name(t));
  else
    return visit_in(t, n, what, std::forward<F>(f), TypeList<Rest...>{});
}
template <typename List, typename F>
decltype(auto) visit_dtype(DType t, const Node& n, const char* what, F&& f) {
  return visit_in(t, n, what, std::forward<F>(f), List{});
}

// double -> T without undefined behaviour: integers truncate toward zero and saturate at
// their range, NaN becomes 0; floats and bool convert as C++ does.
template <typename T>
T saturate_cast(double v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v != 0;
  } else if constexpr (std::is_integral_v<T>) {
    if (std::isnan(v)) return T{0};
    if (v <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
    if (v >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
    return static_cast<T>(v);
  } else {
    return static_cast<T>(v);
  }
}

// NaN-propagating min/max: a NaN in any input gives NaN, as numpy.maximum does.
template <typename T>
T nan_max(T x, T y) {
  if constexpr (std::is_floating_point_v<T>)
    if (std::isnan(x) || std::isnan(y)) return std::numeric_limits<T>::quiet_NaN();
  return x < y ? y : x;
}
template <typename T>
T nan_min(T x, T y) {
  if constexpr (std::is_floating_point_v<T>)
    if (std::isnan(x) || std::isnan(y)) return std::numeric_limits<T>::quiet_NaN();
  return y < x ? y : x;
}

// The ONNX opset the importer recorded on the node (attribute `_opset`); nodes built
// without it (tests, hand-made graphs) get the newest semantics.
inline int64_t node_opset(const Node& n) { return n.attr_int("_opset", 1000); }

// Normalises each axis against `rank`; duplicates are an error.
std::vector<int64_t> normalize_axes(const std::vector<int64_t>& axes, int64_t rank, const Node& n);

// Values of input `i` for a shape rule: the input must be a constant (TensorMeta::value).
std::vector<int64_t> const_input_ints(const Node& n, const std::vector<TensorMeta>& in, size_t i, const char* what);

// Integer values of input `i` of a kernel, checked to be an integer tensor.
std::vector<int64_t> input_ints(const OpContext& c, size_t i, const char* what);

// "axes" from input `input_index` when present, else from the attribute (older opsets).
// `present` tells whether either was given.
std::vector<int64_t> axes_from_input_or_attr(const OpContext& c, size_t input_index, bool* present = nullptr);
std::vector<int64_t> axes_from_meta_or_attr(const Node& n, const std::vector<TensorMeta>& in, size_t input_index,
                                            bool* present = nullptr);

// Builds a tensor of `out_shape` and type `dtype` from `in`: the element at output index
// (o_0, ..., o_{r-1}) is in.raw()[sum_d offs[d][o_d]] (offsets in elements), or a copy of
// `fill` (one element of `dtype`) when some offs[d][o_d] is negative. offs[d].size() must be
// out_shape[d].
Tensor strided_gather(const Tensor& in, const Shape& out_shape, const std::vector<std::vector<int64_t>>& offs,
                      const void* fill = nullptr);

// `x` with its axes permuted: output axis d is input axis perm[d] (a materialised Transpose).
Tensor permute_axes(const Tensor& x, const std::vector<int64_t>& perm);

// Offset table for an output dimension that reads input dimension with `stride` at
// coordinates start, start+step, ... (count entries).
std::vector<int64_t> stepped_offsets(int64_t start, int64_t step, int64_t count, int64_t stride);

// Offset tables reading an input of shape `in` at coordinates 0..out[d]-1 along every
// dimension (same rank), to be edited along the axes an op changes.
std::vector<std::vector<int64_t>> leading_offsets(const Shape& in, const Shape& out);

// Shapes of the outputs of a split of `shape` along `axis` into pieces of `sizes`.
std::vector<Shape> split_shapes(const Shape& shape, int64_t axis, const std::vector<int64_t>& sizes);

// Reduction bookkeeping: output shape for `axes` (normalised) with or without kept dims.
Shape reduced_shape(const Shape& in, const std::vector<int64_t>& axes, bool keepdims);

// Views a shape as [outer, axis, inner] around `axis`.
struct AxisSplit {
  int64_t outer = 1, len = 1, inner = 1;
};
AxisSplit split_at_axis(const Shape& s, int64_t axis);

// Unary op over the element types in List (same output type): F maps T -> T.
template <typename List, typename F>
std::vector<Tensor> unary_typed(OpContext& c, F f) {
  const Tensor& x = c.in(0);
  return {visit_dtype<List>(x.dtype(), c.node, "input", [&](auto t) {
    using T = decltype(t);
    Tensor y = Tensor::empty(x.dtype(), x.shape());
    const T* px = x.data<T>();
    T* py = y.data<T>();
    for (int64_t i = 0; i < x.numel(); ++i) py[i] = f(px[i]);
    return y;
  })};
}

// Elementwise predicate over the element types in List: F maps T -> bool (IsNaN, IsInf).
template <typename List, typename F>
std::vector<Tensor> unary_predicate(OpContext& c, F f) {
  const Tensor& x = c.in(0);
  Tensor y = Tensor::empty(DType::boolean, x.shape());
  bool* py = y.data<bool>();
  visit_dtype<List>(x.dtype(), c.node, "input", [&](auto t) {
    using T = decltype(t);
    const T* px = x.data<T>();
    for (int64_t i = 0; i < x.numel(); ++i) py[i] = f(px[i]);
    return 0;
  });
  return {y};
}
inline std::vector<TensorMeta> bool_like_input0(const Node&, const std::vector<TensorMeta>& in) {
  return {TensorMeta{DType::boolean, in[0].shape, nullptr}};
}

// Negation; integers negate in unsigned arithmetic, so -INT_MIN wraps to INT_MIN instead
// of being undefined.
template <typename T>
T wrapping_neg(T x) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(U{0} - static_cast<U>(x)));
  } else {
    return -x;
  }
}
// Integer +, -, * in unsigned arithmetic: two's-complement wrap-around (what PyTorch and
// ONNX Runtime give on x86) instead of undefined behaviour on overflow. Floats as usual.
template <typename T>
T wrapping_add(T x, T y) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(x) + static_cast<U>(y)));
  } else {
    return x + y;
  }
}
template <typename T>
T wrapping_sub(T x, T y) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(x) - static_cast<U>(y)));
  } else {
    return x - y;
  }
}
template <typename T>
T wrapping_mul(T x, T y) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(x) * static_cast<U>(y)));
  } else {
    return x * y;
  }
}
using SignedTypes = TypeList<float, double, int64_t, int32_t, int16_t, int8_t>;

// Clamp that keeps NaN (std::clamp would return a bound).
template <typename T>
T clamp_keep_nan(T v, T lo, T hi) {
  v = v < lo ? lo : v;
  return v > hi ? hi : v;
}

inline std::vector<TensorMeta> one_meta(DType t, Shape s) { return {TensorMeta{t, std::move(s), nullptr}}; }

// NaN test that also accepts integer types (always false for them).
template <typename T>
bool is_nan_value(T v) {
  if constexpr (std::is_floating_point_v<T>) return std::isnan(v);
  else return false;
}

// Kernel and shape rule of ops that only reshape by an `axes` list taken from input 1 or the
// attribute (Squeeze, Unsqueeze). F(node, input shape, axes, axes given) -> output shape.
using AxesShapeFn = Shape (*)(const Node&, const Shape&, const std::vector<int64_t>&, bool);
template <AxesShapeFn F>
std::vector<Tensor> axes_reshape_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  bool given = false;
  auto axes = axes_from_input_or_attr(c, 1, &given);
  return {x.reshaped(F(c.node, x.shape(), axes, given))};
}
template <AxesShapeFn F>
std::vector<TensorMeta> axes_reshape_infer(const Node& n, const std::vector<TensorMeta>& in) {
  bool given = false;
  auto axes = axes_from_meta_or_attr(n, in, 1, &given);
  return one_meta(in[0].dtype, F(n, in[0].shape, axes, given));
}

}  // namespace ecoinfer::ops
