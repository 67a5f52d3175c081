#include "ops/conv.h"

#include "ops/compute_dtype.h"
#include "ops/window_nd.h"

namespace ecoinfer::ops {

int64_t window_out_size(int64_t in, int64_t k, int64_t stride, int64_t dil, int64_t pad_begin, int64_t pad_end,
                        bool ceil_mode) {
  // In 128 bits: kernel sizes, dilations and pads come from the file and may be huge; the
  // caller's size check then rejects the result instead of an overflow slipping through.
  using Wide = __int128;
  const Wide span = Wide(dil) * (k - 1) + 1;
  const Wide avail = Wide(in) + pad_begin + pad_end - span;
  if (avail < 0) return 0;
  Wide out = (ceil_mode ? (avail + stride - 1) / stride : avail / stride) + 1;
  // ONNX/PyTorch: with ceil_mode the last window must start inside the input or left padding.
  if (ceil_mode && (out - 1) * stride >= Wide(in) + pad_begin) --out;
  return out > INT64_MAX ? INT64_MAX : static_cast<int64_t>(out);
}

void resolve_auto_pad(const Node& n, const std::vector<int64_t>& in, const std::vector<int64_t>& k,
                      const std::vector<int64_t>& stride, const std::vector<int64_t>& dil, std::vector<int64_t>& pads) {
  const size_t s = in.size();
  const std::string mode = n.attr_string("auto_pad", "NOTSET");
  if (mode == "NOTSET") {
    if (pads.empty()) pads.assign(2 * s, 0);
    ECO_CHECK(pads.size() == 2 * s, "{}: pads has {} values, expected {}", n.describe(), pads.size(), 2 * s);
    for (int64_t p : pads) ECO_CHECK(p >= 0, "{}: negative padding", n.describe());
    return;
  }
  pads.assign(2 * s, 0);
  if (mode == "VALID") return;
  ECO_CHECK(mode == "SAME_UPPER" || mode == "SAME_LOWER", "{}: unknown auto_pad '{}'", n.describe(), mode);
  for (size_t i = 0; i < s; ++i) {
    const __int128 out = (__int128(in[i]) + stride[i] - 1) / stride[i];  // 128 bits: attributes may be huge
    const __int128 need = (out - 1) * stride[i] + __int128(dil[i]) * (k[i] - 1) + 1 - in[i];
    ECO_CHECK(need <= INT64_MAX, "{}: auto_pad {} needs more padding than fits in 64 bits", n.describe(), mode);
    const int64_t total = std::max<int64_t>(0, static_cast<int64_t>(need));
    const int64_t small = total / 2, big = total - small;
    pads[i] = mode == "SAME_UPPER" ? small : big;
    pads[i + s] = mode == "SAME_UPPER" ? big : small;
  }
}

ConvParams resolve_conv(const Node& n, const Shape& x, const Shape& w) {
  ECO_CHECK(x.size() == 3 || x.size() == 4, "{}: input rank {} is not supported (1-D, 2-D and 3-D convolutions are)",
            n.describe(), x.size());
  ECO_CHECK(w.size() == x.size(), "{}: weight rank {} does not match input rank {}", n.describe(), w.size(), x.size());
  ConvParams p;
  const size_t s = x.size() - 2;
  p.spatial = static_cast<int>(s);
  p.n = x[0];
  p.c_in = x[1];
  p.c_out = w[0];
  p.groups = n.attr_int("group", 1);
  ECO_CHECK(p.groups >= 1 && p.c_in % p.groups == 0 && p.c_out % p.groups == 0,
            "{}: group {} does not divide channels {} -> {}", n.describe(), p.groups, p.c_in, p.c_out);
  ECO_CHECK(w[1] * p.groups == p.c_in, "{}: weight {} expects {} input channels, input {} has {}", n.describe(),
            shape_str(w), w[1] * p.groups, shape_str(x), p.c_in);
  std::vector<int64_t> in(x.begin() + 2, x.end()), k(w.begin() + 2, w.end());
  auto ks = n.attr_ints("kernel_shape", k);
  ECO_CHECK(ks == k, "{}: kernel_shape does not match the weight shape {}", n.describe(), shape_str(w));
  auto stride = n.attr_ints("strides", std::vector<int64_t>(s, 1));
  auto dil = n.attr_ints("dilations", std::vector<int64_t>(s, 1));
  ECO_CHECK(stride.size() == s && dil.size() == s, "{}: strides/dilations must have {} values", n.describe(), s);
  for (size_t i = 0; i < s; ++i)
    ECO_CHECK(stride[i] >= 1 && dil[i] >= 1 && k[i] >= 1, "{}: strides, dilations and kernel sizes must be positive",
              n.describe());
  auto pads = n.attr_ints("pads", {});
  resolve_auto_pad(n, in, k, stride, dil, pads);
  if (s == 1) {
    p.h = 1; p.w = in[0]; p.kh = 1; p.kw = k[0];
    p.stride_w = stride[0]; p.dil_w = dil[0]; p.pad_l = pads[0]; p.pad_r = pads[1];
  } else {
    p.h = in[0]; p.w = in[1]; p.kh = k[0]; p.kw = k[1];
    p.stride_h = stride[0]; p.stride_w = stride[1]; p.dil_h = dil[0]; p.dil_w = dil[1];
    p.pad_t = pads[0]; p.pad_l = pads[1]; p.pad_b = pads[2]; p.pad_r = pads[3];
  }
  p.oh = window_out_size(p.h, p.kh, p.stride_h, p.dil_h, p.pad_t, p.pad_b, false);
  p.ow = window_out_size(p.w, p.kw, p.stride_w, p.dil_w, p.pad_l, p.pad_r, false);
  ECO_CHECK(p.oh > 0 && p.ow > 0, "{}: input {} is too small for kernel {}", n.describe(), shape_str(x), shape_str(w));
  p.out_shape = s == 1 ? Shape{p.n, p.c_out, p.ow} : Shape{p.n, p.c_out, p.oh, p.ow};
  // Before any kernel (oneDNN included) sizes its buffers for it.
  ops::check_output_size(n, DType::f32, p.out_shape);
  return p;
}

namespace {

// Direct convolution with double accumulation: slow, obviously correct, the ground truth.
std::vector<Tensor> conv_ref(OpContext& c) {
  if (computes_in_bf16(c.node)) return run_with_bf16_operands(c, conv_ref);  // the bf16 tactic's layers
  if (c.has(0) && c.in(0).rank() == 5) return conv_nd_reference(c);  // 3-D convolution
  const Tensor& x = require_f32(c, 0);
  const Tensor& w = require_f32(c, 1);
  ConvParams p = resolve_conv(c.node, x.shape(), w.shape());
  const float* b = nullptr;
  if (c.has(2)) {
    const Tensor& bias = require_f32(c, 2);
    ECO_CHECK(bias.numel() == p.c_out, "{}: bias has {} values, expected {}", c.node.describe(), bias.numel(), p.c_out);
    b = bias.data<float>();
  }
  Tensor y = Tensor::empty(DType::f32, p.out_shape);
  const float* px = x.data<float>();
  const float* pw = w.data<float>();
  float* py = y.data<float>();
  const int64_t cin_g = p.c_in / p.groups, cout_g = p.c_out / p.groups;
  for (int64_t n = 0; n < p.n; ++n)
    for (int64_t oc = 0; oc < p.c_out; ++oc) {
      const int64_t g = oc / cout_g;
      for (int64_t oy = 0; oy < p.oh; ++oy)
        for (int64_t ox = 0; ox < p.ow; ++ox) {
          double acc = b ? b[oc] : 0.0;
          for (int64_t ic = 0; ic < cin_g; ++ic)
            for (int64_t ky = 0; ky < p.kh; ++ky) {
              const int64_t iy = oy * p.stride_h - p.pad_t + ky * p.dil_h;
              if (iy < 0 || iy >= p.h) continue;
              for (int64_t kx = 0; kx < p.kw; ++kx) {
                const int64_t ix = ox * p.stride_w - p.pad_l + kx * p.dil_w;
                if (ix < 0 || ix >= p.w) continue;
                acc += double(px[((n * p.c_in + g * cin_g + ic) * p.h + iy) * p.w + ix]) *
                       pw[((oc * cin_g + ic) * p.kh + ky) * p.kw + kx];
              }
            }
          py[((n * p.c_out + oc) * p.oh + oy) * p.ow + ox] = static_cast<float>(acc);
        }
    }
  return {y};
}

std::vector<TensorMeta> conv_infer(const Node& n, const std::vector<TensorMeta>& in) {
  if (in[0].shape.size() == 5) return {TensorMeta{DType::f32, conv_nd_shape(n, in[0].shape, in[1].shape), nullptr}};
  return {TensorMeta{DType::f32, resolve_conv(n, in[0].shape, in[1].shape).out_shape, nullptr}};
}

int64_t conv_macs(const Node& n, const std::vector<TensorMeta>& in, const std::vector<TensorMeta>& out) {
  const Shape& w = in[1].shape;
  int64_t per_out = 1;
  for (size_t i = 1; i < w.size(); ++i) per_out *= w[i];  // (C_in / groups) * kernel area
  return shape_numel(out[0].shape) * per_out;
}

}  // namespace

ECO_REGISTER_OP(OpSchema{.op_type = "Conv", .min_inputs = 2, .max_inputs = 3, .reference = conv_ref, .infer = conv_infer,
                         .macs = conv_macs});

}  // namespace ecoinfer::ops
