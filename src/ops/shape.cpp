#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// Opset 15 start/end select a range of dimensions; both clamp to [0, rank].
std::pair<int64_t, int64_t> shape_range(const Node& n, int64_t r) {
  auto clamp = [r](int64_t v) { return std::min(std::max<int64_t>(v < 0 ? v + r : v, 0), r); };
  const int64_t start = clamp(n.attr_int("start", 0));
  const int64_t end = n.has_attr("end") ? clamp(n.attr_int("end")) : r;
  return {start, std::max(start, end)};
}

std::vector<Tensor> shape_ref(OpContext& c) {
  const Shape& s = c.in(0).shape();
  auto [start, end] = shape_range(c.node, static_cast<int64_t>(s.size()));
  std::vector<int64_t> v(s.begin() + start, s.begin() + end);
  return {Tensor::from<int64_t>({static_cast<int64_t>(v.size())}, v)};
}

std::vector<TensorMeta> shape_infer(const Node& n, const std::vector<TensorMeta>& in) {
  auto [start, end] = shape_range(n, static_cast<int64_t>(in[0].shape.size()));
  return one_meta(DType::i64, {end - start});
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Shape", .reference = shape_ref, .infer = shape_infer, .value_from_shapes = true});
}  // namespace ecoinfer::ops
