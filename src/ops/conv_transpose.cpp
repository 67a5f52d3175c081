#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// ConvTranspose's attributes resolved against X [N, C_in, D1..Dk] and W [C_in, C_out/group, K1..Kk].
struct ConvTransposeParams {
  int64_t n = 0, c_in = 0, c_out = 0, groups = 1;
  std::vector<int64_t> in, k, stride, dil, pad_begin, out;
  Shape out_shape;
};

// Output size per axis: output_shape when given (padding derived from it), else
// stride * (in - 1) + output_padding + (k - 1) * dilation + 1 - pads; auto_pad SAME_* makes
// the output in * stride and splits the padding, the odd unit at the end for SAME_UPPER
// (ONNX ConvTranspose; PyTorch's ConvTranspose2d is the NOTSET form).
ConvTransposeParams resolve(const Node& n, const Shape& x, const Shape& w) {
  ECO_CHECK(x.size() >= 3 && x.size() <= 5 && w.size() == x.size(), "{}: input {} and weight {} must be [N, C, D...] "
            "and [C, M/group, K...] with 1 to 3 spatial axes", n.describe(), shape_str(x), shape_str(w));
  const size_t s = x.size() - 2;
  ConvTransposeParams p;
  p.n = x[0];
  p.c_in = x[1];
  p.groups = n.attr_int("group", 1);
  ECO_CHECK(p.groups >= 1 && p.c_in % p.groups == 0 && w[0] == p.c_in, "{}: weight {} and group {} do not fit input {}",
            n.describe(), shape_str(w), p.groups, shape_str(x));
  p.c_out = w[1] * p.groups;
  p.in.assign(x.begin() + 2, x.end());
  p.k.assign(w.begin() + 2, w.end());
  ECO_CHECK(n.attr_ints("kernel_shape", p.k) == p.k, "{}: kernel_shape does not match the weight {}", n.describe(),
            shape_str(w));
  p.stride = n.attr_ints("strides", std::vector<int64_t>(s, 1));
  p.dil = n.attr_ints("dilations", std::vector<int64_t>(s, 1));
  auto out_pad = n.attr_ints("output_padding", std::vector<int64_t>(s, 0));
  auto pads = n.attr_ints("pads", std::vector<int64_t>(2 * s, 0));
  ECO_CHECK(p.stride.size() == s && p.dil.size() == s && out_pad.size() == s && pads.size() == 2 * s,
            "{}: strides, dilations, output_padding and pads must have {} (pads {}) values", n.describe(), s, 2 * s);
  const std::string auto_pad = n.attr_string("auto_pad", "NOTSET");
  ECO_CHECK(auto_pad == "NOTSET" || auto_pad == "VALID" || auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER",
            "{}: unknown auto_pad '{}'", n.describe(), auto_pad);
  const auto out_shape = n.attr_ints("output_shape", {});
  ECO_CHECK(out_shape.empty() || out_shape.size() == s || out_shape.size() == s + 2,
            "{}: output_shape must have {} values", n.describe(), s);
  p.out_shape = {p.n, p.c_out};
  for (size_t i = 0; i < s; ++i) {
    ECO_CHECK(p.stride[i] >= 1 && p.dil[i] >= 1 && p.k[i] >= 1 && pads[i] >= 0 && pads[i + s] >= 0 && out_pad[i] >= 0,
              "{}: strides, dilations, kernel sizes must be positive, pads non-negative", n.describe());
    // 128 bits: every term comes from the file.
    const __int128 full = __int128(p.stride[i]) * (p.in[i] - 1) + out_pad[i] + __int128(p.k[i] - 1) * p.dil[i] + 1;
    __int128 out = 0, begin = pads[i];
    if (!out_shape.empty() || auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      out = !out_shape.empty() ? out_shape[out_shape.size() - s + i] : __int128(p.in[i]) * p.stride[i];
      const __int128 total = std::max<__int128>(0, full - out);
      begin = auto_pad == "SAME_LOWER" ? total - total / 2 : total / 2;
    } else {
      if (auto_pad == "VALID") begin = 0;
      out = full - (auto_pad == "VALID" ? 0 : pads[i] + pads[i + s]);
    }
    ECO_CHECK(out >= 1 && out <= (__int128(1) << 40), "{}: output size along spatial axis {} is {}", n.describe(), i,
              static_cast<long long>(out));
    p.out.push_back(static_cast<int64_t>(out));
    p.pad_begin.push_back(static_cast<int64_t>(begin));
    p.out_shape.push_back(p.out.back());
  }
  check_output_size(n, DType::f32, p.out_shape);
  return p;
}

