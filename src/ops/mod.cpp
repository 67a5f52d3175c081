#include "ops/cast.h"
#include "ops/elementwise.h"
#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// fmod=0: the result takes the divisor's sign (Python's %, what torch.remainder exports);
// fmod=1: C fmod, the dividend's sign. A zero divisor gives 0 rather than trapping, and so
// does a divisor of -1 (exact: x % -1 is 0; INT_MIN % -1 would trap on x86).
template <typename T>
T mod_value(T x, T y, bool c_fmod) {
  if (y == T{0}) return T{0};
  if constexpr (std::is_integral_v<T> && std::is_signed_v<T>)
    if (y == T(-1)) return T{0};
  T r;
  if constexpr (std::is_floating_point_v<T>) r = std::fmod(x, y);
  else r = static_cast<T>(x % y);
  if (!c_fmod && r != T{0} && ((r < 0) != (y < 0))) r += y;
  return r;
}

std::vector<Tensor> mod_ref(OpContext& c) {
  if (is_half_float(c.in(0).dtype())) return via_float32(c, mod_ref);  // fmod is exact in float32
  const Tensor& a = c.in(0);
  const Tensor& b = c.in(1);
  ECO_CHECK(a.dtype() == b.dtype(), "{}: input types differ ({} vs {})", c.node.describe(), dtype_name(a.dtype()),
            dtype_name(b.dtype()));
  const bool c_fmod = c.node.attr_int("fmod", 0) != 0;
  return {visit_dtype<NumericTypes>(a.dtype(), c.node, "input", [&](auto t) {
    using T = decltype(t);
    return binary_broadcast<T, T>(a, b, c.node, [&](T x, T y) { return mod_value(x, y, c_fmod); });
  })};
}

}  // namespace

ECO_REGISTER_OP(OpSchema{.op_type = "Mod", .min_inputs = 2, .max_inputs = 2, .reference = mod_ref, .infer = infer_broadcast});

}  // namespace ecoinfer::ops
