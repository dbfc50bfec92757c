// RUN: rm -rf %t
// RUN: not kiln-compile %s -o %t --stop-after=source 2>&1 | FileCheck %s
// A failed compile leaves no output directory behind.
// RUN: not test -e %t

// An op codegen cannot print is an error at that op, with its location.

func.func @main(%x: memref<8xi32> {graph.name = "x"},
                %y: memref<8xi32> {graph.name = "y", kernel.output})
    attributes {kernel.num_inputs = 1 : i64, kernel.arena_bytes = 0 : i64} {
  kernel.elementwise ins(%x : memref<8xi32>) outs(%y : memref<8xi32>) {
  ^bb0(%a: i32):
    // CHECK: unsupported.mlir:[[@LINE+1]]:10: error: codegen does not support 'math.ctlz' in a kernel.elementwise body
    %0 = math.ctlz %a : i32
    kernel.yield %0 : i32
  }
  return
}
