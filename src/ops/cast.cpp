#include "ops/cast.h"

#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

DType cast_target(const Node& n) { return dtype_from_onnx(static_cast<int>(n.attr_int("to")), n.describe() + ": attribute 'to'"); }

double load_float(const Tensor& x, int64_t i) {
  switch (x.dtype()) {
    case DType::f32: return x.data<float>()[i];
    case DType::f64: return x.data<double>()[i];
    case DType::f16: return half_to_float(static_cast<const uint16_t*>(x.raw())[i]);
    default: return bf16_to_float(static_cast<const uint16_t*>(x.raw())[i]);
  }
}

}  // namespace

// Integer and bool sources go through int64 (exact); float sources through double.
// Float -> integer truncates toward zero as ONNX Runtime does; values outside the target
// range saturate and NaN becomes 0 (C++ leaves both undefined). Integer -> narrower integer
// wraps (two's complement), float -> bool is x != 0.
Tensor cast_to(const Tensor& x, DType to, const Node& n) {
  Tensor y = Tensor::empty(to, x.shape());
  const int64_t count = x.numel();
  const bool from_float = dtype_is_float(x.dtype());
  std::vector<int64_t> iv;
  if (!from_float) iv = x.to_i64_vector();
  auto as_double = [&](int64_t i) { return from_float ? load_float(x, i) : static_cast<double>(iv[i]); };
  if (to == DType::f16 || to == DType::bf16) {
    auto* p = static_cast<uint16_t*>(y.raw());
    for (int64_t i = 0; i < count; ++i) {
      const float f = static_cast<float>(as_double(i));
      p[i] = to == DType::f16 ? float_to_half(f) : float_to_bf16(f);
    }
    return y;
  }
  visit_dtype<ComparableTypes>(to, n, "target type", [&](auto t) {
    using T = decltype(t);
    T* p = y.data<T>();
    for (int64_t i = 0; i < count; ++i) {
      if (from_float) p[i] = saturate_cast<T>(load_float(x, i));
      else if constexpr (std::is_same_v<T, bool>) p[i] = iv[i] != 0;
      else p[i] = static_cast<T>(iv[i]);
    }
  });
  return y;
}

namespace {

std::vector<Tensor> cast_ref(OpContext& c) { return {cast_to(c.in(0), cast_target(c.node), c.node)}; }

std::vector<TensorMeta> cast_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return one_meta(cast_target(n), in[0].shape);
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Cast", .reference = cast_ref, .infer = cast_infer});
}  // namespace ecoinfer::ops
