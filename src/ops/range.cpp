#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

using RangeTypes = TypeList<float, double, int64_t, int32_t, int16_t>;

void check_range_inputs(const Node& n, const Tensor& s, const Tensor& l, const Tensor& d) {
  ECO_CHECK(s.dtype() == l.dtype() && s.dtype() == d.dtype(), "{}: start, limit and delta must share a type", n.describe());
  ECO_CHECK(s.numel() == 1 && l.numel() == 1 && d.numel() == 1, "{}: start, limit and delta must be scalars", n.describe());
}

// max(ceil((limit - start) / delta), 0), checked.
template <typename T>
int64_t range_count(const Node& n, T start, T limit, T delta) {
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
  return static_cast<int64_t>(count_d);
}

int64_t count_of(const Node& n, const Tensor& s, const Tensor& l, const Tensor& d) {
  check_range_inputs(n, s, l, d);
  return visit_dtype<RangeTypes>(s.dtype(), n, "input", [&](auto t) {
    using T = decltype(t);
    return range_count<T>(n, s.data<T>()[0], l.data<T>()[0], d.data<T>()[0]);
  });
}

// start + i * delta for i in [0, count).
std::vector<Tensor> range_ref(OpContext& c) {
  const Tensor& s = c.in(0);
  const Tensor& d = c.in(2);
  const int64_t count = count_of(c.node, s, c.in(1), d);
  Tensor y = Tensor::empty(s.dtype(), {count});
  visit_dtype<RangeTypes>(s.dtype(), c.node, "input", [&](auto t) {
    using T = decltype(t);
    const T start = s.data<T>()[0], delta = d.data<T>()[0];
    T* p = y.data<T>();
    for (int64_t i = 0; i < count; ++i) p[i] = static_cast<T>(start + static_cast<T>(i) * delta);
    return 0;
  });
  return {y};
}

// The length depends on the input values: known only when all three are constant.
std::vector<TensorMeta> range_infer(const Node& n, const std::vector<TensorMeta>& in) {
  ECO_CHECK(in.size() == 3 && in[0].value && in[1].value && in[2].value,
            "{}: the output length depends on start, limit and delta, which are not all constant", n.describe());
  return one_meta(in[0].dtype, {count_of(n, *in[0].value, *in[1].value, *in[2].value)});
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Range", .min_inputs = 3, .max_inputs = 3, .reference = range_ref,
                         .infer = range_infer});
}  // namespace ecoinfer::ops
