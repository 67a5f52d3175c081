#pragma once
// Run-time CPU checks guarding the AVX-512 kernels (the library also runs on CPUs without them).
namespace ecoinfer::kernels::avx512 {

inline bool cpu_has_avx512() {
  static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                          __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
  return has;
}
inline bool cpu_has_avx512_vnni() {
  static const bool has = cpu_has_avx512() && __builtin_cpu_supports("avx512vnni");
  return has;
}

}  // namespace ecoinfer::kernels::avx512
