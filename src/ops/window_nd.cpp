#include "ops/window_nd.h"

#include <limits>

namespace ecoinfer::ops {

WindowNd resolve_window_nd(const Node& n, const std::vector<int64_t>& spatial_in, const std::vector<int64_t>& kernel,
                           bool ceil_mode) {
  const size_t s = spatial_in.size();
  WindowNd w;
  w.in = spatial_in;
  w.k = kernel;
  w.stride = n.attr_ints("strides", std::vector<int64_t>(s, 1));
  w.dil = n.attr_ints("dilations", std::vector<int64_t>(s, 1));
  ECO_CHECK(w.k.size() == s && w.stride.size() == s && w.dil.size() == s,
            "{}: kernel, strides and dilations must have {} values", n.describe(), s);
  for (size_t i = 0; i < s; ++i)
    ECO_CHECK(w.stride[i] >= 1 && w.dil[i] >= 1 && w.k[i] >= 1, "{}: kernel, strides and dilations must be positive",
              n.describe());
  auto pads = n.attr_ints("pads", {});
  resolve_auto_pad(n, w.in, w.k, w.stride, w.dil, pads);
  w.pad_begin.assign(pads.begin(), pads.begin() + static_cast<int64_t>(s));
  w.pad_end.assign(pads.begin() + static_cast<int64_t>(s), pads.end());
  for (size_t i = 0; i < s; ++i) {
    w.out.push_back(window_out_size(w.in[i], w.k[i], w.stride[i], w.dil[i], w.pad_begin[i], w.pad_end[i], ceil_mode));
    ECO_CHECK(w.out.back() > 0, "{}: the input is too small for the window along spatial axis {}", n.describe(), i);
  }
  return w;
}

namespace {

// The window points of output position `o` (flat over the output plane) that fall inside
// the input: (flat input offset within a plane, kernel point index). `padded` counts the
// points inside the input or its explicit padding (count_include_pad counts those, not the
// ceil_mode overhang).
std::vector<std::pair<int64_t, int64_t>> window_taps(const WindowNd& w, int64_t o, int64_t* padded) {
  const size_t s = w.in.size();
  std::vector<int64_t> oc(s), kc(s, 0);
  for (int64_t r = o, d = static_cast<int64_t>(s) - 1; d >= 0; --d) {
    oc[d] = r % w.out[d];
    r /= w.out[d];
  }
  std::vector<std::pair<int64_t, int64_t>> taps;
  *padded = 0;
  for (int64_t point = 0; point < w.points(); ++point) {
    bool inside = true, in_pad = true;
    int64_t off = 0;
    for (size_t d = 0; d < s; ++d) {
      const int64_t i = oc[d] * w.stride[d] - w.pad_begin[d] + kc[d] * w.dil[d];
      inside = inside && i >= 0 && i < w.in[d];
      in_pad = in_pad && i < w.in[d] + w.pad_end[d];
      off = off * w.in[d] + i;
    }
    if (in_pad) ++*padded;
    if (inside) taps.emplace_back(off, point);
    for (int64_t d = static_cast<int64_t>(s) - 1; d >= 0; --d) {
      if (++kc[d] < w.k[d]) break;
      kc[d] = 0;
    }
  }
  return taps;
}

}  // namespace

Shape conv_nd_shape(const Node& n, const Shape& x, const Shape& wt) {
  ECO_CHECK(x.size() >= 3 && wt.size() == x.size(), "{}: input {} and weight {} must be [N, C, D...] and [M, C/group, K...]",
            n.describe(), shape_str(x), shape_str(wt));
  const int64_t groups = n.attr_int("group", 1);
  ECO_CHECK(groups >= 1 && x[1] % groups == 0 && wt[0] % groups == 0 && wt[1] * groups == x[1],
            "{}: weight {} and group {} do not fit input {}", n.describe(), shape_str(wt), groups, shape_str(x));
  const std::vector<int64_t> k(wt.begin() + 2, wt.end());
  ECO_CHECK(n.attr_ints("kernel_shape", k) == k, "{}: kernel_shape does not match the weight {}", n.describe(),
            shape_str(wt));
  const WindowNd w = resolve_window_nd(n, std::vector<int64_t>(x.begin() + 2, x.end()), k, false);
  Shape out{x[0], wt[0]};
  out.insert(out.end(), w.out.begin(), w.out.end());
  check_output_size(n, DType::f32, out);
  return out;
}

// Direct convolution with double accumulation over any number of spatial axes.
std::vector<Tensor> conv_nd_reference(OpContext& c) {
  const Tensor& x = require_f32(c, 0);
  const Tensor& wt = require_f32(c, 1);
  const Shape out_shape = conv_nd_shape(c.node, x.shape(), wt.shape());
  const WindowNd w = resolve_window_nd(c.node, std::vector<int64_t>(x.shape().begin() + 2, x.shape().end()),
                                       std::vector<int64_t>(wt.shape().begin() + 2, wt.shape().end()), false);
  const float* bias = nullptr;
  if (c.has(2)) {
    ECO_CHECK(require_f32(c, 2).numel() == out_shape[1], "{}: bias must hold {} values", c.node.describe(), out_shape[1]);
    bias = c.in(2).data<float>();
  }
  const int64_t n = x.dim(0), cin = x.dim(1), cout = out_shape[1], groups = c.node.attr_int("group", 1);
  const int64_t cin_g = cin / groups, cout_g = cout / groups, in_plane = shape_numel(w.in), out_plane = shape_numel(w.out);
  Tensor y = Tensor::empty(DType::f32, out_shape);
  const float* px = x.data<float>();
  const float* pw = wt.data<float>();
  float* py = y.data<float>();
  for (int64_t o = 0; o < out_plane; ++o) {
    int64_t padded = 0;
    const auto taps = window_taps(w, o, &padded);  // once per output position, for every channel
    for (int64_t b = 0; b < n; ++b)
      for (int64_t oc_i = 0; oc_i < cout; ++oc_i) {
        const int64_t g = oc_i / cout_g;
        double acc = bias ? bias[oc_i] : 0.0;
        for (int64_t ic = 0; ic < cin_g; ++ic) {
          const float* xp = px + (b * cin + g * cin_g + ic) * in_plane;
          const float* wp = pw + (oc_i * cin_g + ic) * w.points();
          for (auto [off, pt] : taps) acc += static_cast<double>(xp[off]) * wp[pt];
        }
        py[(b * cout + oc_i) * out_plane + o] = static_cast<float>(acc);
      }
  }
  return {y};
}

Shape pool_nd_shape(const Node& n, const Shape& x) {
  ECO_CHECK(x.size() >= 3, "{}: input {} must be [N, C, D...]", n.describe(), shape_str(x));
  const WindowNd w = resolve_window_nd(n, std::vector<int64_t>(x.begin() + 2, x.end()), n.attr_ints("kernel_shape"),
                                       n.attr_int("ceil_mode", 0) != 0);
  Shape out{x[0], x[1]};
  out.insert(out.end(), w.out.begin(), w.out.end());
  check_output_size(n, DType::f32, out);
  return out;
}

// Max (NaN wins) or average (count_include_pad counts explicit padding) over each window.
std::vector<Tensor> pool_nd_reference(OpContext& c, bool max) {
  const Tensor& x = require_f32(c, 0);
  ECO_CHECK(c.node.outputs.size() < 2 || c.node.outputs[1].empty(), "{}: the Indices output is not supported",
            c.node.describe());
  ECO_CHECK(c.node.attr_int("storage_order", 0) == 0, "{}: storage_order=1 is not supported", c.node.describe());
  const Shape out_shape = pool_nd_shape(c.node, x.shape());
  const WindowNd w = resolve_window_nd(c.node, std::vector<int64_t>(x.shape().begin() + 2, x.shape().end()),
                                       c.node.attr_ints("kernel_shape"), c.node.attr_int("ceil_mode", 0) != 0);
  const bool include_pad = c.node.attr_int("count_include_pad", 0) != 0;
  const int64_t planes = x.dim(0) * x.dim(1), in_plane = shape_numel(w.in), out_plane = shape_numel(w.out);
  Tensor y = Tensor::empty(DType::f32, out_shape);
  const float* px = x.data<float>();
  float* py = y.data<float>();
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t o = 0; o < out_plane; ++o) {
      double acc = max ? -std::numeric_limits<double>::infinity() : 0.0;
      int64_t padded = 0;
      const auto taps = window_taps(w, o, &padded);
      for (auto [off, point] : taps) {
        const float v = px[p * in_plane + off];
        if (max) {
          if (v > acc || std::isnan(v)) acc = v;
        } else {
          acc += v;
        }
      }
      const int64_t div = include_pad ? padded : static_cast<int64_t>(taps.size());
      py[p * out_plane + o] = static_cast<float>(max ? acc : div ? acc / static_cast<double>(div) : 0.0);
    }
  return {y};
}

