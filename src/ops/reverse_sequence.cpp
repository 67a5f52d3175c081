#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// For each batch index b (along batch_axis), the first sequence_lens[b] elements along
// time_axis are reversed; the rest is copied.
std::vector<Tensor> reverse_sequence_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  const std::vector<int64_t> lens = input_ints(c, 1, "sequence_lens");
  ECO_CHECK(x.rank() >= 2, "{}: input must have rank >= 2", c.node.describe());
  const int64_t batch_axis = normalize_axis(c.node.attr_int("batch_axis", 1), x.rank(), c.node);
  const int64_t time_axis = normalize_axis(c.node.attr_int("time_axis", 0), x.rank(), c.node);
  ECO_CHECK(batch_axis != time_axis && (batch_axis == 0 || batch_axis == 1) && (time_axis == 0 || time_axis == 1),
            "{}: batch_axis and time_axis must be 0 and 1", c.node.describe());
  const int64_t batch = x.dim(static_cast<int>(batch_axis)), time = x.dim(static_cast<int>(time_axis));
  ECO_CHECK(static_cast<int64_t>(lens.size()) == batch, "{}: {} sequence lengths for a batch of {}", c.node.describe(),
            lens.size(), batch);
  for (int64_t l : lens) ECO_CHECK(l >= 0 && l <= time, "{}: sequence length {} outside [0, {}]", c.node.describe(), l, time);
  // Axes 0 and 1 are batch and time: the source time index depends on the batch, so walk
  // them in pairs and gather the rest of each [b, t] slice whole.
  const auto st = contiguous_strides(x.shape());
  const int64_t slice = x.numel() / std::max<int64_t>(1, batch * time);
  Tensor y = Tensor::empty(x.dtype(), x.shape());
  const size_t esz = dtype_size(x.dtype());
  const auto* px = static_cast<const std::byte*>(x.raw());
  auto* py = static_cast<std::byte*>(y.raw());
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t t = 0; t < time; ++t) {
      const int64_t src_t = t < lens[b] ? lens[b] - 1 - t : t;
      const int64_t dst = b * st[batch_axis] + t * st[time_axis], src = b * st[batch_axis] + src_t * st[time_axis];
      std::memcpy(py + dst * esz, px + src * esz, static_cast<size_t>(slice) * esz);
    }
  return {y};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "ReverseSequence", .min_inputs = 2, .max_inputs = 2,
                         .reference = reverse_sequence_ref, .infer = same_as_input0});
}  // namespace ecoinfer::ops
