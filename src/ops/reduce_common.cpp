#include "ops/reduce_common.h"

namespace ecoinfer::ops {

ReducePlan plan_reduce(const Node& n, const Shape& in, const std::vector<int64_t>& axes_raw) {
  ReducePlan p;
  const int64_t r = static_cast<int64_t>(in.size());
  const bool keepdims = n.attr_int("keepdims", 1) != 0;
  if (axes_raw.empty()) {
    if (n.attr_int("noop_with_empty_axes", 0) != 0) {
      p.noop = true;
      p.out = in;
      return p;
    }
    for (int64_t d = 0; d < r; ++d) p.axes.push_back(d);
  } else {
    p.axes = normalize_axes(axes_raw, r, n);
  }
  p.out = reduced_shape(in, p.axes, keepdims);
  return p;
}

namespace {

template <typename Acc>
struct Reducer {
  ReduceKind kind;
  Acc init() const {
    switch (kind) {
      case ReduceKind::max: return std::numeric_limits<Acc>::has_infinity ? -std::numeric_limits<Acc>::infinity() : std::numeric_limits<Acc>::lowest();
      case ReduceKind::min: return std::numeric_limits<Acc>::has_infinity ? std::numeric_limits<Acc>::infinity() : std::numeric_limits<Acc>::max();
      case ReduceKind::prod: return Acc{1};
      default: return Acc{0};
    }
  }
  static Acc add(Acc a, Acc b) {
    if constexpr (std::is_integral_v<Acc>) return static_cast<Acc>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
    else return a + b;
  }
  static Acc mul(Acc a, Acc b) {
    if constexpr (std::is_integral_v<Acc>) return static_cast<Acc>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
    else return a * b;
  }
  Acc step(Acc acc, Acc v) const {
    switch (kind) {
      case ReduceKind::max: return nan_max(acc, v);
      case ReduceKind::min: return nan_min(acc, v);
      case ReduceKind::prod: return mul(acc, v);
      case ReduceKind::l1: return add(acc, v < 0 ? wrapping_neg(v) : v);
      case ReduceKind::l2:
      case ReduceKind::sum_square: return add(acc, mul(v, v));
      case ReduceKind::log_sum_exp: return add(acc, static_cast<Acc>(std::exp(static_cast<double>(v))));
      default: return add(acc, v);
    }
  }
  Acc finish(Acc acc, int64_t count) const {
    if (kind == ReduceKind::l2) return static_cast<Acc>(std::sqrt(static_cast<double>(acc)));
    // log(sum(x)) and log(sum(exp(x))) as ONNX's reference computes them (no max shift:
    // in double, float32 inputs overflow only above 709).
    if (kind == ReduceKind::log_sum || kind == ReduceKind::log_sum_exp)
      return static_cast<Acc>(std::log(static_cast<double>(acc)));
    if (kind == ReduceKind::mean) {
      if constexpr (std::is_integral_v<Acc>) return count ? acc / count : Acc{0};
      else return acc / static_cast<Acc>(count);  // empty set: 0/0 = NaN
    }
    return acc;
  }
};

template <typename T>
Tensor reduce_typed(const Tensor& x, const ReducePlan& p, ReduceKind kind) {
  using Acc = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;
  const Reducer<Acc> red{kind};
  Tensor y = Tensor::empty(x.dtype(), p.out);
  const int64_t out_n = y.numel();
  std::vector<Acc> acc(static_cast<size_t>(out_n), red.init());
  // Output offset of each input element: kept dimensions advance with the output's strides.
  const Shape& in = x.shape();
  const int r = x.rank();
  Shape kept_full(in);
  for (int64_t a : p.axes) kept_full[a] = 1;
  const auto out_st = broadcast_strides(kept_full, in);
  const T* px = x.data<T>();
  std::vector<int64_t> idx(static_cast<size_t>(r), 0);
  int64_t off = 0;
  for (int64_t i = 0; i < x.numel(); ++i) {
    acc[off] = red.step(acc[off], static_cast<Acc>(px[i]));
    for (int d = r - 1; d >= 0; --d) {
      off += out_st[d];
      if (++idx[d] < in[d]) break;
      off -= out_st[d] * in[d];
      idx[d] = 0;
    }
  }
  const int64_t count = out_n ? x.numel() / out_n : 0;
  T* py = y.data<T>();
  for (int64_t o = 0; o < out_n; ++o) py[o] = static_cast<T>(red.finish(acc[o], count));
  return y;
}

}  // namespace

std::vector<Tensor> reduce_reference(OpContext& c, ReduceKind kind) {
  const Tensor& x = c.in(0);
  ReducePlan p = plan_reduce(c.node, x.shape(), axes_from_input_or_attr(c, 1));
  if (p.noop) return {x};
  // exp and log of integers are not integers: ONNX allows them, no model uses them.
  if (kind == ReduceKind::log_sum || kind == ReduceKind::log_sum_exp)
    ECO_CHECK(dtype_is_float(x.dtype()), "{}: input of type {} is not supported (float and double are)",
              c.node.describe(), dtype_name(x.dtype()));
  return {visit_dtype<TypeList<float, double, int64_t, int32_t>>(
      x.dtype(), c.node, "input", [&](auto t) { return reduce_typed<decltype(t)>(x, p, kind); })};
}

std::vector<TensorMeta> reduce_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return one_meta(in[0].dtype, plan_reduce(n, in[0].shape, axes_from_meta_or_attr(n, in, 1)).out);
}

}  // namespace ecoinfer::ops
