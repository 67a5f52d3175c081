// f32 MatMul on oneDNN's sgemm (JIT AVX-512). When the right operand is one matrix shared
// by every batch (a Linear layer's weight), the batch folds into M: one large GEMM.
#include <algorithm>

#include "kernels/dnnl/dnnl_common.h"
#include "ops/compute_dtype.h"
#include "ops/weight_format.h"
#include "ops/matmul.h"

namespace ecoinfer::kernels::onednn {
namespace {

bool matmul_supports(const OpContext& c) {
  return c.has(0) && c.has(1) && c.in(0).dtype() == DType::f32 && c.in(1).dtype() == DType::f32 &&
         c.in(0).rank() >= 2 && c.in(1).rank() >= 2 && ops::compute_dtype_of(c.node) == "f32" &&
         ops::weight_format_of(c.node) == "dense";  // sparse layers have their own kernel
}

std::vector<Tensor> matmul_run(OpContext& c) {
  const Tensor& a = c.in(0);
  const Tensor& b = c.in(1);
  ops::MatMulShape s = ops::resolve_matmul(c.node, a.shape(), b.shape());
  Tensor y = c.output(0, DType::f32, s.out_shape);
  if (y.numel() == 0) return {y};
  const float* pa = a.data<float>();
  const float* pb = b.data<float>();
  float* py = y.data<float>();
  if (s.k == 0) {
    std::fill(py, py + y.numel(), 0.f);
    return {y};
  }
  bool shared_b = b.rank() == 2;
  bool contiguous_a = true;
  for (int64_t i = 0; i < s.batch_count; ++i) contiguous_a &= s.a_offsets[i] == i * s.m * s.k;
  if (shared_b && contiguous_a) {
    dnnl_sgemm('N', 'N', s.batch_count * s.m, s.n, s.k, 1.f, pa, s.k, pb, s.n, 0.f, py, s.n);
    return {y};
  }
  // Many products (attention: batch x heads of [T,D] x [D,T]): one product per thread at a
  // time; oneDNN runs sgemm single-threaded when called inside a parallel region. Each sgemm
  // call would otherwise open its own parallel region: that costs more than a 65x64x65
  // product, and splitting one ViT-B/16 head's 197x64x197 product over 2 threads measured
  // 2.5x slower than one thread (bench/results/2026-12-02-batched_matmul-*.txt). Large
  // products go per thread too unless the batches would leave a thread idle over a quarter
  // of the time (3 products on 2 threads).
  const int threads = std::max(1, c.threads);
  const int64_t rounds = (s.batch_count + threads - 1) / threads;
  const bool small = s.m * s.n * s.k <= (int64_t{1} << 21);
  const bool balanced = 4 * rounds * threads <= 5 * s.batch_count;
  const bool per_thread = threads > 1 && s.batch_count >= threads && (small || balanced);
#pragma omp parallel for num_threads(threads) schedule(static) if (per_thread)
  for (int64_t i = 0; i < s.batch_count; ++i)
    dnnl_sgemm('N', 'N', s.m, s.n, s.k, 1.f, pa + s.a_offsets[i], s.k, pb + s.b_offsets[i], s.n, 0.f,
               py + i * s.m * s.n, s.n);
  return {y};
}

}  // namespace

ECO_REGISTER_KERNEL("", "MatMul", KernelImpl{"f32-matmul-sgemm-dnnl", matmul_supports, matmul_run});

}  // namespace ecoinfer::kernels::onednn
