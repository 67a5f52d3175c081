#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// Bounds: optional scalar inputs 1 and 2 (opset >= 11, same type as the input), or the
// float attributes min/max (opset <= 10). Missing bounds are the type's range. When
// min > max every value becomes max (ONNX); NaN stays NaN.
std::vector<Tensor> clip_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const Node& n = c.node;
  return {visit_dtype<NumericTypes>(x.dtype(), n, "input", [&](auto t) {
    using T = decltype(t);
    T lo = std::numeric_limits<T>::lowest(), hi = std::numeric_limits<T>::max();
    auto bound = [&](size_t i, const char* name, T& v) {
      if (c.has(i)) {
        const Tensor& b = c.in(i);
        ECO_CHECK(b.dtype() == x.dtype() && b.numel() == 1, "{}: {} must be one {} value, got {} {}", n.describe(), name,
                  dtype_name(x.dtype()), dtype_name(b.dtype()), shape_str(b.shape()));
        v = b.data<T>()[0];
      } else if (n.has_attr(name)) {
        v = saturate_cast<T>(n.attr_float(name, 0.f));
      }
    };
    bound(1, "min", lo);
    bound(2, "max", hi);
    Tensor y = Tensor::empty(x.dtype(), x.shape());
    const T* px = x.data<T>();
    T* py = y.data<T>();
    for (int64_t i = 0; i < x.numel(); ++i) py[i] = clamp_keep_nan(px[i], lo, hi);
    return y;
  })};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Clip", .min_inputs = 1, .max_inputs = 3, .reference = clip_ref,
                         .infer = same_as_input0});
}  // namespace ecoinfer::ops
