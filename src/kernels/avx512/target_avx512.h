#pragma once
// ECO_AVX512_BEGIN ... ECO_AVX512_END: the functions between them are compiled for AVX-512
// (F, BW, DQ, VL, VNNI, with FMA and F16C); everything else in the file, above all the
// static kernel registration that runs at start-up on every CPU, and any inline or template
// code from headers, stays baseline x86-64. (Compiling whole files with -mavx512f let the
// compiler use AVX-512 in the registration code and in header functions the linker may pick
// for other files: SIGILL at start-up on CPUs without AVX-512.) Include every header before
// ECO_AVX512_BEGIN. The executor offers these kernels nodes only where cpu_has() says the
// CPU has the feature their KernelImpl declares.
#if defined(__clang__)
#define ECO_AVX512_BEGIN                                                                                         \
  _Pragma("clang attribute push(__attribute__((target(\"avx512f,avx512bw,avx512dq,avx512vl,avx512vnni,fma,f16c\"))), \
apply_to = function)")
#define ECO_AVX512_END _Pragma("clang attribute pop")
#else
#define ECO_AVX512_BEGIN \
  _Pragma("GCC push_options") _Pragma("GCC target(\"avx512f,avx512bw,avx512dq,avx512vl,avx512vnni,fma,f16c\")")
#define ECO_AVX512_END _Pragma("GCC pop_options")
#endif
