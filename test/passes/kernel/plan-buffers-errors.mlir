// RUN: kiln-opt %s -split-input-file -kiln-plan-buffers -verify-diagnostics

// An alloc left inside a region is refused: the plan sees one block.
func.func @nested_alloc(%x: memref<4x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c1 step %c1 {
    // expected-error @+1 {{kiln-plan-buffers expects every kernel.alloc in the function's block, not in a region}}
    %a = kernel.alloc : memref<4x16xf32>
    kernel.copy %x, %a : memref<4x16xf32>, memref<4x16xf32>
  }
  return
}
