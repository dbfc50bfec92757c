// RUN: rm -rf %t && kiln-compile %s -o %t --stop-after=source
// RUN: FileCheck %s --input-file=%t/src/model.cpp
// The source compiles as it is.
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t/src/model.cpp

// f32 exp, tanh and erf print as FastMath.h's straight-line versions, x ** 2
// and x ** 3 as products; another exponent, and f64, keep libm's calls.

// CHECK: #include "kernels/common/FastMath.h"
// CHECK-LABEL: KILN_HD inline void kilnEw0Body(float a0, double a1, float &r0, double &r1) {
// CHECK:         const float [[E:v[0-9]+]] = kiln::fastExp(a0);
// CHECK-NEXT:    const float [[T:v[0-9]+]] = kiln::fastTanh([[E]]);
// CHECK-NEXT:    const float [[F:v[0-9]+]] = kiln::fastErf([[T]]);
// CHECK-NEXT:    const float [[S:v[0-9]+]] = [[F]] * [[F]];
// CHECK-NEXT:    const float [[C:v[0-9]+]] = [[S]] * [[S]] * [[S]];
// CHECK-NEXT:    const float {{v[0-9]+}} = powf([[C]], {{v[0-9]+}});
// CHECK:         const double {{v[0-9]+}} = exp(a1);
// CHECK-NOT:     kiln::fast

func.func @main(%x: memref<8xf32> {graph.name = "x"},
                %d: memref<8xf64> {graph.name = "d"},
                %y: memref<8xf32> {graph.name = "y", kernel.output},
                %z: memref<8xf64> {graph.name = "z", kernel.output})
    attributes {kernel.num_inputs = 2 : i64, kernel.arena_bytes = 0 : i64} {
  kernel.elementwise ins(%x, %d : memref<8xf32>, memref<8xf64>)
                     outs(%y, %z : memref<8xf32>, memref<8xf64>) {
  ^bb0(%a: f32, %b: f64):
    %two = arith.constant 2.0 : f32
    %three = arith.constant 3.0 : f32
    %half = arith.constant 2.5 : f32
    %0 = math.exp %a : f32
    %1 = math.tanh %0 : f32
    %2 = math.erf %1 : f32
    %3 = math.powf %2, %two : f32
    %4 = math.powf %3, %three : f32
    %5 = math.powf %4, %half : f32
    %6 = math.exp %b : f64
    kernel.yield %5, %6 : f32, f64
  }
  return
}
