#pragma once
// Splits [0, total) into one contiguous chunk per thread (chunk starts on 64-byte multiples
// of 4-byte elements, so threads never share a cache line of the output) and calls
// f(begin, end) for each. Runs inline when the range is below `min_parallel`: for memory-bound
// loops the wake-up of a second thread costs more than it saves on small tensors.
#include <omp.h>

#include <algorithm>
#include <cstdint>

namespace ecoinfer::kernels {

// Memory-bound kernels go parallel from 4 Mi elements (16 MiB of f32 output). Measured on
// the 2-core machine of docs/performance.md with OMP_WAIT_POLICY=passive: waking the second
// thread costs ~25 us, and up to 2 Mi elements (Relu) two threads were slower than one; at
// 4 Mi elements they were twice as fast.
constexpr int64_t kParallelMinElements = int64_t{1} << 22;

template <typename F>
void parallel_range(int64_t total, int threads, int64_t min_parallel, F&& f) {
  if (total <= 0) return;
  if (threads <= 1 || total < min_parallel || total <= 16) {
    f(int64_t{0}, total);
    return;
  }
#pragma omp parallel num_threads(threads)
  {
    const int64_t nt = omp_get_num_threads(), t = omp_get_thread_num();
    const int64_t chunk = ((total + nt - 1) / nt + 15) / 16 * 16;
    const int64_t begin = std::min(total, t * chunk), end = std::min(total, begin + chunk);
    if (begin < end) f(begin, end);
  }
}

}  // namespace ecoinfer::kernels
