#pragma once
// Linear quantization (QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, the QLinear*
// and *Integer ops): q = saturate(round_half_even(x / scale) + zero_point), x = (q - zero_point)
// * scale, with scale and zero point per tensor or per slice along one axis.
#include "ops/tensor_util.h"

namespace ecoinfer::ops {

// Scale and zero point of every element of a tensor of `shape`: one value, or one per index
// along `axis` (ONNX's per-axis quantization). `zero_point` may be null (0, uint8).
struct QuantParams {
  std::vector<double> scale;
  std::vector<int64_t> zero;
  int64_t axis_len = 1, inner = 1;  // element i uses entry (i / inner) % axis_len
  double scale_at(int64_t i) const { return scale.size() == 1 ? scale[0] : scale[(i / inner) % axis_len]; }
  int64_t zero_at(int64_t i) const { return zero.size() == 1 ? zero[0] : zero[(i / inner) % axis_len]; }
};
QuantParams quant_params(const Node& n, const Shape& shape, const Tensor& scale, const Tensor* zero_point, int64_t axis);

// Values of a float32/float64 tensor as double.
std::vector<double> float_values(const Node& n, const Tensor& t, const char* what);

// round_half_even(v) + zero, saturated to T's range (uint8, int8, int32).
template <typename T>
T quantize_value(double v, int64_t zero) {
  return saturate_cast<T>(std::nearbyint(v) + static_cast<double>(zero));
}

// A uint8, int8 or int32 tensor of `type` from the real values `v`, quantized elementwise.
// `float32_divide`: v / scale is computed in float32, as QuantizeLinear on float32 input
// does in ONNX's reference and ONNX Runtime (0.5 / 0.019607844 is 25.5 in float32, just
// below in double, and rounds the other way); else in double.
Tensor quantize_to(DType type, const Shape& shape, const std::vector<double>& v, const QuantParams& q, const Node& n,
                   bool float32_divide = false);

// (a - a_zero) @ (b - b_zero) in int64 with numpy's matmul broadcasting (resolve_matmul).
// a_zero: one value or one per row of a; b_zero: one value or one per column of b.
struct IntMatMul {
  Shape out_shape;
  std::vector<int64_t> acc;
};
IntMatMul int_matmul(const Node& n, const Tensor& a, const Tensor* a_zero, const Tensor& b, const Tensor* b_zero);

}  // namespace ecoinfer::ops
