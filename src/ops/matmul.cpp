#include "ops/matmul.h"

#include "ops/compute_dtype.h"
#include "ops/weight_format.h"

namespace ecoinfer::ops {

MatMulShape resolve_matmul(const Node& node, const Shape& a_in, const Shape& b_in) {
  ECO_CHECK(!a_in.empty() && !b_in.empty(), "{}: MatMul inputs must have rank >= 1", node.describe());
  // numpy: a 1-D left operand is a row vector, a 1-D right operand a column vector; the
  // inserted dimension is removed from the output.
  Shape a = a_in.size() == 1 ? Shape{1, a_in[0]} : a_in;
  Shape b = b_in.size() == 1 ? Shape{b_in[0], 1} : b_in;
  MatMulShape r;
  r.m = a[a.size() - 2];
  r.k = a[a.size() - 1];
  r.n = b[b.size() - 1];
  ECO_CHECK(b[b.size() - 2] == r.k, "{}: inner dimensions differ: {} x {}", node.describe(), shape_str(a_in),
            shape_str(b_in));
  Shape ab(a.begin(), a.end() - 2), bb(b.begin(), b.end() - 2);
  r.batch = broadcast_shapes(ab, bb, node);
  r.batch_count = shape_numel(r.batch);
  auto sa = broadcast_strides(ab, r.batch), sb = broadcast_strides(bb, r.batch);
  std::vector<int64_t> idx(r.batch.size(), 0);
  for (int64_t i = 0; i < r.batch_count; ++i) {
    int64_t oa = 0, ob = 0;
    for (size_t d = 0; d < idx.size(); ++d) {
      oa += idx[d] * sa[d];
      ob += idx[d] * sb[d];
    }
    r.a_offsets.push_back(oa * r.m * r.k);
    r.b_offsets.push_back(ob * r.k * r.n);
    for (int d = static_cast<int>(idx.size()) - 1; d >= 0; --d) {
      if (++idx[d] < r.batch[d]) break;
      idx[d] = 0;
    }
  }
  r.out_shape = r.batch;
  if (a_in.size() > 1) r.out_shape.push_back(r.m);
  if (b_in.size() > 1) r.out_shape.push_back(r.n);
  return r;
}

GemmShape resolve_gemm(const Node& node, const Shape& a, const Shape& b) {
  ECO_CHECK(a.size() == 2 && b.size() == 2, "{}: Gemm needs 2-D inputs, got {} and {}", node.describe(), shape_str(a),
            shape_str(b));
  GemmShape g;
  g.trans_a = node.attr_int("transA", 0) != 0;
  g.trans_b = node.attr_int("transB", 0) != 0;
  g.alpha = node.attr_float("alpha", 1.f);
  g.beta = node.attr_float("beta", 1.f);
  g.m = g.trans_a ? a[1] : a[0];
  g.k = g.trans_a ? a[0] : a[1];
  const int64_t kb = g.trans_b ? b[1] : b[0];
  g.n = g.trans_b ? b[0] : b[1];
  ECO_CHECK(kb == g.k, "{}: inner dimensions differ: A {} (transA={}) and B {} (transB={})", node.describe(),
            shape_str(a), g.trans_a, shape_str(b), g.trans_b);
  return g;
}

void gemm_add_c(const Node& node, const Tensor* c, float beta, float* out, int64_t m, int64_t n) {
  if (!c || beta == 0.f) return;
  ECO_CHECK(c->dtype() == DType::f32, "{}: C must be float32", node.describe());
  Shape target{m, n};
  ECO_CHECK(broadcast_shapes(c->shape(), target, node) == target, "{}: C {} does not broadcast to [{}, {}]",
            node.describe(), shape_str(c->shape()), m, n);
  auto st = broadcast_strides(c->shape(), target);
  const float* pc = c->data<float>();
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) out[i * n + j] += beta * pc[i * st[0] + j * st[1]];
}

namespace {

std::vector<Tensor> matmul_ref(OpContext& c) {
  if (computes_in_bf16(c.node)) return run_with_bf16_operands(c, matmul_ref);  // the bf16 tactic's layers
  const Tensor& a = require_f32(c, 0);
  const Tensor& b = require_f32(c, 1);
  MatMulShape s = resolve_matmul(c.node, a.shape(), b.shape());
  Tensor y = Tensor::empty(DType::f32, s.out_shape);
  const float* pa = a.data<float>();
  const float* pb = b.data<float>();
  float* py = y.data<float>();
  const bool skip_zero_weights = uses_sparse_weight(c.node);  // the sparse tactic's layers (ops/weight_format.h)
  for (int64_t bi = 0; bi < s.batch_count; ++bi) {
    const float* A = pa + s.a_offsets[bi];
    const float* B = pb + s.b_offsets[bi];
    float* Y = py + bi * s.m * s.n;
    for (int64_t i = 0; i < s.m; ++i)
      for (int64_t j = 0; j < s.n; ++j) {
        double acc = 0;
        for (int64_t k = 0; k < s.k; ++k)
          if (!skip_zero_weights || B[k * s.n + j] != 0.f) acc += double(A[i * s.k + k]) * B[k * s.n + j];
        Y[i * s.n + j] = static_cast<float>(acc);
      }
  }
  return {y};
}

std::vector<Tensor> gemm_ref(OpContext& c) {
  const Tensor& a = require_f32(c, 0);
  const Tensor& b = require_f32(c, 1);
  GemmShape g = resolve_gemm(c.node, a.shape(), b.shape());
  Tensor y = Tensor::zeros(DType::f32, {g.m, g.n});
  const float* pa = a.data<float>();
  const float* pb = b.data<float>();
  float* py = y.data<float>();
  for (int64_t i = 0; i < g.m; ++i)
    for (int64_t j = 0; j < g.n; ++j) {
      double acc = 0;
      for (int64_t k = 0; k < g.k; ++k) {
        const float av = g.trans_a ? pa[k * g.m + i] : pa[i * g.k + k];
        const float bv = g.trans_b ? pb[j * g.k + k] : pb[k * g.n + j];
        acc += double(av) * bv;
      }
      py[i * g.n + j] = static_cast<float>(g.alpha * acc);
    }
  gemm_add_c(c.node, c.has(2) ? &c.in(2) : nullptr, g.beta, py, g.m, g.n);
  return {y};
}

}  // namespace

ECO_REGISTER_OP(OpSchema{
    .op_type = "MatMul", .min_inputs = 2, .max_inputs = 2, .reference = matmul_ref,
    .infer = [](const Node& n, const std::vector<TensorMeta>& in) {
      return std::vector<TensorMeta>{{DType::f32, resolve_matmul(n, in[0].shape, in[1].shape).out_shape, nullptr}};
    },
    .macs = [](const Node& n, const std::vector<TensorMeta>& in, const std::vector<TensorMeta>&) {
      auto s = resolve_matmul(n, in[0].shape, in[1].shape);
      return s.batch_count * s.m * s.n * s.k;
    }});

ECO_REGISTER_OP(OpSchema{
    .op_type = "Gemm", .min_inputs = 2, .max_inputs = 3, .reference = gemm_ref,
    .infer = [](const Node& n, const std::vector<TensorMeta>& in) {
      auto g = resolve_gemm(n, in[0].shape, in[1].shape);
      return std::vector<TensorMeta>{{DType::f32, {g.m, g.n}, nullptr}};
    },
    .macs = [](const Node& n, const std::vector<TensorMeta>& in, const std::vector<TensorMeta>&) {
      auto g = resolve_gemm(n, in[0].shape, in[1].shape);
      return g.m * g.n * g.k;
    }});

}  // namespace ecoinfer::ops
