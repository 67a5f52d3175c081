#include "ops/tensor_util.h"

#include <algorithm>
#include <numeric>

namespace ecoinfer::ops {
namespace {

// K from the second input (opset >= 10) or the `k` attribute (opset 1).
int64_t topk_k(const Node& n, bool has_input, const std::vector<int64_t>& kv) {
  ECO_CHECK(!has_input || kv.size() == 1, "{}: K must hold one value, got {}", n.describe(), kv.size());
  const int64_t k = has_input ? kv[0] : n.attr_int("k");
  ECO_CHECK(k >= 0, "{}: K is negative ({})", n.describe(), k);
  return k;
}

Shape topk_shape(const Node& n, const Shape& in, int64_t k, int64_t* axis_out) {
  const int64_t r = static_cast<int64_t>(in.size());
  ECO_CHECK(r >= 1, "{}: input must have rank >= 1", n.describe());
  const int64_t axis = normalize_axis(n.attr_int("axis", -1), r, n);
  ECO_CHECK(k <= in[axis], "{}: K = {} exceeds axis {} of size {}", n.describe(), k, axis, in[axis]);
  Shape out = in;
  out[axis] = k;
  if (axis_out) *axis_out = axis;
  return out;
}

// Values and int64 indices of the K largest (or smallest) along `axis`, in order; ties keep
// the lower index first, NaN ranks above every number when largest (below when smallest)
// so that it never reorders the rest. `sorted` = 0 is allowed and returns the sorted order.
std::vector<Tensor> topk_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const Node& n = c.node;
  const int64_t k = topk_k(n, c.has(1), c.has(1) ? input_ints(c, 1, "K") : std::vector<int64_t>{});
  int64_t axis = 0;
  Shape out_shape = topk_shape(n, x.shape(), k, &axis);
  const bool largest = n.attr_int("largest", 1) != 0;
  AxisSplit s = split_at_axis(x.shape(), axis);
  Tensor values = Tensor::empty(x.dtype(), out_shape);
  Tensor indices = Tensor::empty(DType::i64, out_shape);
  int64_t* pi = indices.data<int64_t>();
  visit_dtype<NumericTypes>(x.dtype(), n, "input", [&](auto t) {
    using T = decltype(t);
    const T* px = x.data<T>();
    T* pv = values.data<T>();
    std::vector<int64_t> order(static_cast<size_t>(s.len));
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t in = 0; in < s.inner; ++in) {
        const T* p = px + o * s.len * s.inner + in;
        std::iota(order.begin(), order.end(), int64_t{0});
        std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
          const T va = p[a * s.inner], vb = p[b * s.inner];
          const bool na = is_nan_value(va), nb = is_nan_value(vb);
          if (na || nb) return largest ? (na && !nb) : (!na && nb);
          return largest ? va > vb : va < vb;
        });
        for (int64_t j = 0; j < k; ++j) {
          const int64_t dst = o * k * s.inner + j * s.inner + in;
          pv[dst] = p[order[j] * s.inner];
          pi[dst] = order[j];
        }
      }
    return 0;
  });
  return {values, indices};
}

std::vector<TensorMeta> topk_infer(const Node& n, const std::vector<TensorMeta>& in) {
  const bool has_k = n.has_input(1);
  const int64_t k = topk_k(n, has_k, has_k ? const_input_ints(n, in, 1, "K") : std::vector<int64_t>{});
  Shape s = topk_shape(n, in[0].shape, k, nullptr);
  return {TensorMeta{in[0].dtype, s, nullptr}, TensorMeta{DType::i64, s, nullptr}};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "TopK", .min_inputs = 1, .max_inputs = 2, .max_outputs = 2, .reference = topk_ref,
                         .infer = topk_infer});
}  // namespace ecoinfer::ops
