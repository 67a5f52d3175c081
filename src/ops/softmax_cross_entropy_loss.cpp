#include "ops/nll_loss.h"

namespace ecoinfer::ops {
namespace {

// log_prob = log_softmax(scores) along axis 1 (in double), loss = NegativeLogLikelihoodLoss
// of log_prob with the same labels, weights, reduction and ignore_index; the second output
// is log_prob.
std::vector<Tensor> sce_loss_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  ECO_CHECK(x.rank() >= 2, "{}: scores {} must be [N, C, ...]", c.node.describe(), shape_str(x.shape()));
  const AxisSplit s = split_at_axis(x.shape(), 1);
  Tensor logp = Tensor::empty(x.dtype(), x.shape());
  visit_dtype<FloatTypes>(x.dtype(), c.node, "scores", [&](auto t) {
    using T = decltype(t);
    const T* px = x.data<T>();
    T* pl = logp.data<T>();
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t in = 0; in < s.inner; ++in) {
        const int64_t base = o * s.len * s.inner + in;
        double mx = -std::numeric_limits<double>::infinity(), sum = 0;
        for (int64_t k = 0; k < s.len; ++k) mx = std::max<double>(mx, px[base + k * s.inner]);
        for (int64_t k = 0; k < s.len; ++k) sum += std::exp(px[base + k * s.inner] - mx);
        for (int64_t k = 0; k < s.len; ++k) pl[base + k * s.inner] = static_cast<T>(px[base + k * s.inner] - mx - std::log(sum));
      }
    return 0;
  });
  return {nll_loss(logp, c.in(1), c.has(2) ? &c.in(2) : nullptr, c.node), logp};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "SoftmaxCrossEntropyLoss", .min_inputs = 2, .max_inputs = 3, .max_outputs = 2,
                         .reference = sce_loss_ref});
}  // namespace ecoinfer::ops
