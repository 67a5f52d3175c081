#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// The upper (default) or lower triangle of each matrix in the last two axes, relative to
// diagonal k (second input, default 0): element (i, j) is kept when j - i >= k (upper) or
// j - i <= k (lower), else 0.
std::vector<Tensor> trilu_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  ECO_CHECK(x.rank() >= 2, "{}: input must have rank >= 2, got {}", c.node.describe(), shape_str(x.shape()));
  int64_t k = 0;
  if (c.has(1)) {
    auto kv = input_ints(c, 1, "k");
    ECO_CHECK(kv.size() == 1, "{}: k must hold one value", c.node.describe());
    k = kv[0];
  }
  const bool upper = c.node.attr_int("upper", 1) != 0;
  const int64_t rows = x.dim(-2), cols = x.dim(-1);
  Tensor y = x.clone();
  const size_t esz = dtype_size(x.dtype());
  auto* py = static_cast<std::byte*>(y.raw());
  const int64_t matrices = rows > 0 && cols > 0 ? x.numel() / (rows * cols) : 0;
  for (int64_t m = 0; m < matrices; ++m)
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) {
        // j - i in 128 bits: k comes from the file and may be anything.
        const __int128 diag = __int128(j) - i;
        if (upper ? diag < k : diag > k) std::memset(py + ((m * rows + i) * cols + j) * esz, 0, esz);
      }
  return {y};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Trilu", .min_inputs = 1, .max_inputs = 2, .reference = trilu_ref,
                         .infer = same_as_input0});
}  // namespace ecoinfer::ops