std::vector<int64_t> conv_integer_nd(const Node& n, const Shape& x, const std::vector<int64_t>& xv, const Shape& wt,
                                     const std::vector<int64_t>& wv, Shape* out_shape) {
  *out_shape = conv_nd_shape(n, x, wt);
  const WindowNd w = resolve_window_nd(n, std::vector<int64_t>(x.begin() + 2, x.end()),
                                       std::vector<int64_t>(wt.begin() + 2, wt.end()), false);
  const int64_t batch = x[0], cin = x[1], cout = wt[0], groups = n.attr_int("group", 1);
  const int64_t cin_g = cin / groups, cout_g = cout / groups, in_plane = shape_numel(w.in), out_plane = shape_numel(w.out);
  std::vector<int64_t> y(static_cast<size_t>(batch * cout * out_plane), 0);
  for (int64_t o = 0; o < out_plane; ++o) {
    int64_t padded = 0;
    const auto taps = window_taps(w, o, &padded);
    for (int64_t b = 0; b < batch; ++b)
      for (int64_t oc = 0; oc < cout; ++oc) {
        const int64_t g = oc / cout_g;
        int64_t acc = 0;
        for (int64_t ic = 0; ic < cin_g; ++ic)
          for (auto [off, pt] : taps)
            acc += xv[(b * cin + g * cin_g + ic) * in_plane + off] * wv[(oc * cin_g + ic) * w.points() + pt];
        y[(b * cout + oc) * out_plane + o] = acc;
      }
  }
  return y;
}

}  // namespace ecoinfer::ops
