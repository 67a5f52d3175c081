// FusedLinear: rows of Y start as the bias, oneDNN's sgemm accumulates X W into them
// (beta = 1), then the activation runs over Y with AVX-512 while it is warm in cache.
#include <oneapi/dnnl/dnnl.h>

#include "kernels/avx512/cpu_features.h"
#include "kernels/avx512/vec_math_avx512.h"
#include "ops/matmul.h"

namespace ecoinfer::avx512 {
namespace {

bool linear_supports(const OpContext& c) {
  if (!cpu_has_avx512() || !c.has(0) || !c.has(1)) return false;
  const Tensor& x = c.in(0);
  const Tensor& w = c.in(1);
  const std::string act = c.node.attr_string("activation", "");
  return x.dtype() == DType::f32 && w.dtype() == DType::f32 && x.rank() >= 2 && w.rank() == 2 && x.dim(-1) == w.dim(0) &&
         (!c.has(2) || (c.in(2).dtype() == DType::f32 && c.in(2).rank() == 1 && c.in(2).dim(0) == w.dim(1))) &&
         (act.empty() || act == "Relu" || act == "Gelu");
}

void gelu_inplace(float* p, int64_t n) {
  const __m512 half = _mm512_set1_ps(0.5f), one = _mm512_set1_ps(1.f), rsqrt2 = _mm512_set1_ps(0.70710678118654752f);
  int64_t i = 0;
  for (; i < n; i += 16) {
    const __mmask16 m = i + 16 <= n ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << (n - i)) - 1);
    const __m512 x = _mm512_maskz_loadu_ps(m, p + i);
    const __m512 e = erf_ps(_mm512_mul_ps(x, rsqrt2));
    _mm512_mask_storeu_ps(p + i, m, _mm512_mul_ps(_mm512_mul_ps(x, half), _mm512_add_ps(one, e)));
  }
}

std::vector<Tensor> linear_run(OpContext& c) {
  const Tensor& x = c.in(0);
  const Tensor& w = c.in(1);
  const int64_t k = w.dim(0), n = w.dim(1), m = x.numel() / k;
  Shape out = x.shape();
  out.back() = n;
  Tensor y = c.output(0, DType::f32, out);
  float* py = y.data<float>();
  float beta = 0.f;
  if (c.has(2)) {
    const float* b = c.in(2).data<float>();
    for (int64_t i = 0; i < m; ++i) std::memcpy(py + i * n, b, n * sizeof(float));
    beta = 1.f;
  }
  if (m > 0 && n > 0) dnnl_sgemm('N', 'N', m, n, k, 1.f, x.data<float>(), k, w.data<float>(), n, beta, py, n);
  const std::string act = c.node.attr_string("activation", "");
  const int64_t total = m * n;
  if (act == "Relu") {
    for (int64_t i = 0; i < total; ++i) py[i] = py[i] > 0.f ? py[i] : 0.f;
  } else if (act == "Gelu") {
    const int64_t chunk = 4096;
#pragma omp parallel for num_threads(c.threads) schedule(static) if (total > 65536)
    for (int64_t s = 0; s < total; s += chunk) gelu_inplace(py + s, std::min(chunk, total - s));
  }
  return {y};
}

}  // namespace

ECO_REGISTER_KERNEL("com.ecoinfer", "FusedLinear", KernelImpl{"f32-linear-sgemm-epilogue-avx512", linear_supports, linear_run});

}  // namespace ecoinfer::avx512
