#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// Running sum along `axis` (second input): inclusive by default, exclusive shifts it by one
// (the first element is 0), reverse runs from the end. Floats accumulate in double,
// integers wrap.
std::vector<Tensor> cum_sum_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  auto av = input_ints(c, 1, "axis");
  ECO_CHECK(av.size() == 1, "{}: axis must hold one value", c.node.describe());
  ECO_CHECK(x.rank() >= 1, "{}: input must have rank >= 1", c.node.describe());
  const AxisSplit s = split_at_axis(x.shape(), normalize_axis(av[0], x.rank(), c.node));
  const bool exclusive = c.node.attr_int("exclusive", 0) != 0, reverse = c.node.attr_int("reverse", 0) != 0;
  Tensor y = Tensor::empty(x.dtype(), x.shape());
  visit_dtype<NumericTypes>(x.dtype(), c.node, "input", [&](auto t) {
    using T = decltype(t);
    using Acc = std::conditional_t<std::is_floating_point_v<T>, double, T>;
    const T* px = x.data<T>();
    T* py = y.data<T>();
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t in = 0; in < s.inner; ++in) {
        Acc acc{0};
        for (int64_t step = 0; step < s.len; ++step) {
          const int64_t k = reverse ? s.len - 1 - step : step;
          const int64_t at = (o * s.len + k) * s.inner + in;
          if (exclusive) py[at] = static_cast<T>(acc);
          acc = wrapping_add(acc, static_cast<Acc>(px[at]));
          if (!exclusive) py[at] = static_cast<T>(acc);
        }
      }
    return 0;
  });
  return {y};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "CumSum", .min_inputs = 2, .max_inputs = 2, .reference = cum_sum_ref,
                         .infer = same_as_input0});
}  // namespace ecoinfer::ops
