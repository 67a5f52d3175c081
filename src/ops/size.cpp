#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {
std::vector<Tensor> size_ref(OpContext& c) { return {Tensor::scalar<int64_t>(c.in(0).numel())}; }
std::vector<TensorMeta> size_infer(const Node&, const std::vector<TensorMeta>&) { return one_meta(DType::i64, {}); }
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Size", .reference = size_ref, .infer = size_infer, .value_from_shapes = true});
}  // namespace ecoinfer::ops
