// com.ecoinfer FusedLinear (made by the compile pipeline): Y = act(X W + b), X [..., K],
// W constant [K, N], b [N] optional ("" when absent).
#include "ops/fused_epilogue.h"
#include "ops/matmul.h"

namespace ecoinfer::ops {
namespace {

std::vector<Tensor> fused_linear_ref(OpContext& c) {
  Node mm = c.node;
  mm.op_type = "MatMul";
  mm.domain.clear();
  mm.inputs.resize(2);
  OpContext inner{mm, {c.inputs[0], c.inputs[1]}, c.threads, nullptr};
  std::vector<Tensor> y = find_op("", "MatMul")->reference(inner);
  apply_epilogue_reference(c.node, y[0], c.has(2) ? &c.in(2) : nullptr);
  return y;
}

}  // namespace

ECO_REGISTER_OP(OpSchema{.domain = kEcoDomain, .op_type = "FusedLinear", .min_inputs = 2, .max_inputs = 3,
                         .reference = fused_linear_ref,
                         .infer = [](const Node& n, const std::vector<TensorMeta>& in) {
                           return std::vector<TensorMeta>{{DType::f32, resolve_matmul(n, in[0].shape, in[1].shape).out_shape, nullptr}};
                         },
                         .macs = [](const Node& n, const std::vector<TensorMeta>& in, const std::vector<TensorMeta>&) {
                           auto s = resolve_matmul(n, in[0].shape, in[1].shape);
                           return s.batch_count * s.m * s.n * s.k;
                         }});

}  // namespace ecoinfer::ops
