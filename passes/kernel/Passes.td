//===- Passes.td - Passes over the kernel dialect ------------*- tablegen -*-===//
//
// Passes that work on lowered models: buffers, weights and kernels.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_KERNEL_PASSES
#define KILN_PASSES_KERNEL_PASSES

include "mlir/Pass/PassBase.td"

def PlanBuffersPass : Pass<"kiln-plan-buffers", "::mlir::func::FuncOp"> {
  let summary = "place every kernel.alloc at a byte offset of one arena";
  let description = [{
    offset(alloc) = best free range of the arena at the alloc's first use

    Each `kernel.alloc` lives from its first use to its last use, where a use
    through a chain of `kernel.view`s counts as a use of the alloc, and a use
    inside the region of an `scf` op as a use at that op (a buffer a loop
    reads or writes lives through all its iterations). Buffers
    are placed in order of their first use, each in the smallest free range
    that holds it (best fit, 64-byte aligned); a range is free again after
    the last use of the buffer that held it, so buffers whose lifetimes do
    not overlap share bytes. The pass sets `offset` on each alloc and the
    arena's size, `kernel.arena_bytes` (i64), on the function.

    ```mlir
    %a = kernel.alloc {offset = 0 : i64} : memref<256xf32>
    ```
  }];
}

#endif // KILN_PASSES_KERNEL_PASSES
