#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {
// x + bias below -lambd, x - bias above lambd, 0 between (ONNX Shrink: hard shrink with
// bias 0, soft shrink with bias = lambd). Any numeric type; computed in double.
std::vector<Tensor> shrink_ref(OpContext& c) {
  const double lambd = c.node.attr_float("lambd", 0.5f), bias = c.node.attr_float("bias", 0.f);
  return unary_typed<NumericTypes>(c, [=](auto x) {
    using T = decltype(x);
    const double v = static_cast<double>(x);
    return saturate_cast<T>(v < -lambd ? v + bias : v > lambd ? v - bias : 0.0);
  });
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Shrink", .reference = shrink_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
