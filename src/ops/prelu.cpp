#include "ops/prelu.h"

#include "ops/elementwise.h"
#include "ops/tensor_util.h"

namespace ecoinfer::ops {

Shape prelu_slope_shape(const Node& n, const Shape& x, const Shape& slope) {
  Shape s = slope;
  if (node_opset(n) < 7 && slope.size() == 1 && x.size() >= 2 && slope[0] == x[1] && slope[0] != 1) {
    s.assign(x.size() - 1, 1);
    s[0] = slope[0];
  }
  ECO_CHECK(broadcast_shapes(x, s, n) == x, "{}: slope {} does not broadcast to the input {}", n.describe(),
            shape_str(slope), shape_str(x));
  return s;
}

namespace {

// y = x < 0 ? slope * x : x (NaN passes through, as x < 0 is false).
std::vector<Tensor> prelu_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const Tensor& slope = c.in(1);
  ECO_CHECK(x.dtype() == slope.dtype(), "{}: input types differ ({} vs {})", c.node.describe(), dtype_name(x.dtype()),
            dtype_name(slope.dtype()));
  const Tensor s = slope.reshaped(prelu_slope_shape(c.node, x.shape(), slope.shape()));
  return {visit_dtype<SignedTypes>(x.dtype(), c.node, "input", [&](auto t) {
    using T = decltype(t);
    return binary_broadcast<T, T>(x, s, c.node, [](T v, T a) { return v < T{0} ? wrapping_mul(a, v) : v; });
  })};
}

std::vector<TensorMeta> prelu_infer(const Node& n, const std::vector<TensorMeta>& in) {
  prelu_slope_shape(n, in[0].shape, in[1].shape);
  return same_as_input0(n, in);
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "PRelu", .min_inputs = 2, .max_inputs = 2, .reference = prelu_ref,
                         .infer = prelu_infer});
}  // namespace ecoinfer::ops
