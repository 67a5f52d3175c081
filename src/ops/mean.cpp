#include "ops/compare.h"

namespace ecoinfer::ops {
namespace {
// Elementwise mean of any number of broadcast float inputs: their sum, folded left to right
// in the input type as ONNX's reference does, divided by the count.
std::vector<Tensor> mean_ref(OpContext& c) {
  Tensor sum = variadic_fold<FloatTypes>(c, [](auto x, auto y) { return x + y; }).at(0);
  const double count = static_cast<double>(c.num_inputs());
  visit_dtype<FloatTypes>(sum.dtype(), c.node, "input", [&](auto t) {
    using T = decltype(t);
    T* p = sum.data<T>();
    for (int64_t i = 0; i < sum.numel(); ++i) p[i] = static_cast<T>(p[i] / count);
    return 0;
  });
  return {sum};
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Mean", .min_inputs = 1, .max_inputs = 4096, .reference = mean_ref,
                         .infer = infer_variadic_broadcast});
}  // namespace ecoinfer::ops
