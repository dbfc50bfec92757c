//===- Epilogue.h - Elementwise epilogues of CPU kernels --------*- C++ -*-===//
//
// A conv or GEMM calls its epilogue on each block of its output right after
// computing it, while the block is still in cache: the generated code's
// fused elementwise kernel (kernel.conv's epilogue region), run in place.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_CPU_EPILOGUE_H
#define KILN_KERNELS_CPU_EPILOGUE_H

#include <stdint.h>

namespace kiln::cpu {

/// Rewrites `count` contiguous output elements starting at `y` in place;
/// `self` (the generated functor, which knows the output's base and the
/// epilogue's inputs) turns `y` into a flat output index.
struct Epilogue {
  void (*apply)(const void *self, float *y, int64_t count);
  const void *self;

  void operator()(float *y, int64_t count) const { apply(self, y, count); }
};

} // namespace kiln::cpu

#endif // KILN_KERNELS_CPU_EPILOGUE_H
