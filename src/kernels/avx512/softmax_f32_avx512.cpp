// Softmax over the contiguous last axis, 16 floats at a time: max, exp(x - max) with a
// running sum, then scale by 1/sum. Rows are split across threads.
#include "ops/registry.h"
#include "kernels/avx512/vec_math_avx512.h"
#include "ops/op_util.h"
#include "ops/tensor_util.h"
#include "kernels/avx512/target_avx512.h"

ECO_AVX512_BEGIN

namespace ecoinfer::kernels::avx512 {
namespace {

bool softmax_supports(const OpContext& c) {
  if (!c.has(0) || c.in(0).dtype() != DType::f32 || c.in(0).rank() < 1) return false;
  const int64_t r = c.in(0).rank();
  const bool legacy = ops::node_opset(c.node) < 13;
  int64_t axis = c.node.attr_int("axis", legacy ? 1 : -1);
  if (axis < 0) axis += r;
  return axis == r - 1 && c.in(0).dim(-1) > 0;
}

std::vector<Tensor> softmax_run(OpContext& c) {
  const Tensor& x = c.in(0);
  Tensor y = c.output(0, DType::f32, x.shape());
  const int64_t n = x.dim(-1), rows = x.numel() / n;
  const float* px = x.data<float>();
  float* py = y.data<float>();
#pragma omp parallel for num_threads(c.threads) schedule(static) if (rows * n > 16384)
  for (int64_t r = 0; r < rows; ++r) softmax_row(px + r * n, py + r * n, n);
  return {y};
}

}  // namespace

ECO_AVX512_END

ECO_REGISTER_KERNEL("", "Softmax", KernelImpl{"f32-softmax-lastaxis-avx512", softmax_supports, softmax_run, CpuFeature::avx512f});

}  // namespace ecoinfer::kernels::avx512
