#include "ops/resize.h"

#include <algorithm>

#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

struct ResizeMode {
  std::string mode, coord, nearest;
  double cubic_a = -0.75;
  bool exclude_outside = false;
};

ResizeMode resize_mode(const Node& n) {
  ResizeMode m;
  m.mode = n.attr_string("mode", "nearest");
  if (m.mode == "bilinear") m.mode = "linear";  // Upsample-7's spelling
  const bool legacy = n.op_type == "Upsample" || node_opset(n) < 11;
  m.coord = legacy ? "asymmetric" : n.attr_string("coordinate_transformation_mode", "half_pixel");
  m.nearest = legacy ? "floor" : n.attr_string("nearest_mode", "round_prefer_floor");
  m.cubic_a = n.attr_float("cubic_coeff_a", -0.75f);
  m.exclude_outside = n.attr_int("exclude_outside", 0) != 0;
  ECO_CHECK(m.mode == "nearest" || m.mode == "linear" || (m.mode == "cubic" && !legacy),
            "{}: mode '{}' is not supported (nearest, linear, cubic)", n.describe(), m.mode);
  ECO_CHECK(n.attr_int("antialias", 0) == 0, "{}: antialias is not supported", n.describe());
  ECO_CHECK(!n.has_attr("axes"), "{}: the axes attribute is not supported", n.describe());
  ECO_CHECK(n.attr_string("keep_aspect_ratio_policy", "stretch") == "stretch",
            "{}: keep_aspect_ratio_policy other than stretch is not supported", n.describe());
  return m;
}

// Input coordinate of output coordinate `x` along one axis; `outside` is set when
// tf_crop_and_resize samples outside the input. `out_len` is the resized length the
// formulas use: the output size when `sizes` is given, else in * scale unrounded (ONNX's
// reference: with scales 0.6, a 4-long axis aligns its corners over 2.4, not 2).
double source_coordinate(const ResizeMode& m, const Node& n, double x, double scale, int64_t in, double out_len,
                         double roi_start, double roi_end, bool* outside) {
  const std::string& c = m.coord;
  const double span = static_cast<double>(in - 1);
  if (c == "half_pixel") return (x + 0.5) / scale - 0.5;
  if (c == "pytorch_half_pixel") return out_len > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
  if (c == "align_corners") return out_len == 1 ? 0.0 : x * span / (out_len - 1);
  if (c == "asymmetric") return x / scale;
  if (c == "tf_half_pixel_for_nn") return (x + 0.5) / scale;
  if (c == "tf_crop_and_resize") {
    const double v = out_len > 1 ? roi_start * span + x * (roi_end - roi_start) * span / (out_len - 1)
                                 : 0.5 * (roi_start + roi_end) * span;
    *outside = v < 0 || v > static_cast<double>(in - 1);
    return v;
  }
  fail("{}: coordinate_transformation_mode '{}' is not supported", n.describe(), c);
}

int64_t nearest_index(const std::string& mode, double x, const Node& n) {
  const double f = std::floor(x);
  if (mode == "floor") return static_cast<int64_t>(f);
  if (mode == "ceil") return static_cast<int64_t>(std::ceil(x));
  if (mode == "round_prefer_floor") return static_cast<int64_t>(x - f == 0.5 ? f : std::round(x));
  if (mode == "round_prefer_ceil") return static_cast<int64_t>(x - f == 0.5 ? f + 1 : std::round(x));
  fail("{}: nearest_mode '{}' is not supported", n.describe(), mode);
}

// Keys' cubic convolution weights of the neighbours at distances t + 1, t, 1 - t, 2 - t.
std::array<double, 4> cubic_weights(double t, double a) {
  auto near = [a](double d) { return ((a + 2) * d - (a + 3)) * d * d + 1; };             // |d| <= 1
  auto far = [a](double d) { return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a; };         // 1 < |d| < 2
  return {far(t + 1), near(t), near(1 - t), far(2 - t)};
}

