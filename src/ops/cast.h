#pragma once
// Cast's conversion, shared with CastLike and with ops that compute 16-bit floats in float32.
#include "ops/registry.h"

namespace ecoinfer::ops {

// `x` converted to `to` with ONNX Cast's semantics (see cast.cpp); errors name `n`.
Tensor cast_to(const Tensor& x, DType to, const Node& n);

inline bool is_half_float(DType t) { return t == DType::f16 || t == DType::bf16; }

// Runs `f` on a copy of `c` whose float16/bfloat16 inputs are widened to float32, and
// rounds its float32 outputs back to input 0's type: for ops whose float32 result rounded
// once is the 16-bit result (Max, Min, Mod: exact).
template <typename F>
std::vector<Tensor> via_float32(OpContext& c, F f) {
  const DType half = c.in(0).dtype();
  std::vector<Tensor> wide(c.num_inputs());
  std::vector<const Tensor*> ptrs(c.num_inputs(), nullptr);
  for (size_t i = 0; i < c.num_inputs(); ++i) {
    if (!c.has(i)) continue;
    wide[i] = is_half_float(c.in(i).dtype()) ? cast_to(c.in(i), DType::f32, c.node) : c.in(i);
    ptrs[i] = &wide[i];
  }
  OpContext w{c.node, ptrs, c.threads, nullptr};
  std::vector<Tensor> out = f(w);
  for (Tensor& t : out)
    if (t.defined() && t.dtype() == DType::f32) t = cast_to(t, half, c.node);
  return out;
}

}  // namespace ecoinfer::ops
