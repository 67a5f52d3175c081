#include "ops/elementwise.h"
#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// Integer power by squaring in unsigned arithmetic (wraps instead of overflowing);
// negative exponents give 1/x^e truncated: 0 except for |x| = 1.
template <typename T>
T int_pow(T x, int64_t e) {
  if (e < 0) return x == 1 ? T{1} : x == -1 ? (e % 2 ? T(-1) : T{1}) : T{0};
  using U = std::make_unsigned_t<T>;
  U base = static_cast<U>(x), r = 1;
  for (; e; e >>= 1, base = static_cast<U>(base * base))
    if (e & 1) r = static_cast<U>(r * base);
  return static_cast<T>(r);
}

template <typename T, typename E>
T pow_one(T x, E e) {
  if constexpr (std::is_floating_point_v<T>) {
    if (e == E{2}) return x * x;  // the common PyTorch x**2: exact and cheap
    return static_cast<T>(std::pow(static_cast<double>(x), static_cast<double>(e)));
  } else if constexpr (std::is_integral_v<E>) {
    return int_pow<T>(x, static_cast<int64_t>(e));
  } else {
    return saturate_cast<T>(std::pow(static_cast<double>(x), static_cast<double>(e)));
  }
}

using BaseTypes = TypeList<float, double, int64_t, int32_t>;
using ExponentTypes = TypeList<float, double, int64_t, int32_t, int16_t, int8_t, uint8_t>;

// Output has the base's type; the exponent may be any numeric type (ONNX Pow >= 12).
std::vector<Tensor> pow_ref(OpContext& c) {
  const Tensor& a = c.in(0);
  const Tensor& b = c.in(1);
  const Node& n = c.node;
  Shape out = broadcast_shapes(a.shape(), b.shape(), n);
  Tensor y = Tensor::empty(a.dtype(), out);
  visit_dtype<BaseTypes>(a.dtype(), n, "base", [&](auto tb) {
    using T = decltype(tb);
    visit_dtype<ExponentTypes>(b.dtype(), n, "exponent", [&](auto te) {
      using E = decltype(te);
      const T* pa = a.data<T>();
      const E* pb = b.data<E>();
      T* py = y.data<T>();
      for_each_broadcast<2>(out, {a.shape(), b.shape()},
                            [&](int64_t base, int64_t count, const std::array<int64_t, 2>& off, const std::array<int64_t, 2>& st) {
                              for (int64_t i = 0; i < count; ++i)
                                py[base + i] = pow_one(pa[off[0] + i * st[0]], pb[off[1] + i * st[1]]);
                            });
      return 0;
    });
    return 0;
  });
  return {y};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Pow", .min_inputs = 2, .max_inputs = 2, .reference = pow_ref, .infer = infer_broadcast});
}  // namespace ecoinfer::ops
