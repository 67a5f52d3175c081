#include <algorithm>

#include "ops/quantize_common.h"

namespace ecoinfer::ops {
namespace {

// uint8 quantization of x over the range [min(0, min x), max(0, max x)]:
// scale = (max - min) / 255, zero_point = saturate(round(-min / scale)),
// y = saturate(round(x / scale) + zero_point); outputs y, scale, zero_point (ONNX's formula,
// in float32 as its reference computes it).
std::vector<Tensor> dynamic_quantize_ref(OpContext& c) {
  const Tensor& x = require_f32(c, 0);
  const float* px = x.data<float>();
  float lo = 0, hi = 0;
  for (int64_t i = 0; i < x.numel(); ++i) {
    lo = std::min(lo, px[i]);
    hi = std::max(hi, px[i]);
  }
  const float scale = (hi - lo) / 255.f;
  const uint8_t zero = scale == 0 ? 0 : quantize_value<uint8_t>((0.f - lo) / scale, 0);
  Tensor y = Tensor::empty(DType::u8, x.shape());
  for (int64_t i = 0; i < x.numel(); ++i)
    y.data<uint8_t>()[i] = scale == 0 ? zero : quantize_value<uint8_t>(px[i] / scale, zero);
  return {y, Tensor::scalar<float>(scale), Tensor::scalar<uint8_t>(zero)};
}

std::vector<TensorMeta> dynamic_quantize_infer(const Node&, const std::vector<TensorMeta>& in) {
  return {TensorMeta{DType::u8, in[0].shape, nullptr}, TensorMeta{DType::f32, {}, nullptr},
          TensorMeta{DType::u8, {}, nullptr}};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "DynamicQuantizeLinear", .min_inputs = 1, .max_inputs = 1, .max_outputs = 3,
                         .reference = dynamic_quantize_ref, .infer = dynamic_quantize_infer});
}  // namespace ecoinfer::ops
