#pragma once
// Resize (opsets 10-18) and Upsample (7-9) resolved to one plan: per axis and output
// coordinate, the input indices and weights that make it (a separable filter), shared by
// the reference and the fast kernel so that both sample exactly the same points.
//
// Semantics (ONNX's Resize, whose reference implementation this follows):
// - output size: `sizes`, or floor(input * scale) per axis;
// - coordinate_transformation_mode maps an output coordinate x to an input coordinate:
//   half_pixel (x + 0.5) / s - 0.5; pytorch_half_pixel the same but 0 for a 1-long output;
//   align_corners x * (in - 1) / (out - 1); asymmetric x / s; tf_half_pixel_for_nn
//   (x + 0.5) / s; tf_crop_and_resize from the roi, with extrapolation_value outside the input;
//   s is the given scale, or out / in when `sizes` is given; the resized length `out` in
//   align_corners and tf_crop_and_resize is in * s unrounded when scales are given;
// - nearest: round_prefer_floor (default), round_prefer_ceil, floor or ceil, then clamped;
// - linear: the two neighbours floor(x), floor(x) + 1 weighted 1 - t, t (t = x - floor(x));
// - cubic: the four neighbours floor(x) - 1 .. floor(x) + 2 with Keys' coefficients for
//   cubic_coeff_a (default -0.75, PyTorch's bicubic; -0.5 is TensorFlow's);
// - neighbours outside the input take the edge value, or, with exclude_outside, weight 0
//   and the others are renormalised.
// Upsample and Resize-10 are asymmetric with floor for nearest (PyTorch's nn.Upsample export).
#include "ops/op_util.h"

namespace ecoinfer::ops {

struct ResizeAxis {
  int64_t in = 0, out = 0;
  int taps = 1;                    // neighbours per output coordinate (1, 2 or 4)
  std::vector<int64_t> index;      // out * taps input indices, clamped into [0, in)
  std::vector<double> weight;      // out * taps weights, summing to 1 per coordinate
  std::vector<uint8_t> outside;    // per output coordinate: extrapolation_value instead (tf_crop_and_resize)
  bool identity = false;           // out == in and every coordinate maps to itself with weight 1
};

struct ResizePlan {
  Shape out_shape;
  std::vector<ResizeAxis> axes;    // one per input axis
  bool any_outside = false;
  double extrapolation_value = 0;
};

// From the node (Resize or Upsample), the input shape and the values of roi, scales and
// sizes (empty when absent).
ResizePlan plan_resize(const Node& n, const Shape& x, const std::vector<double>& roi, const std::vector<double>& scales,
                       const std::vector<int64_t>& sizes);

// The same from an executing node's inputs (Upsample-9 and Resize: inputs; Upsample-7: attribute).
ResizePlan plan_resize(const OpContext& c);

// Reference kernel and shape rule of Resize and Upsample.
std::vector<Tensor> resize_reference(OpContext& c);
std::vector<TensorMeta> resize_infer(const Node& n, const std::vector<TensorMeta>& in);

}  // namespace ecoinfer::ops
