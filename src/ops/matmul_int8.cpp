// Reference kernel of com.ecoinfer::MatMulDynamicInt8 (definition in matmul_int8.h).
#include "ops/matmul_int8.h"

#include <algorithm>

#include "ops/op_util.h"

namespace ecoinfer::ops {

namespace {

struct Int8Dims {
  int64_t m = 0, k = 0, n = 0;
  Shape out;
};

Int8Dims int8_dims(const Node& node, const Shape& a, const Shape& b) {
  ECO_CHECK(!a.empty(), "{}: the activation must have rank >= 1", node.describe());
  ECO_CHECK(b.size() == 2, "{}: the int8 weight must be 2-D [K, N], got {}", node.describe(), shape_str(b));
  Int8Dims d;
  d.k = a.back();
  ECO_CHECK(b[0] == d.k, "{}: inner dimensions differ: {} x {}", node.describe(), shape_str(a), shape_str(b));
  d.n = b[1];
  d.m = d.k == 0 ? shape_numel(Shape(a.begin(), a.end() - 1)) : shape_numel(a) / d.k;
  d.out = Shape(a.begin(), a.end() - 1);
  d.out.push_back(d.n);
  return d;
}

void check_int8_inputs(const OpContext& c, int64_t n) {
  ECO_CHECK(c.in(0).dtype() == DType::f32, "{}: the activation must be float32", c.node.describe());
  ECO_CHECK(c.in(1).dtype() == DType::i8, "{}: the weight must be int8", c.node.describe());
  const Tensor& s = c.in(2);
  ECO_CHECK(s.dtype() == DType::f32 && (s.numel() == 1 || s.numel() == n),
            "{}: the weight scale must be float32 with 1 or N={} values, got {}", c.node.describe(), n, shape_str(s.shape()));
  if (c.has(3))
    ECO_CHECK(c.in(3).dtype() == DType::f32 && c.in(3).numel() == n, "{}: the bias must be float32 [{}], got {}",
              c.node.describe(), n, shape_str(c.in(3).shape()));
}

std::vector<Tensor> matmul_int8_ref(OpContext& c) {
  const Tensor& a = c.in(0);
  const Tensor& b = c.in(1);
  Int8Dims d = int8_dims(c.node, a.shape(), b.shape());
  check_int8_inputs(c, d.n);
  const bool reduce_range = c.node.attr_int("reduce_range", 1) != 0;
  const float* pa = a.data<float>();
  float lo = 0.f, hi = 0.f;
  if (a.numel() > 0) {
    lo = hi = pa[0];
    for (int64_t i = 1; i < a.numel(); ++i) {
      lo = std::min(lo, pa[i]);
      hi = std::max(hi, pa[i]);
    }
  }
  const ActQuantParams q = choose_act_qparams(lo, hi, reduce_range);
  const float inv = 1.0f / q.scale;
  std::vector<int32_t> qa(static_cast<size_t>(a.numel()));
  for (int64_t i = 0; i < a.numel(); ++i) qa[i] = quantize_activation(pa[i], inv, q.zero_point, q.qmin, q.qmax);
  const int8_t* pb = b.data<int8_t>();
  const float* ps = c.in(2).data<float>();
  const bool per_channel = c.in(2).numel() > 1;
  const float* bias = c.has(3) ? c.in(3).data<float>() : nullptr;
  Tensor y = Tensor::empty(DType::f32, d.out);
  float* py = y.data<float>();
  for (int64_t i = 0; i < d.m; ++i)
    for (int64_t j = 0; j < d.n; ++j) {
      int32_t acc = 0;
      for (int64_t kk = 0; kk < d.k; ++kk) acc += (qa[i * d.k + kk] - q.zero_point) * int32_t{pb[kk * d.n + j]};
      const float combined = q.scale * ps[per_channel ? j : 0];
      volatile float prod = static_cast<float>(acc) * combined;  // no FMA with the bias add
      py[i * d.n + j] = bias ? prod + bias[j] : static_cast<float>(prod);
    }
  return {y};
}

}  // namespace

ECO_REGISTER_OP(OpSchema{
    .domain = kEcoDomain, .op_type = "MatMulDynamicInt8", .min_inputs = 3, .max_inputs = 4, .reference = matmul_int8_ref,
    .infer = [](const Node& n, const std::vector<TensorMeta>& in) {
      return std::vector<TensorMeta>{{DType::f32, int8_dims(n, in[0].shape, in[1].shape).out, nullptr}};
    },
    .macs = [](const Node& n, const std::vector<TensorMeta>& in, const std::vector<TensorMeta>&) {
      auto d = int8_dims(n, in[0].shape, in[1].shape);
      return d.m * d.n * d.k;
    }});

}  // namespace ecoinfer::ops
