#include "ops/quantize_common.h"

namespace ecoinfer::ops {
namespace {

// y = saturate(round_half_even(x / y_scale) + y_zero_point), the division in x's precision;
// the output type is the zero point's (uint8 when absent).
std::vector<Tensor> quantize_linear_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const Tensor* zp = c.has(2) ? &c.in(2) : nullptr;
  const QuantParams q = quant_params(c.node, x.shape(), c.in(1), zp, c.node.attr_int("axis", 1));
  const std::vector<double> v = dtype_is_float(x.dtype()) ? float_values(c.node, x, "x") : [&] {
    std::vector<double> d;
    for (int64_t i : x.to_i64_vector()) d.push_back(static_cast<double>(i));
    return d;
  }();
  return {quantize_to(zp ? zp->dtype() : DType::u8, x.shape(), v, q, c.node, x.dtype() == DType::f32)};
}

std::vector<TensorMeta> quantize_linear_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return one_meta(n.has_input(2) ? in[2].dtype : DType::u8, in[0].shape);
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "QuantizeLinear", .min_inputs = 2, .max_inputs = 3, .reference = quantize_linear_ref,
                         .infer = quantize_linear_infer});
}  // namespace ecoinfer::ops
