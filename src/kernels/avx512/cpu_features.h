#pragma once
// Run-time CPU checks guarding the AVX-512 kernels (the library also runs on CPUs without
// them). The registry's cpu_has() is the one definition; each kernel also declares what it
// needs in its KernelImpl, so the executor never offers it a node on a CPU without it.
#include "ops/registry.h"

namespace ecoinfer::kernels::avx512 {

inline bool cpu_has_avx512() { return cpu_has(CpuFeature::avx512f); }
inline bool cpu_has_avx512_vnni() { return cpu_has(CpuFeature::avx512_vnni); }

}  // namespace ecoinfer::kernels::avx512
