#include "ops/quantize_common.h"

#include "ops/matmul.h"

namespace ecoinfer::ops {

std::vector<double> float_values(const Node& n, const Tensor& t, const char* what) {
  ECO_CHECK(t.dtype() == DType::f32 || t.dtype() == DType::f64, "{}: {} must be float, got {}", n.describe(), what,
            dtype_name(t.dtype()));
  std::vector<double> v(static_cast<size_t>(t.numel()));
  for (int64_t i = 0; i < t.numel(); ++i) v[i] = t.dtype() == DType::f32 ? t.data<float>()[i] : t.data<double>()[i];
  return v;
}

QuantParams quant_params(const Node& n, const Shape& shape, const Tensor& scale, const Tensor* zero_point, int64_t axis) {
  QuantParams q;
  q.scale = float_values(n, scale, "scale");
  if (zero_point) {
    q.zero = zero_point->to_i64_vector();
    ECO_CHECK(q.zero.size() == q.scale.size(), "{}: zero point has {} values, scale {}", n.describe(), q.zero.size(),
              q.scale.size());
  } else {
    q.zero.assign(q.scale.size(), 0);
  }
  ECO_CHECK(!q.scale.empty(), "{}: scale is empty", n.describe());
  if (q.scale.size() > 1 || scale.rank() == 1) {
    const int64_t a = normalize_axis(axis, static_cast<int64_t>(shape.size()), n);
    const AxisSplit s = split_at_axis(shape, a);
    ECO_CHECK(static_cast<int64_t>(q.scale.size()) == s.len || q.scale.size() == 1,
              "{}: {} scales for axis {} of size {}", n.describe(), q.scale.size(), a, s.len);
    q.axis_len = static_cast<int64_t>(q.scale.size());
    q.inner = s.inner;
  }
  return q;
}

Tensor quantize_to(DType type, const Shape& shape, const std::vector<double>& v, const QuantParams& q, const Node& n,
                   bool float32_divide) {
  Tensor y = Tensor::empty(type, shape);
  visit_dtype<TypeList<uint8_t, int8_t, int32_t>>(type, n, "quantized type", [&](auto t) {
    using T = decltype(t);
    T* p = y.data<T>();
    for (int64_t i = 0; i < y.numel(); ++i) {
      const double r = float32_divide ? static_cast<double>(static_cast<float>(v[i]) / static_cast<float>(q.scale_at(i)))
                                      : v[i] / q.scale_at(i);
      p[i] = quantize_value<T>(r, q.zero_at(i));
    }
    return 0;
  });
  return y;
}

IntMatMul int_matmul(const Node& n, const Tensor& a, const Tensor* a_zero, const Tensor& b, const Tensor* b_zero) {
  const MatMulShape s = resolve_matmul(n, a.shape(), b.shape());
  const std::vector<int64_t> av = a.to_i64_vector(), bv = b.to_i64_vector();
  const std::vector<int64_t> az = a_zero ? a_zero->to_i64_vector() : std::vector<int64_t>{0};
  const std::vector<int64_t> bz = b_zero ? b_zero->to_i64_vector() : std::vector<int64_t>{0};
  ECO_CHECK(az.size() == 1 || static_cast<int64_t>(az.size()) == s.m, "{}: a's zero point must hold 1 or {} values",
            n.describe(), s.m);
  ECO_CHECK(bz.size() == 1 || static_cast<int64_t>(bz.size()) == s.n, "{}: b's zero point must hold 1 or {} values",
            n.describe(), s.n);
  IntMatMul r{s.out_shape, std::vector<int64_t>(static_cast<size_t>(s.batch_count * s.m * s.n), 0)};
  for (int64_t t = 0; t < s.batch_count; ++t)
    for (int64_t i = 0; i < s.m; ++i)
      for (int64_t j = 0; j < s.n; ++j) {
        int64_t acc = 0;
        for (int64_t k = 0; k < s.k; ++k)
          acc += (av[s.a_offsets[t] + i * s.k + k] - az[az.size() == 1 ? 0 : i]) *
                 (bv[s.b_offsets[t] + k * s.n + j] - bz[bz.size() == 1 ? 0 : j]);
        r.acc[(t * s.m + i) * s.n + j] = acc;
      }
  return r;
}

}  // namespace ecoinfer::ops
