// RUN: rm -rf %t && kiln-compile %s -o %t --stop-after=source
// RUN: FileCheck %s --input-file=%t/src/model.cpp
// The source compiles as it is.
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t/src/model.cpp

// Kernels are named after their op's location, spelled as a C identifier;
// two relus over different shapes print one body, which both call, and a
// body that differs only in a constant is printed on its own.

// CHECK-LABEL: KILN_HD inline void kilnEw0_layer1_Relu_out_0Body(float a0, float &r0) {
// CHECK-NEXT:    const float v0 = 0.0f;
// CHECK-NEXT:    const float v1 = kilnMaximumF(a0, v0);
// CHECK-NEXT:    r0 = v1;
// CHECK-NEXT:  }
// CHECK:       void kilnEw0_layer1_Relu_out_0(float *in0, float *out0) {
// CHECK:           kilnEw0_layer1_Relu_out_0Body(in0[j], out0[j]);

// The second relu has no body of its own.
// CHECK-NOT:   Body(float a0, float &r0) {
// CHECK:       void kilnEw1_relu2(float *in0, float *out0) {
// CHECK:           kilnEw0_layer1_Relu_out_0Body(in0[j], out0[j]);

// An unnamed location keeps the plain name; another constant, another body.
// CHECK:       KILN_HD inline void kilnEw2Body(float a0, float &r0) {
// CHECK-NEXT:    const float v0 = 1.0f;
// CHECK:       void kilnEw2(float *in0, float *out0) {
// CHECK:           kilnEw2Body(in0[j], out0[j]);

// CHECK-LABEL: int run(
// CHECK:         kilnEw0_layer1_Relu_out_0(b0, [[T:b[0-9]+]]);
// CHECK:         float *[[V:b[0-9]+]] = static_cast<float *>(static_cast<void *>([[T]]));
// CHECK:         kilnEw1_relu2([[V]], [[U:b[0-9]+]]);
// CHECK-NEXT:    if (kprof) kilnMark(kprof, 2, {{.*}});
// CHECK-NEXT:    kilnEw2([[U]], b1);

func.func @main(%x: memref<2x3xf32> {graph.name = "x"},
                %y: memref<6xf32> {graph.name = "y", kernel.output})
    attributes {kernel.num_inputs = 1 : i64, kernel.arena_bytes = 64 : i64} {
  %t = kernel.alloc {offset = 0 : i64} : memref<2x3xf32>
  kernel.elementwise ins(%x : memref<2x3xf32>) outs(%t : memref<2x3xf32>) {
  ^bb0(%a: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %a, %zero : f32
    kernel.yield %r : f32
  } loc("/layer1/Relu:out.0")
  %u = kernel.alloc {offset = 32 : i64} : memref<6xf32>
  %v = kernel.view %t : memref<2x3xf32> to memref<6xf32>
  kernel.elementwise ins(%v : memref<6xf32>) outs(%u : memref<6xf32>) {
  ^bb0(%a: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %a, %zero : f32
    kernel.yield %r : f32
  } loc("relu2")
  kernel.elementwise ins(%u : memref<6xf32>) outs(%y : memref<6xf32>) {
  ^bb0(%a: f32):
    %one = arith.constant 1.0 : f32
    %r = arith.maximumf %a, %one : f32
    kernel.yield %r : f32
  }
  return
}
