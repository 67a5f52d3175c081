#include "ops/window_function.h"

#include <numbers>

#include "ops/tensor_util.h"

namespace ecoinfer::ops {

std::vector<Tensor> cosine_window(OpContext& c, double a0, double a1, double a2) {
  const std::vector<int64_t> sv = input_ints(c, 0, "size");
  ECO_CHECK(sv.size() == 1 && sv[0] >= 0 && sv[0] <= (int64_t{1} << 30), "{}: size must be one value in [0, 2^30]",
            c.node.describe());
  const int64_t size = sv[0];
  const DType to = dtype_from_onnx(static_cast<int>(c.node.attr_int("output_datatype", 1)),
                                   c.node.describe() + ": attribute 'output_datatype'");
  const double n_den = c.node.attr_int("periodic", 1) != 0 ? static_cast<double>(size) : static_cast<double>(size - 1);
  Tensor w = Tensor::empty(DType::f64, {size});
  for (int64_t n = 0; n < size; ++n) {
    const double x = n_den > 0 ? 2 * std::numbers::pi * static_cast<double>(n) / n_den : 0.0;
    w.data<double>()[n] = a0 - a1 * std::cos(x) + a2 * std::cos(2 * x);
  }
  if (to == DType::f64) return {w};
  Tensor y = Tensor::empty(to, {size});
  visit_dtype<NumericTypes>(to, c.node, "output_datatype", [&](auto t) {
    using T = decltype(t);
    for (int64_t n = 0; n < size; ++n) y.data<T>()[n] = saturate_cast<T>(w.data<double>()[n]);
    return 0;
  });
  return {y};
}

}  // namespace ecoinfer::ops
