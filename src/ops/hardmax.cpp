#include "ops/softmax_common.h"

namespace ecoinfer::ops {
namespace {
// 1 at the first largest value of each row (softmax_rows: the axis, or the 2-D view before
// opset 13), 0 elsewhere. A NaN is the largest value, as numpy.argmax has it.
std::vector<Tensor> hardmax_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const AxisSplit s = softmax_rows(c.node, x.shape());
  Tensor y = Tensor::zeros(x.dtype(), x.shape());
  visit_dtype<FloatTypes>(x.dtype(), c.node, "input", [&](auto t) {
    using T = decltype(t);
    const T* px = x.data<T>();
    T* py = y.data<T>();
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t in = 0; in < s.inner && s.len > 0; ++in) {
        const int64_t base = o * s.len * s.inner + in;
        int64_t best = 0;
        for (int64_t k = 1; k < s.len && !std::isnan(px[base + best * s.inner]); ++k)
          if (std::isnan(px[base + k * s.inner]) || px[base + k * s.inner] > px[base + best * s.inner]) best = k;
        py[base + best * s.inner] = T{1};
      }
    return 0;
  });
  return {y};
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Hardmax", .reference = hardmax_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
