#include "ops/tensor_util.h"

#include <cstring>

namespace ecoinfer::ops {
namespace {

// Inference: the output is the input and the optional mask is all true. ratio and
// training_mode inputs (opset >= 12) are accepted; training mode with a non-zero ratio is
// refused. Training mode with ratio 0 is an identity (torchvision 0.14's Swin exports it).
std::vector<Tensor> dropout_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  if (c.has(2)) {
    const Tensor& t = c.in(2);
    ECO_CHECK(t.dtype() == DType::boolean && t.numel() == 1, "{}: training_mode must be one bool", c.node.describe());
    const bool ratio_zero = c.has(1) && c.in(1).numel() == 1 && c.in(1).to_f32_vector()[0] == 0.f;
    ECO_CHECK(!t.data<bool>()[0] || ratio_zero, "{}: training mode with a non-zero ratio is not supported (inference only)",
              c.node.describe());
  }
  std::vector<Tensor> outs{x};
  if (c.node.outputs.size() > 1) {
    Tensor mask = Tensor::empty(DType::boolean, x.shape());
    std::memset(mask.raw(), 1, mask.nbytes());
    outs.push_back(mask);
  }
  return outs;
}

std::vector<TensorMeta> dropout_infer(const Node&, const std::vector<TensorMeta>& in) {
  return {TensorMeta{in[0].dtype, in[0].shape, nullptr}, TensorMeta{DType::boolean, in[0].shape, nullptr}};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Dropout", .min_inputs = 1, .max_inputs = 3, .max_outputs = 2,
                         .reference = dropout_ref, .infer = dropout_infer, .output_views_input = true});
}  // namespace ecoinfer::ops
