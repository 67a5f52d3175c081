#include "ops/nll_loss.h"

namespace ecoinfer::ops {

Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor* weight, const Node& n) {
  ECO_CHECK(input.rank() >= 2, "{}: input {} must be [N, C, ...]", n.describe(), shape_str(input.shape()));
  Shape want = input.shape();
  want.erase(want.begin() + 1);
  ECO_CHECK(target.shape() == want, "{}: target {} must be {} for input {}", n.describe(), shape_str(target.shape()),
            shape_str(want), shape_str(input.shape()));
  ECO_CHECK(target.dtype() == DType::i64 || target.dtype() == DType::i32, "{}: target must be int64 or int32, got {}",
            n.describe(), dtype_name(target.dtype()));
  const int64_t nb = input.dim(0), ch = input.dim(1), inner = shape_numel(want) / std::max<int64_t>(1, nb);
  ECO_CHECK(!weight || weight->numel() == ch, "{}: weight must hold {} values", n.describe(), ch);
  const std::string reduction = n.attr_string("reduction", "mean");
  ECO_CHECK(reduction == "none" || reduction == "sum" || reduction == "mean", "{}: unknown reduction '{}'", n.describe(),
            reduction);
  const bool has_ignore = n.has_attr("ignore_index");
  const int64_t ignore = n.attr_int("ignore_index", 0);
  const std::vector<int64_t> tv = target.to_i64_vector();
  return visit_dtype<FloatTypes>(input.dtype(), n, "input", [&](auto t) {
    using T = decltype(t);
    const T* px = input.data<T>();
    std::vector<double> w;
    if (weight) {
      ECO_CHECK(weight->dtype() == input.dtype(), "{}: weight type differs from the input's", n.describe());
      for (int64_t k = 0; k < ch; ++k) w.push_back(static_cast<double>(weight->data<T>()[k]));
    }
    std::vector<double> loss(tv.size());
    double total = 0, total_weight = 0;
    for (int64_t b = 0; b < nb; ++b)
      for (int64_t i = 0; i < inner; ++i) {
        const int64_t at = b * inner + i, cls = tv[at];
        if (has_ignore && cls == ignore) continue;
        ECO_CHECK(cls >= 0 && cls < ch, "{}: target {} is out of range for {} classes", n.describe(), cls, ch);
        const double wt = weight ? w[cls] : 1.0;
        loss[at] = -static_cast<double>(px[(b * ch + cls) * inner + i]) * wt;
        total += loss[at];
        total_weight += wt;
      }
    if (reduction == "none") {
      Tensor y = Tensor::empty(input.dtype(), want);
      for (size_t k = 0; k < loss.size(); ++k) y.data<T>()[k] = static_cast<T>(loss[k]);
      return y;
    }
    return Tensor::scalar<T>(static_cast<T>(reduction == "sum" ? total : total / total_weight));
  });
}

namespace {
std::vector<Tensor> nll_loss_ref(OpContext& c) {
  return {nll_loss(c.in(0), c.in(1), c.has(2) ? &c.in(2) : nullptr, c.node)};
}
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "NegativeLogLikelihoodLoss", .min_inputs = 2, .max_inputs = 3,
                         .reference = nll_loss_ref});
}  // namespace ecoinfer::ops
