// RUN: not kiln-compile %s -o %t --stop-after=source 2>&1 | FileCheck %s

// Codegen needs planned buffers: a kernel.alloc without an offset is an
// error that names the pass to run. (kiln-compile starts a lowered model
// without kernel.arena_bytes at the plan phase, so this IR says it is
// planned while one alloc is not.)

func.func @main(%x: memref<8xf32> {graph.name = "x"},
                %y: memref<8xf32> {graph.name = "y", kernel.output})
    attributes {kernel.num_inputs = 1 : i64, kernel.arena_bytes = 64 : i64} {
  // CHECK: unplanned.mlir:[[@LINE+1]]:8: error: kernel.alloc has no planned offset (run kiln-plan-buffers)
  %t = kernel.alloc : memref<8xf32>
  kernel.copy %x, %t : memref<8xf32>, memref<8xf32>
  kernel.copy %t, %y : memref<8xf32>, memref<8xf32>
  return
}
