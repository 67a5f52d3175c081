// f32 Add, Sub, Mul, Div, streamed 16 floats per iteration with masked tails
// (stream_f32_avx512.h), for the broadcasts classifiers use: equal shapes; one operand a single value (a scale, an epsilon); one
// operand varying along one block of consecutive axes of the other and broadcast along the
// rest ([N,T,C] with [C] or [1,T,C]: biases, position embeddings; [N,C,H,W] with [C,1,1]:
// per-channel; [N,T,C] with [N,T,1]: decomposed LayerNorm), or along a leading and a
// trailing block with broadcast axes between them ([N,H,W,C] with [N,1,1,C]: the
// squeeze-excitation gate of a channels-last network). Every other broadcast runs the
// reference. Plain IEEE vector arithmetic, Div included (no reciprocal), so every result is
// bitwise the reference's.
#include <optional>

#include "ops/registry.h"
#include "kernels/avx512/stream_f32_avx512.h"
#include "kernels/parallel_range.h"
#include "ops/op_util.h"
#include "kernels/avx512/target_avx512.h"

ECO_AVX512_BEGIN

namespace ecoinfer::kernels::avx512 {
namespace {

// The output seen as [outer, mid, inner]: the full operand has the output's shape; the
// other one holds `mid` values, value m serving output elements (o, m, i) for every o, i.
// Equal shapes are mid = numel, inner = 1; a single value is mid = 1, inner = numel.
struct BroadcastPlan {
  Shape out;
  int full = 0;  // which input has the output's shape
  int64_t mid = 1, inner = 1;
  // Batched form (inner = 1): the output is [outer, rep, mid] and the other operand
  // [outer, mid]; rows of `mid` elements in batch x use its x-th row. 0 when not batched.
  int64_t rep = 0;
};

std::optional<BroadcastPlan> plan_broadcast(const Shape& a, const Shape& b) {
  if (a == b) return BroadcastPlan{a, 0, shape_numel(a), 1};
  const size_t r = std::max(a.size(), b.size());
  auto aligned = [r](const Shape& s) {
    Shape v(r - s.size(), 1);
    v.insert(v.end(), s.begin(), s.end());
    return v;
  };
  const Shape pa = aligned(a), pb = aligned(b);
  Shape out(r);
  for (size_t d = 0; d < r; ++d) {
    if (pa[d] != pb[d] && pa[d] != 1 && pb[d] != 1) return std::nullopt;
    out[d] = pa[d] == 1 ? pb[d] : pa[d];
  }
  BroadcastPlan p{out, 0, 1, 1};
  if (out == a) p.full = 0;
  else if (out == b) p.full = 1;
  else return std::nullopt;  // both operands broadcast ([N,1] with [1,C]): reference
  const Shape& s = p.full == 0 ? pb : pa;
  size_t first = r, last = 0;
  for (size_t d = 0; d < r; ++d)
    if (s[d] != 1) {
      first = std::min(first, d);
      last = d;
    }
  if (first == r) {  // a single value
    p.inner = shape_numel(out);
    return p;
  }
  bool block = true;
  for (size_t d = first; d <= last; ++d) block &= s[d] == out[d];
  if (!block) {
    // Leading block equal to the output's, then broadcast axes, then a trailing block equal
    // to the output's ([N,1,1,C] against [N,H,W,C]); anything else: reference.
    if (first != 0) return std::nullopt;
    size_t a = 0;
    while (a < r && s[a] == out[a]) ++a;
    size_t b = a;
    while (b < r && s[b] == 1) ++b;
    for (size_t d = b; d < r; ++d)
      if (s[d] != out[d]) return std::nullopt;
    if (b == r) return std::nullopt;  // no trailing block: handled above as the plain form
    p.rep = 1;
    for (size_t d = a; d < b; ++d) p.rep *= out[d];
    for (size_t d = b; d < r; ++d) p.mid *= out[d];
    return p;
  }
  for (size_t d = first; d <= last; ++d) p.mid *= out[d];
  for (size_t d = last + 1; d < r; ++d) p.inner *= out[d];
  return p;
}

struct AddOp {
  static __m128 apply(__m128 x, __m128 y) { return _mm_add_ps(x, y); }
};
struct SubOp {
  static __m128 apply(__m128 x, __m128 y) { return _mm_sub_ps(x, y); }
};
struct MulOp {
  static __m128 apply(__m128 x, __m128 y) { return _mm_mul_ps(x, y); }
};
struct DivOp {
  static __m128 apply(__m128 x, __m128 y) { return _mm_div_ps(x, y); }
};

// o[i] = op(full[i], part[i]) (or op(part[i], full[i]) when the broadcast operand is the left one).
template <typename Op, bool PartLeft>
void vec_vec(const float* full, const float* part, float* o, int64_t n) {
  stream_binary(full, part, o, n, [](__m128 x, __m128 p) { return PartLeft ? Op::apply(p, x) : Op::apply(x, p); });
}

// o[i] = op(full[i], v) (or op(v, full[i])).
template <typename Op, bool PartLeft>
void vec_scalar(const float* full, float v, float* o, int64_t n) {
  const __m128 p = _mm_set1_ps(v);
  stream_unary(full, o, n, [p](__m128 x) { return PartLeft ? Op::apply(p, x) : Op::apply(x, p); });
}

// Output elements [begin, end), walked in pieces that share one broadcast layout.
template <typename Op, bool PartLeft>
void binary_range(const float* full, const float* part, float* o, const BroadcastPlan& p, int64_t begin, int64_t end) {
  if (p.inner == 1) {  // rows of `mid` elements against the whole broadcast operand (its batch's row)
    for (int64_t i = begin, m = begin % p.mid; i < end; m = 0) {
      const int64_t n = std::min(end - i, p.mid - m);
      const float* row = p.rep ? part + (i / p.mid / p.rep) * p.mid : part;
      vec_vec<Op, PartLeft>(full + i, row + m, o + i, n);
      i += n;
    }
  } else {  // rows of `inner` elements against one broadcast value each
    const int64_t row = begin / p.inner;
    int64_t k = row % p.mid;
    for (int64_t i = begin, row_end = (row + 1) * p.inner; i < end; row_end += p.inner) {
      const int64_t n = std::min(end, row_end) - i;
      vec_scalar<Op, PartLeft>(full + i, part[k], o + i, n);
      i += n;
      if (++k == p.mid) k = 0;
    }
  }
}

bool binary_supports(const OpContext& c) {
  if (!c.has(0) || !c.has(1)) return false;
  const Tensor& a = c.in(0);
  const Tensor& b = c.in(1);
  if (a.dtype() != DType::f32 || b.dtype() != DType::f32 || a.numel() == 0 || b.numel() == 0) return false;
  return plan_broadcast(a.shape(), ops::legacy_broadcast_b(c.node, a.shape(), b.shape())).has_value();
}

template <typename Op>
std::vector<Tensor> binary_run(OpContext& c) {
  const Tensor& a = c.in(0);
  const Tensor& b = c.in(1);
  const BroadcastPlan p = *plan_broadcast(a.shape(), ops::legacy_broadcast_b(c.node, a.shape(), b.shape()));
  Tensor y = c.output(0, DType::f32, p.out);
  const float* full = (p.full == 0 ? a : b).data<float>();
  const float* part = (p.full == 0 ? b : a).data<float>();
  float* py = y.data<float>();
  kernels::parallel_range(y.numel(), c.threads, kernels::kParallelMinElements, [&](int64_t begin, int64_t end) {
    if (p.full == 0) binary_range<Op, false>(full, part, py, p, begin, end);
    else binary_range<Op, true>(full, part, py, p, begin, end);
  });
  return {y};
}

}  // namespace

ECO_AVX512_END

ECO_REGISTER_KERNEL("", "Add", KernelImpl{"f32-add-broadcast-avx512", binary_supports, binary_run<AddOp>, CpuFeature::avx512f});
ECO_REGISTER_KERNEL("", "Sub", KernelImpl{"f32-sub-broadcast-avx512", binary_supports, binary_run<SubOp>, CpuFeature::avx512f});
ECO_REGISTER_KERNEL("", "Mul", KernelImpl{"f32-mul-broadcast-avx512", binary_supports, binary_run<MulOp>, CpuFeature::avx512f});
ECO_REGISTER_KERNEL("", "Div", KernelImpl{"f32-div-broadcast-avx512", binary_supports, binary_run<DivOp>, CpuFeature::avx512f});

}  // namespace ecoinfer::kernels::avx512
