// f32 Gemm (ONNX: alpha * A' B' + beta * C) on oneDNN's sgemm.
#include "kernels/dnnl/dnnl_common.h"
#include "ops/matmul.h"

namespace ecoinfer::kernels::onednn {
namespace {

bool gemm_supports(const OpContext& c) {
  return c.has(0) && c.has(1) && c.in(0).dtype() == DType::f32 && c.in(1).dtype() == DType::f32 &&
         c.in(0).rank() == 2 && c.in(1).rank() == 2 && (!c.has(2) || c.in(2).dtype() == DType::f32);
}

std::vector<Tensor> gemm_run(OpContext& c) {
  const Tensor& a = c.in(0);
  const Tensor& b = c.in(1);
  ops::GemmShape g = ops::resolve_gemm(c.node, a.shape(), b.shape());
  Tensor y = c.output(0, DType::f32, {g.m, g.n});
  if (y.numel() == 0) return {y};
  float* py = y.data<float>();
  std::fill(py, py + y.numel(), 0.f);
  ops::gemm_add_c(c.node, c.has(2) ? &c.in(2) : nullptr, g.beta, py, g.m, g.n);
  if (g.k > 0)
    dnnl_sgemm(g.trans_a ? 'T' : 'N', g.trans_b ? 'T' : 'N', g.m, g.n, g.k, g.alpha, a.data<float>(), a.dim(1),
               b.data<float>(), b.dim(1), 1.f, py, g.n);
  return {y};
}

}  // namespace

ECO_REGISTER_KERNEL("", "Gemm", KernelImpl{"f32-gemm-sgemm-dnnl", gemm_supports, gemm_run});

}  // namespace ecoinfer::kernels::onednn
