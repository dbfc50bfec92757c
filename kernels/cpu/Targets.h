//===- Targets.h - Hot CPU loops built for the running CPU ------*- C++ -*-===//
//
// KILN_CPU_CLONES before a CPU driver function compiles it three times, for
// x86-64-v4 (AVX-512), x86-64-v3 (AVX2 and FMA) and the baseline, and the
// loader picks the best the running CPU has (function multiversioning in
// GCC and clang). The runtime library stays portable; the row loops of its
// kernels, inlined into each clone, use the machine's vector width.
//
//   KILN_CPU_CLONES static void softmaxRows(..., int64_t begin, int64_t end);
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_CPU_TARGETS_H
#define KILN_KERNELS_CPU_TARGETS_H

#if defined(__x86_64__) && !defined(__CUDACC__)
#define KILN_CPU_CLONES                                                        \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3",            \
                               "default")))
#else
#define KILN_CPU_CLONES
#endif

#endif // KILN_KERNELS_CPU_TARGETS_H
