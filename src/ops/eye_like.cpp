#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

DType eye_like_type(const Node& n, DType input) {
  if (!n.has_attr("dtype")) return input;
  return dtype_from_onnx(static_cast<int>(n.attr_int("dtype")), n.describe() + ": attribute 'dtype'");
}

// A 2-D tensor of the input's shape with ones on diagonal k (j - i == k), zeros elsewhere.
std::vector<Tensor> eye_like_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  ECO_CHECK(x.rank() == 2, "{}: input must be 2-D, got {}", c.node.describe(), shape_str(x.shape()));
  const DType to = eye_like_type(c.node, x.dtype());
  const int64_t k = c.node.attr_int("k", 0);
  Tensor y = Tensor::zeros(to, x.shape());
  visit_dtype<ComparableTypes>(to, c.node, "output type", [&](auto t) {
    using T = decltype(t);
    T* py = y.data<T>();
    for (int64_t i = 0; i < x.dim(0); ++i) {
      const __int128 j = __int128(i) + k;  // 128 bits: k comes from the file
      if (j >= 0 && j < x.dim(1)) py[i * x.dim(1) + static_cast<int64_t>(j)] = static_cast<T>(1);
    }
    return 0;
  });
  return {y};
}

std::vector<TensorMeta> eye_like_infer(const Node& n, const std::vector<TensorMeta>& in) {
  return one_meta(eye_like_type(n, in[0].dtype), in[0].shape);
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "EyeLike", .reference = eye_like_ref, .infer = eye_like_infer});
}  // namespace ecoinfer::ops