// Every input element scatters x * w into the outputs its kernel window reaches; sums in double.
std::vector<Tensor> conv_transpose_ref(OpContext& c) {
  const Tensor& x = require_f32(c, 0);
  const Tensor& w = require_f32(c, 1);
  const ConvTransposeParams p = resolve(c.node, x.shape(), w.shape());
  const float* bias = nullptr;
  if (c.has(2)) {
    ECO_CHECK(require_f32(c, 2).numel() == p.c_out, "{}: bias must hold {} values", c.node.describe(), p.c_out);
    bias = c.in(2).data<float>();
  }
  const size_t s = p.in.size();
  const int64_t in_plane = shape_numel(p.in), out_plane = shape_numel(p.out), k_plane = shape_numel(p.k);
  const int64_t cin_g = p.c_in / p.groups, cout_g = p.c_out / p.groups;
  std::vector<double> acc(static_cast<size_t>(p.n * p.c_out * out_plane), 0.0);
  const float* px = x.data<float>();
  const float* pw = w.data<float>();
  std::vector<int64_t> ic(s), kc(s);
  for (int64_t b = 0; b < p.n; ++b)
    for (int64_t ci = 0; ci < p.c_in; ++ci) {
      const int64_t g = ci / cin_g;
      for (int64_t ii = 0; ii < in_plane; ++ii) {
        for (int64_t r = ii, d = static_cast<int64_t>(s) - 1; d >= 0; --d) ic[d] = r % p.in[d], r /= p.in[d];
        const double xv = px[(b * p.c_in + ci) * in_plane + ii];
        for (int64_t kk = 0; kk < k_plane; ++kk) {
          int64_t o = 0;
          bool inside = true;
          for (int64_t r = kk, d = static_cast<int64_t>(s) - 1; d >= 0; --d) kc[d] = r % p.k[d], r /= p.k[d];
          for (size_t d = 0; d < s && inside; ++d) {
            const int64_t od = ic[d] * p.stride[d] + kc[d] * p.dil[d] - p.pad_begin[d];
            inside = od >= 0 && od < p.out[d];
            o = o * p.out[d] + od;
          }
          if (!inside) continue;
          for (int64_t m = 0; m < cout_g; ++m)
            acc[(b * p.c_out + g * cout_g + m) * out_plane + o] += xv * pw[(ci * cout_g + m) * k_plane + kk];
        }
      }
    }
  Tensor y = Tensor::empty(DType::f32, p.out_shape);
  float* py = y.data<float>();
  for (size_t i = 0; i < acc.size(); ++i)
    py[i] = static_cast<float>(acc[i] + (bias ? bias[(i / out_plane) % p.c_out] : 0.f));
  return {y};
}

std::vector<TensorMeta> conv_transpose_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return one_meta(DType::f32, resolve(n, in[0].shape, in[1].shape).out_shape);
}

int64_t conv_transpose_macs(const Node& n, const std::vector<TensorMeta>& in, const std::vector<TensorMeta>&) {
  // Every input element meets every weight of its group's output channels.
  return shape_numel(in[0].shape) * (shape_numel(in[1].shape) / std::max<int64_t>(1, in[1].shape[0]));
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "ConvTranspose", .min_inputs = 2, .max_inputs = 3, .reference = conv_transpose_ref,
                         .infer = conv_transpose_infer, .macs = conv_transpose_macs});
}  // namespace ecoinfer::ops
