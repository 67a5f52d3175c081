#include "ops/pool.h"

#include "ops/cast.h"
#include "ops/window_nd.h"

#include <limits>

namespace ecoinfer::ops {

PoolParams resolve_pool(const Node& n, const Shape& x) {
  ECO_CHECK(x.size() == 3 || x.size() == 4, "{}: input rank {} is not supported (1-D, 2-D and 3-D pooling are)",
            n.describe(), x.size());
  const size_t s = x.size() - 2;
  PoolParams p;
  auto k = n.attr_ints("kernel_shape");
  ECO_CHECK(k.size() == s, "{}: kernel_shape must have {} values", n.describe(), s);
  auto stride = n.attr_ints("strides", std::vector<int64_t>(s, 1));
  auto dil = n.attr_ints("dilations", std::vector<int64_t>(s, 1));
  ECO_CHECK(stride.size() == s && dil.size() == s, "{}: strides/dilations must have {} values", n.describe(), s);
  for (size_t i = 0; i < s; ++i)
    ECO_CHECK(stride[i] >= 1 && dil[i] >= 1 && k[i] >= 1, "{}: kernel, strides and dilations must be positive",
              n.describe());
  std::vector<int64_t> in(x.begin() + 2, x.end());
  auto pads = n.attr_ints("pads", {});
  resolve_auto_pad(n, in, k, stride, dil, pads);
  p.ceil_mode = n.attr_int("ceil_mode", 0) != 0;
  p.count_include_pad = n.attr_int("count_include_pad", 0) != 0;
  p.n = x[0];
  p.c = x[1];
  if (s == 1) {
    p.h = 1; p.w = in[0]; p.kw = k[0]; p.stride_w = stride[0]; p.dil_w = dil[0]; p.pad_l = pads[0]; p.pad_r = pads[1];
  } else {
    p.h = in[0]; p.w = in[1]; p.kh = k[0]; p.kw = k[1];
    p.stride_h = stride[0]; p.stride_w = stride[1]; p.dil_h = dil[0]; p.dil_w = dil[1];
    p.pad_t = pads[0]; p.pad_l = pads[1]; p.pad_b = pads[2]; p.pad_r = pads[3];
  }
  p.oh = window_out_size(p.h, p.kh, p.stride_h, p.dil_h, p.pad_t, p.pad_b, p.ceil_mode);
  p.ow = window_out_size(p.w, p.kw, p.stride_w, p.dil_w, p.pad_l, p.pad_r, p.ceil_mode);
  ECO_CHECK(p.oh > 0 && p.ow > 0, "{}: input {} is too small for the pooling window", n.describe(), shape_str(x));
  p.out_shape = s == 1 ? Shape{p.n, p.c, p.ow} : Shape{p.n, p.c, p.oh, p.ow};
  check_output_size(n, DType::f32, p.out_shape);
  return p;
}

namespace {

template <bool Max>
std::vector<Tensor> pool_ref(OpContext& c) {
  if (c.has(0) && c.in(0).rank() == 5) return pool_nd_reference(c, Max);  // 3-D pooling
  const DType in_type = c.has(0) ? c.in(0).dtype() : DType::f32;
  if (Max && (in_type == DType::u8 || in_type == DType::i8)) {
    // 8-bit integers are exact in float32: pool there and convert the values back.
    const Tensor wide = cast_to(c.in(0), DType::f32, c.node);
    OpContext w{c.node, {&wide}, c.threads, nullptr};
    std::vector<Tensor> out = pool_ref<Max>(w);
    out[0] = cast_to(out[0], in_type, c.node);
    return out;
  }
  const Tensor& x = require_f32(c, 0);
  PoolParams p = resolve_pool(c.node, x.shape());
  // MaxPool's Indices: flat positions in the input, row-major, or with storage_order=1
  // column-major within each H x W plane (ONNX MaxPool).
  const bool want_indices = Max && c.node.outputs.size() >= 2 && !c.node.outputs[1].empty();
  ECO_CHECK(Max || c.node.attr_int("storage_order", 0) == 0, "{}: storage_order is a MaxPool attribute",
            c.node.describe());
  const bool column_major = c.node.attr_int("storage_order", 0) != 0;
  Tensor y = Tensor::empty(DType::f32, p.out_shape);
  Tensor indices = want_indices ? Tensor::empty(DType::i64, p.out_shape) : Tensor();
  const float* px = x.data<float>();
  float* py = y.data<float>();
  for (int64_t nc = 0; nc < p.n * p.c; ++nc)
    for (int64_t oy = 0; oy < p.oh; ++oy)
      for (int64_t ox = 0; ox < p.ow; ++ox) {
        double acc = Max ? -std::numeric_limits<double>::infinity() : 0.0;
        int64_t count = 0, padded = 0, best = -1;
        for (int64_t ky = 0; ky < p.kh; ++ky) {
          const int64_t iy = oy * p.stride_h - p.pad_t + ky * p.dil_h;
          for (int64_t kx = 0; kx < p.kw; ++kx) {
            const int64_t ix = ox * p.stride_w - p.pad_l + kx * p.dil_w;
            // count_include_pad counts explicit padding, not the ceil_mode overhang (PyTorch).
            if (iy < p.h + p.pad_b && ix < p.w + p.pad_r) ++padded;
            if (iy < 0 || iy >= p.h || ix < 0 || ix >= p.w) continue;
            const float v = px[(nc * p.h + iy) * p.w + ix];
            if (Max) {
              if (v > acc || (std::isnan(v) && !std::isnan(acc)) || best < 0) {
                acc = v;
                best = nc * p.h * p.w + (column_major ? ix * p.h + iy : iy * p.w + ix);
              }
            } else {
              acc += v;
            }
            ++count;
          }
        }
        float out;
        if (Max) out = static_cast<float>(acc);
        else {
          const int64_t div = p.count_include_pad ? padded : count;
          out = div ? static_cast<float>(acc / div) : 0.f;
        }
        py[(nc * p.oh + oy) * p.ow + ox] = out;
        if (want_indices) indices.data<int64_t>()[(nc * p.oh + oy) * p.ow + ox] = best;
      }
  if (want_indices) return {y, indices};
  return {y};
}

std::vector<TensorMeta> pool_infer(const Node& n, const std::vector<TensorMeta>& in) {
  const Shape out = in[0].shape.size() == 5 ? pool_nd_shape(n, in[0].shape) : resolve_pool(n, in[0].shape).out_shape;
  return {TensorMeta{in[0].dtype, out, nullptr}, TensorMeta{DType::i64, out, nullptr}};
}

template <bool Max>
std::vector<Tensor> global_pool_ref(OpContext& c) {
  const Tensor& x = require_f32(c, 0);
  ECO_CHECK(x.rank() >= 3, "{}: input must have rank >= 3", c.node.describe());
  Shape out = x.shape();
  int64_t inner = 1;
  for (int d = 2; d < x.rank(); ++d) {
    inner *= out[d];
    out[d] = 1;
  }
  ECO_CHECK(inner > 0, "{}: empty spatial dimensions", c.node.describe());
  Tensor y = Tensor::empty(DType::f32, out);
  const float* px = x.data<float>();
  float* py = y.data<float>();
  for (int64_t nc = 0; nc < x.dim(0) * x.dim(1); ++nc) {
    double acc = Max ? -std::numeric_limits<double>::infinity() : 0.0;
    for (int64_t i = 0; i < inner; ++i) acc = Max ? std::max<double>(acc, px[nc * inner + i]) : acc + px[nc * inner + i];
    py[nc] = static_cast<float>(Max ? acc : acc / inner);
  }
  return {y};
}

std::vector<TensorMeta> global_pool_infer(const Node&, const std::vector<TensorMeta>& in) {
  Shape out = in[0].shape;
  for (size_t d = 2; d < out.size(); ++d) out[d] = 1;
  return {TensorMeta{DType::f32, out, nullptr}};
}

}  // namespace

ECO_REGISTER_OP(OpSchema{.op_type = "MaxPool", .min_inputs = 1, .max_inputs = 1, .max_outputs = 2,
                         .reference = pool_ref<true>, .infer = pool_infer});
ECO_REGISTER_OP(OpSchema{.op_type = "AveragePool", .min_inputs = 1, .max_inputs = 1, .reference = pool_ref<false>,
                         .infer = pool_infer});
ECO_REGISTER_OP(OpSchema{.op_type = "GlobalAveragePool", .min_inputs = 1, .max_inputs = 1,
                         .reference = global_pool_ref<false>, .infer = global_pool_infer});
ECO_REGISTER_OP(OpSchema{.op_type = "GlobalMaxPool", .min_inputs = 1, .max_inputs = 1,
                         .reference = global_pool_ref<true>, .infer = global_pool_infer});

}  // namespace ecoinfer::ops