ResizeAxis plan_axis(const ResizeMode& m, const Node& n, int64_t in, int64_t out, double out_len, double scale,
                     double roi_start, double roi_end) {
  ResizeAxis a;
  a.in = in;
  a.out = out;
  a.taps = m.mode == "nearest" ? 1 : m.mode == "linear" ? 2 : 4;
  a.index.resize(static_cast<size_t>(out * a.taps));
  a.weight.resize(a.index.size());
  a.outside.assign(static_cast<size_t>(out), 0);
  a.identity = in == out;
  for (int64_t o = 0; o < out; ++o) {
    bool outside = false;
    const double x = source_coordinate(m, n, static_cast<double>(o), scale, in, out_len, roi_start, roi_end, &outside);
    a.outside[o] = outside;
    int64_t* idx = &a.index[o * a.taps];
    double* w = &a.weight[o * a.taps];
    if (a.taps == 1) {
      idx[0] = std::clamp<int64_t>(nearest_index(m.nearest, x, n), 0, in - 1);
      w[0] = 1;
    } else {
      const double f = std::floor(x), t = x - f;
      const int64_t first = static_cast<int64_t>(f) - (a.taps == 4 ? 1 : 0);
      if (a.taps == 2) {
        w[0] = 1 - t;
        w[1] = t;
      } else {
        auto c = cubic_weights(t, m.cubic_a);
        std::copy(c.begin(), c.end(), w);
      }
      double kept = 0;
      for (int k = 0; k < a.taps; ++k) {
        const int64_t i = first + k;
        if (m.exclude_outside && (i < 0 || i >= in)) w[k] = 0;
        kept += w[k];
        idx[k] = std::clamp<int64_t>(i, 0, in - 1);
      }
      if (m.exclude_outside && kept != 0)
        for (int k = 0; k < a.taps; ++k) w[k] /= kept;
    }
    double self = 0, others = 0;
    for (int k = 0; k < a.taps; ++k) (idx[k] == o ? self : others) += std::fabs(w[k]);
    if (outside || self != 1 || others != 0) a.identity = false;
  }
  return a;
}

}  // namespace

ResizePlan plan_resize(const Node& n, const Shape& x, const std::vector<double>& roi, const std::vector<double>& scales,
                       const std::vector<int64_t>& sizes) {
  const ResizeMode m = resize_mode(n);
  const size_t r = x.size();
  ECO_CHECK(r >= 1, "{}: the input must have rank >= 1", n.describe());
  ECO_CHECK(scales.empty() != sizes.empty(), "{}: exactly one of scales and sizes must be given", n.describe());
  ECO_CHECK(scales.empty() || scales.size() == r, "{}: {} scales for an input of rank {}", n.describe(), scales.size(), r);
  ECO_CHECK(sizes.empty() || sizes.size() == r, "{}: {} sizes for an input of rank {}", n.describe(), sizes.size(), r);
  const bool crop = m.coord == "tf_crop_and_resize";
  ECO_CHECK(!crop || roi.size() == 2 * r, "{}: tf_crop_and_resize needs a roi of {} values, got {}", n.describe(), 2 * r,
            roi.size());
  ResizePlan p;
  p.extrapolation_value = n.attr_float("extrapolation_value", 0.f);
  for (size_t d = 0; d < r; ++d) {
    int64_t out = 0;
    double scale = 0;
    if (!sizes.empty()) {
      out = sizes[d];
      ECO_CHECK(out >= 1, "{}: output size {} along axis {}", n.describe(), out, d);
      scale = static_cast<double>(out) / static_cast<double>(x[d]);
    } else {
      scale = scales[d];
      ECO_CHECK(scale > 0 && std::isfinite(scale), "{}: scale {} along axis {} must be positive", n.describe(), scale, d);
      const double want = std::floor(static_cast<double>(x[d]) * scale);
      ECO_CHECK(want <= 1e12, "{}: scale {} makes axis {} of size {} too large", n.describe(), scale, d, x[d]);
      out = static_cast<int64_t>(want);
    }
    p.out_shape.push_back(out);
  }
  check_output_size(n, DType::f32, p.out_shape);
  for (size_t d = 0; d < r; ++d) {
    ECO_CHECK(x[d] >= 1 || p.out_shape[d] == 0, "{}: cannot resize an empty axis {} to {}", n.describe(), d,
              p.out_shape[d]);
    const double scale = sizes.empty() ? scales[d] : static_cast<double>(p.out_shape[d]) / static_cast<double>(x[d]);
    const double out_len = sizes.empty() ? static_cast<double>(x[d]) * scales[d] : static_cast<double>(p.out_shape[d]);
    p.axes.push_back(plan_axis(m, n, x[d], p.out_shape[d], out_len, scale, crop ? roi[d] : 0, crop ? roi[d + r] : 0));
    for (uint8_t o : p.axes.back().outside) p.any_outside |= o != 0;
  }
  return p;
}

namespace {

std::vector<double> float_values(const OpContext& c, size_t i) {
  if (!c.has(i)) return {};
  const Tensor& t = c.in(i);
  ECO_CHECK(t.dtype() == DType::f32 || t.dtype() == DType::f64, "{}: input {} must be float, got {}", c.node.describe(),
            i, dtype_name(t.dtype()));
  std::vector<double> v;
  for (int64_t k = 0; k < t.numel(); ++k) v.push_back(t.dtype() == DType::f32 ? t.data<float>()[k] : t.data<double>()[k]);
  return v;
}

}  // namespace

