#include "ops/quantize_common.h"

namespace ecoinfer::ops {
namespace {

// y = (x - x_zero_point) * x_scale in float32 (the product in double, then rounded once).
std::vector<Tensor> dequantize_linear_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const QuantParams q = quant_params(c.node, x.shape(), c.in(1), c.has(2) ? &c.in(2) : nullptr, c.node.attr_int("axis", 1));
  const std::vector<int64_t> v = x.to_i64_vector();
  Tensor y = Tensor::empty(DType::f32, x.shape());
  for (int64_t i = 0; i < x.numel(); ++i)
    y.data<float>()[i] = static_cast<float>(static_cast<double>(v[i] - q.zero_at(i)) * q.scale_at(i));
  return {y};
}

std::vector<TensorMeta> dequantize_linear_infer(const Node&, const std::vector<TensorMeta>& in) {
  return one_meta(DType::f32, in[0].shape);
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "DequantizeLinear", .min_inputs = 2, .max_inputs = 3,
                         .reference = dequantize_linear_ref, .infer = dequantize_linear_infer});
}  // namespace ecoinfer::ops
