#pragma once
// What the fast MatMulDynamicInt8 kernels (AVX-512 VNNI, AVX2) share around their integer
// core: the input checks, the output, the packed-weight cache in the node state, and the
// per-call activation parameters with the combined (activation x weight) scales. The
// semantics are the reference's (ops/matmul_int8.h).
#include <algorithm>
#include <memory>
#include <vector>

#include "ops/matmul_int8.h"
#include "ops/op_util.h"

namespace ecoinfer::kernels {

struct DynamicInt8Call {
  int64_t m = 0, k = 0, n = 0;  // [m, k] x [k, n]
  Tensor y;                     // the output, [..., n]
  const float* bias = nullptr;
};

// Checks the inputs and makes the output (empty when there is nothing to compute).
inline DynamicInt8Call begin_dynamic_int8(OpContext& c) {
  const Tensor& a = c.in(0);
  const Tensor& b = c.in(1);
  DynamicInt8Call call;
  call.k = a.shape().back();
  ECO_CHECK(b.dim(0) == call.k, "{}: inner dimensions differ: {} x {}", c.node.describe(), shape_str(a.shape()),
            shape_str(b.shape()));
  call.n = b.dim(1);
  const Tensor& s = c.in(2);
  ECO_CHECK(s.dtype() == DType::f32 && (s.numel() == 1 || s.numel() == call.n),
            "{}: the weight scale must be float32 with 1 or {} values", c.node.describe(), call.n);
  if (c.has(3))
    ECO_CHECK(c.in(3).dtype() == DType::f32 && c.in(3).numel() == call.n, "{}: the bias must be float32 [{}]",
              c.node.describe(), call.n);
  Shape out(a.shape().begin(), a.shape().end() - 1);
  out.push_back(call.n);
  call.y = c.output(0, DType::f32, out);
  call.m = call.k == 0 ? shape_numel(Shape(a.shape().begin(), a.shape().end() - 1)) : a.numel() / call.k;
  call.bias = c.has(3) ? c.in(3).data<float>() : nullptr;
  return call;
}

// The weight packed by `pack` (a Packed with members source, k, n), cached in the node state
// and packed again when the weight tensor changes. The caller holds it for the call.
template <class Packed, class PackFn>
std::shared_ptr<const Packed> cached_packed_weight(OpContext& c, const Tensor& b, int64_t k, int64_t n, PackFn pack) {
  std::shared_ptr<Packed> packed;
  if (c.state && *c.state) packed = std::static_pointer_cast<Packed>(*c.state);
  if (!packed || packed->source.raw() != b.raw() || packed->k != k || packed->n != n) {
    packed = pack(b);
    if (c.state) *c.state = packed;
  }
  return packed;
}

// scale_A * scale_B[j] per column, padded with zeros to `padded` columns.
inline std::vector<float> combined_scales(const ops::ActQuantParams& q, const Tensor& weight_scale, int64_t n, int64_t padded) {
  std::vector<float> combined(static_cast<size_t>(std::max(n, padded)), 0.f);
  const float* ps = weight_scale.data<float>();
  for (int64_t j = 0; j < n; ++j) combined[j] = q.scale * ps[weight_scale.numel() > 1 ? j : 0];
  return combined;
}

}  // namespace ecoinfer::kernels
