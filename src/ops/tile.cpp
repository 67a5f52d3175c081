#include "ops/op_util.h"
#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

Shape tile_shape(const Node& n, const Shape& in, const std::vector<int64_t>& repeats) {
  ECO_CHECK(repeats.size() == in.size(), "{}: repeats has {} values for an input of rank {}", n.describe(),
            repeats.size(), in.size());
  Shape out(in.size());
  for (size_t d = 0; d < in.size(); ++d) {
    ECO_CHECK(repeats[d] >= 0, "{}: repeat {} is negative", n.describe(), repeats[d]);
    ECO_CHECK(in[d] == 0 || repeats[d] <= (int64_t{1} << 40) / in[d], "{}: repeats {} make the output too large",
              n.describe(), shape_str(repeats));
    out[d] = in[d] * repeats[d];
  }
  return out;
}

std::vector<Tensor> tile_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  Shape out = tile_shape(c.node, x.shape(), input_ints(c, 1, "repeats"));
  check_output_size(c.node, x.dtype(), out);  // repeats come from the file
  // An empty output needs no index tables (one of its other dimensions may still be huge).
  for (int64_t d : out)
    if (d == 0) return {Tensor::empty(x.dtype(), out)};
  auto st = contiguous_strides(x.shape());
  std::vector<std::vector<int64_t>> offs(out.size());
  for (size_t d = 0; d < out.size(); ++d)
    for (int64_t o = 0; o < out[d]; ++o) offs[d].push_back((o % x.shape()[d]) * st[d]);
  return {strided_gather(x, out, offs)};
}

std::vector<TensorMeta> tile_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return one_meta(in[0].dtype, tile_shape(n, in[0].shape, const_input_ints(n, in, 1, "repeats")));
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Tile", .min_inputs = 2, .max_inputs = 2, .reference = tile_ref,
                         .infer = tile_infer});
}  // namespace ecoinfer::ops
