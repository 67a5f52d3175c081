#pragma once
// The per-channel affine form of inference BatchNormalization, shared by the reference and
// the fast kernels so that both use the same a and b: y = x*a[k] + b[k] with, in double,
// a = scale / sqrt(var + eps) and b = bias - mean*a.
#include <cstdint>

namespace ecoinfer::ops {

void batchnorm_affine(const float* scale, const float* bias, const float* mean, const float* var, int64_t channels,
                      float eps, double* a, double* b);

}  // namespace ecoinfer::ops
