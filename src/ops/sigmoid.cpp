#include "ops/elementwise.h"

namespace ecoinfer::ops {
namespace {
// exp of a non-positive argument only: no overflow for large |x|.
inline float stable_sigmoid(float x) {
  if (x >= 0.f) return 1.f / (1.f + std::exp(-x));
  const float e = std::exp(x);
  return e / (1.f + e);
}
}  // namespace
ECO_UNARY_F32_OP(Sigmoid, stable_sigmoid(x))
}  // namespace ecoinfer::ops
