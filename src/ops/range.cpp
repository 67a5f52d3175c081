#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

using RangeTypes = TypeList<float, double, int64_t, int32_t, int16_t>;

// ceil((limit - start) / delta) elements, none when that is negative; start + i * delta.
std::vector<Tensor> range_ref(OpContext& c) {
  const Tensor& s = c.in(0);
  const Tensor& l = c.in(1);
  const Tensor& d = c.in(2);
  const Node& n = c.node;
  ECO_CHECK(s.dtype() == l.dtype() && s.dtype() == d.dtype(), "{}: start, limit and delta must share a type", n.describe());
  ECO_CHECK(s.numel() == 1 && l.numel() == 1 && d.numel() == 1, "{}: start, limit and delta must be scalars", n.describe());
  return {visit_dtype<RangeTypes>(s.dtype(), n, "input", [&](auto t) {
    using T = decltype(t);
    const T start = s.data<T>()[0], limit = l.data<T>()[0], delta = d.data<T>()[0];
    ECO_CHECK(delta != T{0}, "{}: delta is 0", n.describe());
    double count_d;
    if constexpr (std::is_integral_v<T>) {
      // exact in 128 bits: no overflow for any int64 operands
      const __int128 span = static_cast<__int128>(limit) - start;
      __int128 q = span / delta;
      if (q * delta != span && ((span > 0) == (delta > 0))) ++q;  // ceil for positive quotients
      count_d = static_cast<double>(q);
    } else {
      count_d = std::ceil((static_cast<double>(limit) - start) / delta);
      ECO_CHECK(!std::isnan(count_d), "{}: start {}, limit {}, delta {} give no element count", n.describe(), start, limit,
                delta);
    }
    count_d = std::max(count_d, 0.0);
    ECO_CHECK(count_d <= double(int64_t{1} << 40), "{}: range has too many elements ({})", n.describe(), count_d);
    const int64_t count = static_cast<int64_t>(count_d);
    Tensor y = Tensor::empty(dtype_of<T>::value, {count});
    T* p = y.data<T>();
    for (int64_t i = 0; i < count; ++i) p[i] = static_cast<T>(start + static_cast<T>(i) * delta);
    return y;
  })};
}

}  // namespace
// The length depends on the input values: no shape rule (the engine evaluates it).
ECO_REGISTER_OP(OpSchema{.op_type = "Range", .min_inputs = 3, .max_inputs = 3, .reference = range_ref});
}  // namespace ecoinfer::ops