ResizePlan plan_resize(const OpContext& c) {
  const Node& n = c.node;
  const Shape& x = c.in(0).shape();
  if (n.op_type == "Upsample" && !c.has(1)) {  // Upsample-7: scales attribute
    std::vector<double> s;
    for (float f : n.attr_floats("scales")) s.push_back(f);
    return plan_resize(n, x, {}, s, {});
  }
  if (n.op_type == "Upsample" || node_opset(n) < 11) return plan_resize(n, x, {}, float_values(c, 1), {});
  std::vector<int64_t> sizes;
  if (c.has(3) && c.in(3).numel() > 0) sizes = input_ints(c, 3, "sizes");
  std::vector<double> scales = float_values(c, 2);
  if (!sizes.empty()) scales.clear();  // an empty scales tensor stands for "absent"
  return plan_resize(n, x, float_values(c, 1), scales, sizes);
}

namespace {

// Every output element as the weighted sum, in double, of its neighbours' product of axis
// weights (zero weights skipped); extrapolation_value where tf_crop_and_resize leaves the input.
template <typename T>
Tensor resize_typed(const Tensor& x, const ResizePlan& p) {
  Tensor y = Tensor::empty(x.dtype(), p.out_shape);
  const int r = x.rank();
  const auto st = contiguous_strides(x.shape());
  const T* px = x.data<T>();
  T* py = y.data<T>();
  std::vector<int64_t> coord(static_cast<size_t>(r), 0), tap(static_cast<size_t>(r), 0);
  for (int64_t i = 0; i < y.numel(); ++i) {
    bool outside = false;
    for (int d = 0; d < r; ++d) outside |= p.axes[d].outside[coord[d]] != 0;
    double acc = 0;
    if (outside) {
      acc = p.extrapolation_value;
    } else {
      std::fill(tap.begin(), tap.end(), 0);
      for (;;) {
        double w = 1;
        int64_t off = 0;
        for (int d = 0; d < r && w != 0; ++d) {
          const ResizeAxis& a = p.axes[d];
          const int64_t k = coord[d] * a.taps + tap[d];
          w *= a.weight[k];
          off += a.index[k] * st[d];
        }
        if (w != 0) acc += w * static_cast<double>(px[off]);
        int d = r - 1;
        for (; d >= 0; --d) {
          if (++tap[d] < p.axes[d].taps) break;
          tap[d] = 0;
        }
        if (d < 0) break;
      }
    }
    py[i] = static_cast<T>(acc);
    for (int d = r - 1; d >= 0; --d) {
      if (++coord[d] < p.out_shape[d]) break;
      coord[d] = 0;
    }
  }
  return y;
}

}  // namespace

std::vector<Tensor> resize_reference(OpContext& c) {
  const Tensor& x = c.in(0);
  const ResizePlan p = plan_resize(c);
  return {visit_dtype<FloatTypes>(x.dtype(), c.node, "input", [&](auto t) { return resize_typed<decltype(t)>(x, p); })};
}

std::vector<TensorMeta> resize_infer(const Node& n, const std::vector<TensorMeta>& in) {
  // The output shape needs the values of scales / sizes: evaluate the op on zeros when they
  // are constants; otherwise shape inference falls back to running the reference.
  auto values = [&](size_t i) -> const Tensor* { return i < in.size() ? in[i].value : nullptr; };
  const bool upsample7 = n.op_type == "Upsample" && in.size() < 2;
  const bool legacy = n.op_type == "Upsample" || node_opset(n) < 11;
  std::vector<double> scales, roi;
  std::vector<int64_t> sizes;
  auto doubles = [](const Tensor* t) {
    std::vector<double> v;
    if (t)
      for (float f : t->to_f32_vector()) v.push_back(f);
    return v;
  };
  if (upsample7) {
    for (float f : n.attr_floats("scales")) scales.push_back(f);
  } else if (legacy) {
    ECO_CHECK(values(1), "{}: the output shape depends on scales, which are not constant", n.describe());
    scales = doubles(values(1));
  } else {
    const Tensor* sz = values(3);
    if (n.has_input(3) && (!sz || sz->numel() > 0)) {
      ECO_CHECK(sz, "{}: the output shape depends on sizes, which are not constant", n.describe());
      sizes = sz->to_i64_vector();
    } else {
      ECO_CHECK(values(2), "{}: the output shape depends on scales, which are not constant", n.describe());
      scales = doubles(values(2));
    }
    roi = doubles(values(1));
  }
  return one_meta(in[0].dtype, plan_resize(n, in[0].shape, roi, scales, sizes).out_shape);
}

ECO_REGISTER_OP(OpSchema{.op_type = "Resize", .min_inputs = 1, .max_inputs = 4, .reference = resize_reference,
                         .infer = resize_infer});

}  // namespace ecoinfer::ops
