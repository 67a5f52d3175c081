#pragma once
// Templates behind the one-line elementwise op files (add.cpp, relu.cpp, ...).
#include "ops/op_util.h"
#include "ops/tensor_util.h"

namespace ecoinfer::ops {

// exp of a non-positive argument only: no overflow for large |x|.
inline float stable_sigmoid(float x) {
  if (x >= 0.f) return 1.f / (1.f + std::exp(-x));
  const float e = std::exp(x);
  return e / (1.f + e);
}
// x * HardSigmoid(x) with alpha = 1/6, beta = 0.5 (ONNX HardSwish).
inline float hard_swish(float x) { return x * clamp_keep_nan(x / 6.f + 0.5f, 0.f, 1.f); }

// Binary op with numpy broadcasting. F maps (T a, T b) -> R.
template <typename T, typename R, typename F>
Tensor binary_broadcast(const Tensor& a, const Tensor& b_in, const Node& n, F f) {
  const Tensor b = b_in.reshaped(legacy_broadcast_b(n, a.shape(), b_in.shape()));
  Shape out_shape = a.shape() == b.shape() ? a.shape() : broadcast_shapes(a.shape(), b.shape(), n);
  Tensor out = Tensor::empty(dtype_of<R>::value, out_shape);
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  R* po = out.data<R>();
  if (a.shape() == b.shape()) {
    const int64_t count = a.numel();
    for (int64_t i = 0; i < count; ++i) po[i] = f(pa[i], pb[i]);
    return out;
  }
  // One operand is a single value (a scale, an epsilon): one flat loop.
  if (b.numel() == 1 && out.numel() == a.numel()) {
    const int64_t count = a.numel();
    const T y = pb[0];
    for (int64_t i = 0; i < count; ++i) po[i] = f(pa[i], y);
    return out;
  }
  if (a.numel() == 1 && out.numel() == b.numel()) {
    const int64_t count = b.numel();
    const T x = pa[0];
    for (int64_t i = 0; i < count; ++i) po[i] = f(x, pb[i]);
    return out;
  }
  for_each_broadcast<2>(out_shape, {a.shape(), b.shape()},
                        [&](int64_t base, int64_t count, const std::array<int64_t, 2>& off, const std::array<int64_t, 2>& st) {
                          const T* x = pa + off[0];
                          const T* y = pb + off[1];
                          R* o = po + base;
                          if (st[0] == 1 && st[1] == 1)
                            for (int64_t i = 0; i < count; ++i) o[i] = f(x[i], y[i]);
                          else if (st[0] == 1 && st[1] == 0)
                            for (int64_t i = 0; i < count; ++i) o[i] = f(x[i], y[0]);
                          else if (st[0] == 0 && st[1] == 1)
                            for (int64_t i = 0; i < count; ++i) o[i] = f(x[0], y[i]);
                          else
                            for (int64_t i = 0; i < count; ++i) o[i] = f(x[i * st[0]], y[i * st[1]]);
                        });
  return out;
}

inline std::vector<TensorMeta> infer_broadcast(const Node& n, const std::vector<TensorMeta>& in) {
  return {TensorMeta{in[0].dtype, broadcast_shapes(in[0].shape, in[1].shape, n), nullptr}};
}
inline std::vector<TensorMeta> infer_broadcast_bool(const Node& n, const std::vector<TensorMeta>& in) {
  return {TensorMeta{DType::boolean, broadcast_shapes(in[0].shape, in[1].shape, n), nullptr}};
}

// Arithmetic binary op over every numeric type (float32/64, int64/32/16/8, uint8); EXPR
// must be defined for all of them (wrapping integer arithmetic, no trapping division).
#define ECO_ARITH_BINARY_OP(NAME, EXPR)                                                                   \
  namespace {                                                                                             \
  std::vector<Tensor> NAME##_ref(OpContext& c) {                                                          \
    const Tensor& a = c.in(0);                                                                            \
    const Tensor& b = c.in(1);                                                                            \
    ECO_CHECK(a.dtype() == b.dtype(), "{}: input types differ ({} vs {})", c.node.describe(),            \
              dtype_name(a.dtype()), dtype_name(b.dtype()));                                              \
    return {visit_dtype<NumericTypes>(a.dtype(), c.node, "input", [&](auto t) {                          \
      using T = decltype(t);                                                                              \
      return binary_broadcast<T, T>(a, b, c.node, [](T x, T y) { return static_cast<T>(EXPR); });        \
    })};                                                                                                  \
  }                                                                                                       \
  }                                                                                                       \
  ECO_REGISTER_OP(OpSchema{.op_type = #NAME, .min_inputs = 2, .max_inputs = 2, .reference = NAME##_ref,  \
                           .infer = infer_broadcast});

// Float unary op: F maps float -> float. Non-float inputs are rejected with the node named.
template <typename F>
std::vector<Tensor> unary_f32(OpContext& c, F f) {
  const Tensor& x = require_f32(c, 0);
  Tensor y = Tensor::empty(DType::f32, x.shape());
  const float* px = x.data<float>();
  float* py = y.data<float>();
  const int64_t count = x.numel();
  for (int64_t i = 0; i < count; ++i) py[i] = f(px[i]);
  return {y};
}

#define ECO_UNARY_F32_OP(NAME, EXPR)                                                               \
  namespace {                                                                                      \
  std::vector<Tensor> NAME##_ref(OpContext& c) {                                                   \
    return unary_f32(c, [](float x) -> float { return EXPR; });                                    \
  }                                                                                                \
  }                                                                                                \
  ECO_REGISTER_OP(OpSchema{.op_type = #NAME, .min_inputs = 1, .max_inputs = 1, .reference = NAME##_ref, \
                           .infer = same_as_input0});

}  // namespace ecoinfer::ops
