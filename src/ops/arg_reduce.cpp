#include "ops/arg_reduce.h"

namespace ecoinfer::ops {
namespace {

Shape arg_reduce_shape(const Node& n, const Shape& in, int64_t* axis_out) {
  const int64_t r = static_cast<int64_t>(in.size());
  ECO_CHECK(r >= 1, "{}: input must have rank >= 1", n.describe());
  const int64_t axis = normalize_axis(n.attr_int("axis", 0), r, n);
  if (axis_out) *axis_out = axis;
  return reduced_shape(in, {axis}, n.attr_int("keepdims", 1) != 0);
}

}  // namespace

template <bool Max>
std::vector<Tensor> arg_reduce_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const Node& n = c.node;
  int64_t axis = 0;
  Shape out_shape = arg_reduce_shape(n, x.shape(), &axis);
  const bool last = n.attr_int("select_last_index", 0) != 0;
  AxisSplit s = split_at_axis(x.shape(), axis);
  ECO_CHECK(s.len > 0 || s.outer * s.inner == 0, "{}: cannot take the {} of an empty axis", n.describe(),
            Max ? "argmax" : "argmin");
  Tensor y = Tensor::empty(DType::i64, out_shape);
  int64_t* py = y.data<int64_t>();
  visit_dtype<NumericTypes>(x.dtype(), n, "input", [&](auto t) {
    using T = decltype(t);
    const T* px = x.data<T>();
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t in = 0; in < s.inner; ++in) {
        const T* p = px + o * s.len * s.inner + in;
        int64_t best = 0;
        for (int64_t k = 1; k < s.len; ++k) {
          const T v = p[k * s.inner], b = p[best * s.inner];
          if (is_nan_value(b)) {
            if (last && is_nan_value(v)) best = k;
            continue;
          }
          if (is_nan_value(v) || (Max ? v > b : v < b) || (last && v == b)) best = k;
        }
        py[o * s.inner + in] = best;
      }
    return 0;
  });
  return {y};
}

template <bool Max>
std::vector<TensorMeta> arg_reduce_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return one_meta(DType::i64, arg_reduce_shape(n, in[0].shape, nullptr));
}

template std::vector<Tensor> arg_reduce_ref<true>(OpContext&);
template std::vector<Tensor> arg_reduce_ref<false>(OpContext&);
template std::vector<TensorMeta> arg_reduce_infer<true>(const Node&, const std::vector<TensorMeta>&);
template std::vector<TensorMeta> arg_reduce_infer<false>(const Node&, const std::vector<TensorMeta>&);

}  // namespace ecoinfer::ops
