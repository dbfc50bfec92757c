// RUN: kiln-compile %s -o %t --stop-after=source
// RUN: FileCheck %s --input-file=%t/src/model.cpp

// Canonicalization hoists the constants of an elementwise body to @main:
// the body prints them back as locals, and @main prints nothing for them.

// CHECK-LABEL: KILN_HD inline void kilnEw0Body(float a0, float &r0) {
// CHECK-NEXT:    const float v0 = 0.0f;
// CHECK-NEXT:    const float v1 = kilnMaximumF(a0, v0);
// CHECK-NEXT:    r0 = v1;
// CHECK-LABEL: int run(
// CHECK-NOT:     0.0f
// CHECK:         kilnEw0(b0, b1);

func.func @main(%x: memref<2x3xf32> {graph.name = "x"},
                %y: memref<2x3xf32> {graph.name = "y", kernel.output})
    attributes {kernel.num_inputs = 1 : i64, kernel.arena_bytes = 0 : i64} {
  %zero = arith.constant 0.0 : f32
  kernel.elementwise ins(%x : memref<2x3xf32>) outs(%y : memref<2x3xf32>) {
  ^bb0(%a: f32):
    %r = arith.maximumf %a, %zero : f32
    kernel.yield %r : f32
  }
  return
}
