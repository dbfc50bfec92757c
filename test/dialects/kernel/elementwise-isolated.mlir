// RUN: kiln-opt %s -canonicalize -cse | FileCheck %s

// The body of a kernel.elementwise is isolated from above: canonicalize and
// CSE keep its constants inside it, even when @main holds an equal one.
// CHECK-LABEL: func.func @main
// CHECK-NEXT:    arith.constant 0.000000e+00 : f32
// CHECK-NEXT:    memref.store
// CHECK-NEXT:    kernel.elementwise
// CHECK-NEXT:    ^bb0(%[[A:.*]]: f32):
// CHECK-NEXT:      %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:      %[[R:.*]] = arith.maximumf %[[A]], %[[ZERO]] : f32
// CHECK-NEXT:      kernel.yield %[[R]] : f32
func.func @main(%x: memref<2x3xf32>, %y: memref<2x3xf32>, %z: memref<f32>) {
  %outer = arith.constant 0.0 : f32
  memref.store %outer, %z[] : memref<f32>
  kernel.elementwise ins(%x : memref<2x3xf32>) outs(%y : memref<2x3xf32>) {
  ^bb0(%a: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %a, %zero : f32
    kernel.yield %r : f32
  }
  return
}
