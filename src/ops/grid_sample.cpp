#include <algorithm>

#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// GridSample (opset 16) is torch.nn.functional.grid_sample on 4-D input: X [N, C, H, W] is
// sampled at grid [N, Ho, Wo, 2] (x, y in [-1, 1]) into [N, C, Ho, Wo]. Coordinates map to
// pixels as PyTorch's grid_sampler_2d does: ((g + 1) / 2) * (size - 1) with align_corners,
// ((g + 1) * size - 1) / 2 without; padding_mode zeros (outside reads 0), border (clamped)
// or reflection (mirrored at the edges, or at the pixel borders without align_corners).
struct Sampler {
  int64_t h = 0, w = 0;
  bool align = false;
  std::string padding;

  double unnormalize(double g, int64_t size) const {
    return align ? (g + 1) / 2 * static_cast<double>(size - 1) : ((g + 1) * static_cast<double>(size) - 1) / 2;
  }
  static double clip(double v, int64_t size) { return std::min(static_cast<double>(size - 1), std::max(v, 0.0)); }
  // Mirror v into [low, high] (given doubled, as PyTorch's reflect_coordinates).
  static double reflect(double v, double twice_low, double twice_high) {
    if (twice_low == twice_high) return 0;
    const double lo = twice_low / 2, span = (twice_high - twice_low) / 2;
    v = std::fabs(v - lo);
    const double extra = std::fmod(v, span);
    const bool even_flips = std::fmod(std::floor(v / span), 2.0) == 0;  // no integer conversion of a huge v
    return even_flips ? extra + lo : span - extra + lo;
  }
  double apply_padding(double v, int64_t size) const {
    if (padding == "border") return clip(v, size);
    if (padding == "reflection") {
      v = align ? reflect(v, 0, 2.0 * static_cast<double>(size - 1)) : reflect(v, -1, 2.0 * static_cast<double>(size) - 1);
      return clip(v, size);
    }
    return v;
  }
  // Pixel (y, x) of one plane, 0 outside the input.
  double at(const float* plane, int64_t y, int64_t x) const {
    return y >= 0 && y < h && x >= 0 && x < w ? plane[y * w + x] : 0.0;
  }
  // A pixel index from a coordinate; NaN, infinities and huge values (a hostile grid) fall
  // outside the input instead of overflowing the conversion.
  static int64_t index(double v) { return v > -1e15 && v < 1e15 ? static_cast<int64_t>(v) : -1; }
};

double cubic(double d, double a) {  // Keys' kernel, PyTorch's bicubic (a = -0.75)
  d = std::fabs(d);
  if (d <= 1) return ((a + 2) * d - (a + 3)) * d * d + 1;
  if (d < 2) return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
  return 0;
}

std::vector<Tensor> grid_sample_ref(OpContext& c) {
  const Tensor& x = require_f32(c, 0);
  const Tensor& grid = require_f32(c, 1);
  ECO_CHECK(x.rank() == 4 && grid.rank() == 4 && grid.dim(0) == x.dim(0) && grid.dim(3) == 2,
            "{}: needs X [N, C, H, W] and grid [N, Ho, Wo, 2], got {} and {}", c.node.describe(), shape_str(x.shape()),
            shape_str(grid.shape()));
  Sampler s{x.dim(2), x.dim(3), c.node.attr_int("align_corners", 0) != 0, c.node.attr_string("padding_mode", "zeros")};
  const std::string mode = c.node.attr_string("mode", "bilinear");
  ECO_CHECK(mode == "bilinear" || mode == "nearest" || mode == "bicubic", "{}: unknown mode '{}'", c.node.describe(), mode);
  ECO_CHECK(s.padding == "zeros" || s.padding == "border" || s.padding == "reflection", "{}: unknown padding_mode '{}'",
            c.node.describe(), s.padding);
  const int64_t n = x.dim(0), ch = x.dim(1), oh = grid.dim(1), ow = grid.dim(2);
  Tensor y = Tensor::empty(DType::f32, {n, ch, oh, ow});
  const float* pg = grid.data<float>();
  for (int64_t b = 0; b < n; ++b)
    for (int64_t i = 0; i < oh * ow; ++i) {
      const double gx = pg[(b * oh * ow + i) * 2], gy = pg[(b * oh * ow + i) * 2 + 1];
      for (int64_t k = 0; k < ch; ++k) {
        const float* plane = x.data<float>() + (b * ch + k) * s.h * s.w;
        double v = 0;
        if (mode == "bicubic") {
          // Padding applies to each of the 4 x 4 taps' integer positions, not the coordinate.
          const double ix = s.unnormalize(gx, s.w), iy = s.unnormalize(gy, s.h);
          const double fx = std::floor(ix), fy = std::floor(iy);
          for (int dy = -1; dy <= 2; ++dy)
            for (int dx = -1; dx <= 2; ++dx) {
              const double py = s.apply_padding(fy + dy, s.h), px = s.apply_padding(fx + dx, s.w);
              v += cubic(ix - (fx + dx), -0.75) * cubic(iy - (fy + dy), -0.75) *
                   s.at(plane, Sampler::index(py), Sampler::index(px));
            }
        } else {
          const double ix = s.apply_padding(s.unnormalize(gx, s.w), s.w);
          const double iy = s.apply_padding(s.unnormalize(gy, s.h), s.h);
          if (mode == "nearest") {
            v = s.at(plane, Sampler::index(std::nearbyint(iy)), Sampler::index(std::nearbyint(ix)));
          } else {
            const double x0 = std::floor(ix), y0 = std::floor(iy), tx = ix - x0, ty = iy - y0;
            const int64_t xi = Sampler::index(x0), yi = Sampler::index(y0);
            v = s.at(plane, yi, xi) * (1 - tx) * (1 - ty) + s.at(plane, yi, xi + 1) * tx * (1 - ty) +
                s.at(plane, yi + 1, xi) * (1 - tx) * ty + s.at(plane, yi + 1, xi + 1) * tx * ty;
          }
        }
        y.data<float>()[(b * ch + k) * oh * ow + i] = static_cast<float>(v);
      }
    }
  return {y};
}

std::vector<TensorMeta> grid_sample_infer(const Node&, const std::vector<TensorMeta>& in) {
  return one_meta(DType::f32, {in[0].shape.at(0), in[0].shape.at(1), in[1].shape.at(1), in[1].shape.at(2)});
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "GridSample", .min_inputs = 2, .max_inputs = 2, .reference = grid_sample_ref,
                         .infer = grid_sample_infer});
}  // namespace ecoinfer::ops
