#pragma once
// com.ecoinfer::MatMulDynamicInt8: a Linear layer with PyTorch's dynamic int8 quantization
// (torch.ao.quantization.quantize_dynamic, x86 engines; verified on PyTorch 1.13, engine onednn).
//
//   inputs   A        float32 [..., K]   activation, quantized on every call
//            B        int8    [K, N]     weight, quantized once by the dynamic-int8 tactic
//            B_scale  float32 [] or [1]  per-tensor, or [N] per output channel (zero point 0)
//            bias     float32 [N]        optional
//   attribute reduce_range (int, default 1): activations use [0, 127] instead of [0, 255]
//   output   Y        float32 [..., N]
//
// Activation parameters (ChooseQuantizationParams): min/max over the whole tensor, widened
// to include 0; scale = (max - min) / (qmax - qmin) in double; a zero or non-finite scale
// (or one whose float reciprocal is infinite) becomes 0.1; below 6.1e-5 it is raised to
// 6.1e-5 and min/max are stretched to match; the zero point comes from min or max, whichever
// has the smaller "error" |qmin| - |min/scale| vs |qmax| - |max/scale|, clamped to
// [qmin, qmax] and rounded half to even. q = clamp(nearbyint(x * (1/scale) + zp)) in float,
// a multiply then an add (no FMA: PyTorch's onednn path rounds the product first).
// Y = float(sum_k (qA - zp) * qB) * (scale_A * scale_B[n]) + bias[n], int32 accumulation.
#include <cfloat>
#include <cmath>
#include <cstdint>

namespace ecoinfer::ops {

inline constexpr float kSmallScaleThreshold = 6.1e-5f;

struct ActQuantParams {
  float scale = 0.1f;
  int32_t zero_point = 0;
  int32_t qmin = 0, qmax = 255;
};

inline ActQuantParams choose_act_qparams(float min, float max, bool reduce_range) {
  ActQuantParams p;
  int32_t qmin = 0, qmax = 255;
  if (reduce_range) {
    qmin /= 2;
    qmax /= 2;
  }
  min = std::fmin(min, 0.f);
  max = std::fmax(max, 0.f);
  double scale = (static_cast<double>(max) - min) / (qmax - qmin);
  if (static_cast<float>(scale) == 0.0f || std::isinf(1.0f / static_cast<float>(scale)) || !std::isfinite(scale))
    scale = 0.1;
  if (scale < kSmallScaleThreshold) {
    const float org = static_cast<float>(scale);
    scale = kSmallScaleThreshold;
    if (min == 0.0f) {
      max = kSmallScaleThreshold * (qmax - qmin);
    } else if (max == 0.0f) {
      min = -kSmallScaleThreshold * (qmax - qmin);
    } else {
      const float amplifier = kSmallScaleThreshold / org;
      min *= amplifier;
      max *= amplifier;
    }
  }
  const double zp_from_min = qmin - min / scale;
  const double zp_from_max = qmax - max / scale;
  const double err_min = std::abs(qmin) - std::abs(min / scale);
  const double err_max = std::abs(qmax) - std::abs(max / scale);
  const double initial = err_min < err_max ? zp_from_min : zp_from_max;
  int32_t zp;
  if (initial < qmin) zp = qmin;
  else if (initial > qmax) zp = qmax;
  else zp = static_cast<int32_t>(std::nearbyint(initial));
  p.scale = static_cast<float>(scale);
  p.zero_point = zp;
  p.qmin = qmin;
  p.qmax = qmax;
  return p;
}

// Per-tensor (or per-channel) symmetric int8 weight scale: MinMaxObserver with
// qscheme=per_tensor_symmetric, qint8: amax / ((127 - -128) / 2), at least FLT_EPSILON, in float.
inline float weight_scale_symmetric(float amax) { return std::fmax(amax / 127.5f, FLT_EPSILON); }

// quantize_val: nearbyint(w * (1/scale)) clamped to [-128, 127]. PyTorch multiplies by the
// float reciprocal; dividing differs in rare last-bit cases (checked on 1.13).
inline int8_t quantize_weight(float w, float scale) {
  const float inv = 1.0f / scale;
  volatile float prod = w * inv;  // volatile: keep the rounding PyTorch has
  float q = std::nearbyint(static_cast<float>(prod));
  q = std::fmin(std::fmax(q, -128.f), 127.f);
  return static_cast<int8_t>(q);
}

inline uint8_t quantize_activation(float x, float inv_scale, int32_t zp, int32_t qmin, int32_t qmax) {
  volatile float prod = x * inv_scale;  // rounded product, then the add (no FMA)
  const float v = std::nearbyint(static_cast<float>(prod) + static_cast<float>(zp));
  const float c = std::fmin(std::fmax(v, static_cast<float>(qmin)), static_cast<float>(qmax));
  return static_cast<uint8_t>(c);
}

}  // namespace ecoinfer::ops
