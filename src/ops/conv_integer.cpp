#include "ops/tensor_util.h"
#include "ops/window_nd.h"

namespace ecoinfer::ops {
namespace {

// int32 convolution of (x - x_zero_point) and (w - w_zero_point), exact (int64 sums); the
// weight zero point is one value or one per output channel.
std::vector<Tensor> conv_integer_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const Tensor& w = c.in(1);
  std::vector<int64_t> xv = x.to_i64_vector(), wv = w.to_i64_vector();
  const std::vector<int64_t> xz = c.has(2) ? c.in(2).to_i64_vector() : std::vector<int64_t>{0};
  const std::vector<int64_t> wz = c.has(3) ? c.in(3).to_i64_vector() : std::vector<int64_t>{0};
  ECO_CHECK(xz.size() == 1, "{}: x_zero_point must hold one value", c.node.describe());
  ECO_CHECK(w.rank() >= 3 && (wz.size() == 1 || static_cast<int64_t>(wz.size()) == w.dim(0)),
            "{}: w_zero_point must hold 1 or {} values", c.node.describe(), w.rank() >= 1 ? w.dim(0) : 0);
  for (int64_t& v : xv) v -= xz[0];
  const int64_t per_out = w.numel() / std::max<int64_t>(1, w.dim(0));
  for (int64_t i = 0; i < w.numel(); ++i) wv[i] -= wz[wz.size() == 1 ? 0 : i / per_out];
  Shape out;
  const std::vector<int64_t> acc = conv_integer_nd(c.node, x.shape(), xv, w.shape(), wv, &out);
  Tensor y = Tensor::empty(DType::i32, out);
  for (size_t i = 0; i < acc.size(); ++i) y.data<int32_t>()[i] = saturate_cast<int32_t>(static_cast<double>(acc[i]));
  return {y};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "ConvInteger", .min_inputs = 2, .max_inputs = 4, .reference = conv_integer_ref});
}  // namespace ecoinfer::ops
