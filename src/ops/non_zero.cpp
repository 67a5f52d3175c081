#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// The coordinates of the non-zero elements in row-major order, as int64 [rank, count]
// (numpy.nonzero stacked); NaN counts as non-zero. A scalar gives [1, count] (ONNX's reference).
std::vector<Tensor> non_zero_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  std::vector<int64_t> flat;
  visit_dtype<ComparableTypes>(x.dtype(), c.node, "input", [&](auto t) {
    using T = decltype(t);
    const T* px = x.data<T>();
    for (int64_t i = 0; i < x.numel(); ++i)
      if (px[i] != T{0} || is_nan_value(px[i])) flat.push_back(i);
    return 0;
  });
  const int64_t r = std::max(1, x.rank()), count = static_cast<int64_t>(flat.size());
  Tensor y = Tensor::empty(DType::i64, {r, count});
  int64_t* py = y.data<int64_t>();
  for (int64_t k = 0; k < count; ++k) {
    int64_t rest = flat[k];
    for (int64_t d = x.rank() - 1; d >= 0; --d) {
      py[d * count + k] = rest % x.dim(static_cast<int>(d));
      rest /= x.dim(static_cast<int>(d));
    }
    if (x.rank() == 0) py[k] = 0;
  }
  return {y};
}

}  // namespace
// No shape rule: the output size depends on the input's values.
ECO_REGISTER_OP(OpSchema{.op_type = "NonZero", .reference = non_zero_ref});
}  // namespace ecoinfer::ops
