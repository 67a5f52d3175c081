#include "ops/quantize_common.h"
#include "ops/window_nd.h"

namespace ecoinfer::ops {
namespace {

// y = saturate(round_half_even((conv(x - x_zp, w - w_zp) + B) * x_scale * w_scale / y_scale)
// + y_zp): the integer convolution exact, the rescale in double; w_scale and w_zp per output
// channel or per tensor; B is int32 in the accumulator's scale.
std::vector<Tensor> qlinear_conv_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const Tensor& w = c.in(3);
  ECO_CHECK(w.rank() >= 3, "{}: weight {} must be [M, C/group, K...]", c.node.describe(), shape_str(w.shape()));
  const int64_t cout = w.dim(0), per_out = w.numel() / std::max<int64_t>(1, cout);
  const QuantParams xq = quant_params(c.node, x.shape(), c.in(1), &c.in(2), 1);
  const QuantParams wq = quant_params(c.node, w.shape(), c.in(4), &c.in(5), 0);
  ECO_CHECK(xq.scale.size() == 1, "{}: x_scale must hold one value", c.node.describe());
  std::vector<int64_t> xv = x.to_i64_vector(), wv = w.to_i64_vector();
  for (int64_t i = 0; i < x.numel(); ++i) xv[i] -= xq.zero_at(i);
  for (int64_t i = 0; i < w.numel(); ++i) wv[i] -= wq.zero_at(i);
  Shape out;
  const std::vector<int64_t> acc = conv_integer_nd(c.node, x.shape(), xv, w.shape(), wv, &out);
  std::vector<int64_t> bias(static_cast<size_t>(cout), 0);
  if (c.has(8)) {
    bias = c.in(8).to_i64_vector();
    ECO_CHECK(static_cast<int64_t>(bias.size()) == cout, "{}: B must hold {} values", c.node.describe(), cout);
  }
  const int64_t plane = shape_numel(out) / std::max<int64_t>(1, out[0] * cout);
  std::vector<double> real(acc.size());
  for (size_t i = 0; i < acc.size(); ++i) {
    const int64_t oc = static_cast<int64_t>(i) / plane % cout;
    real[i] = static_cast<double>(acc[i] + bias[oc]) * xq.scale[0] * wq.scale_at(oc * per_out);
  }
  const QuantParams yq = quant_params(c.node, out, c.in(6), &c.in(7), 1);
  return {quantize_to(c.in(7).dtype(), out, real, yq, c.node)};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "QLinearConv", .min_inputs = 8, .max_inputs = 9, .reference = qlinear_conv_ref});
}  // namespace ecoinfer::ops
