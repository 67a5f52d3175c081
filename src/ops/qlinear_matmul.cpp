#include "ops/quantize_common.h"

namespace ecoinfer::ops {
namespace {

// y = saturate(round_half_even((a - a_zp) @ (b - b_zp) * a_scale * b_scale / y_scale) + y_zp),
// the integer product exact, the rescale in double; the output has y_zero_point's type.
std::vector<Tensor> qlinear_matmul_ref(OpContext& c) {
  const IntMatMul r = int_matmul(c.node, c.in(0), &c.in(2), c.in(3), &c.in(5));
  const double a_scale = float_values(c.node, c.in(1), "a_scale").at(0);
  const double b_scale = float_values(c.node, c.in(4), "b_scale").at(0);
  const QuantParams yq = quant_params(c.node, r.out_shape, c.in(6), &c.in(7), -1);
  std::vector<double> real(r.acc.size());
  for (size_t i = 0; i < r.acc.size(); ++i) real[i] = static_cast<double>(r.acc[i]) * a_scale * b_scale;
  return {quantize_to(c.in(7).dtype(), r.out_shape, real, yq, c.node)};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "QLinearMatMul", .min_inputs = 8, .max_inputs = 8, .reference = qlinear_matmul_ref});
}  // namespace ecoinfer::ops
