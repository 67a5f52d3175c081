#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// The unpooled shape: spatial sizes (in - 1) * stride + kernel - pads, the inverse of
// MaxPool's.
Shape max_unpool_shape(const Node& n, const Shape& x) {
  ECO_CHECK(x.size() >= 3, "{}: input {} must be [N, C, D...]", n.describe(), shape_str(x));
  const size_t s = x.size() - 2;
  const auto k = n.attr_ints("kernel_shape");
  const auto strides = n.attr_ints("strides", std::vector<int64_t>(s, 1));
  const auto pads = n.attr_ints("pads", std::vector<int64_t>(2 * s, 0));
  ECO_CHECK(k.size() == s && strides.size() == s && pads.size() == 2 * s, "{}: kernel_shape, strides and pads must have "
            "{} (pads {}) values", n.describe(), s, 2 * s);
  Shape out{x[0], x[1]};
  for (size_t i = 0; i < s; ++i) {
    const __int128 v = __int128(x[i + 2] - 1) * strides[i] + k[i] - pads[i] - pads[i + s];  // attributes may be huge
    ECO_CHECK(v >= 0 && v <= (__int128(1) << 40), "{}: output size {} along spatial axis {}", n.describe(),
              static_cast<long long>(v), i);
    out.push_back(static_cast<int64_t>(v));
  }
  return out;
}

// Zeros, with each X value written where its index I points. I holds flat positions in the
// unpooled shape (MaxPool's Indices); with the output_shape input, the output is that shape
// and each position keeps its coordinates (the extra rows and columns stay 0), as ONNX's
// reference and ONNX Runtime place them.
std::vector<Tensor> max_unpool_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const std::vector<int64_t> idx = input_ints(c, 1, "I");
  ECO_CHECK(c.in(1).shape() == x.shape(), "{}: indices {} must have X's shape {}", c.node.describe(),
            shape_str(c.in(1).shape()), shape_str(x.shape()));
  const Shape pooled = max_unpool_shape(c.node, x.shape());
  Shape out = pooled;
  if (c.has(2)) {
    out = input_ints(c, 2, "output_shape");
    ECO_CHECK(out.size() == pooled.size(), "{}: output_shape must have {} values", c.node.describe(), pooled.size());
    for (size_t d = 0; d < out.size(); ++d)
      ECO_CHECK(out[d] >= pooled[d] && (d >= 2 || out[d] == pooled[d]), "{}: output_shape {} is smaller than the "
                "unpooled shape {}", c.node.describe(), shape_str(out), shape_str(pooled));
  }
  check_output_size(c.node, x.dtype(), out);
  Tensor y = Tensor::zeros(x.dtype(), out);
  const auto pst = contiguous_strides(pooled), ost = contiguous_strides(out);
  const size_t esz = dtype_size(x.dtype());
  for (int64_t i = 0; i < x.numel(); ++i) {
    ECO_CHECK(idx[i] >= 0 && idx[i] < shape_numel(pooled), "{}: index {} is outside the unpooled shape {}",
              c.node.describe(), idx[i], shape_str(pooled));
    int64_t at = 0;
    for (size_t d = 0; d < pooled.size(); ++d) at += idx[i] / pst[d] % pooled[d] * ost[d];
    std::memcpy(static_cast<std::byte*>(y.raw()) + at * esz, static_cast<const std::byte*>(x.raw()) + i * esz, esz);
  }
  return {y};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "MaxUnpool", .min_inputs = 2, .max_inputs = 3, .reference = max_unpool_ref});
}  // namespace ecoinfer::ops
