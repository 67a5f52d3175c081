#include "ops/elementwise.h"

namespace ecoinfer::ops {
namespace {
// log(1 + exp(x)) without overflow: x + log1p(exp(-x)) for positive x.
inline float stable_softplus(float x) { return x > 0.f ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
}  // namespace
ECO_UNARY_F32_OP(Softplus, stable_softplus(x))
}  // namespace ecoinfer::ops
