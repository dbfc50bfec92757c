// RUN: kiln-opt %s -split-input-file -convert-graph-to-kernel | FileCheck %s

// A saturating cast to float8 clamps to +-max in f32 (NaN passes), then
// truncates; without saturate it only truncates.
// CHECK-LABEL: func.func @main
// CHECK: kernel.elementwise ins(%{{.*}} : memref<4xf16>) outs(%{{.*}} : memref<4xf8E5M2>)
// CHECK:   %[[WIDE:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK-DAG:   %[[MAX:.*]] = arith.constant 5.734400e+04 : f32
// CHECK-DAG:   %[[MIN:.*]] = arith.constant -5.734400e+04 : f32
// CHECK:   %[[LO:.*]] = arith.maximumf %[[WIDE]], %[[MIN]] : f32
// CHECK:   %[[HI:.*]] = arith.minimumf %[[LO]], %[[MAX]] : f32
// CHECK:   arith.truncf %[[HI]] : f32 to f8E5M2
// CHECK: kernel.elementwise ins(%{{.*}} : memref<4xf16>) outs(%{{.*}} : memref<4xf8E5M2>)
// CHECK-NEXT: ^bb0(%[[H:.*]]: f16):
// CHECK-NEXT:   arith.truncf %[[H]] : f16 to f8E5M2
func.func @main(%x: tensor<4xf16>) -> (tensor<4xf8E5M2>, tensor<4xf8E5M2>) {
  %a = graph.cast %x : tensor<4xf16> -> tensor<4xf8E5M2>
  %b = graph.cast %x {saturate = false} : tensor<4xf16> -> tensor<4xf8E5M2>
  return %a, %b : tensor<4xf8E5M2>, tensor<4xf8E5M2>
}

// -----

// Unsigned values are signless in the body: widening zero-extends, float to
// unsigned is fptoui, and a cast between types of one width keeps the bits.
// CHECK-LABEL: func.func @main
// CHECK: kernel.elementwise ins(%{{.*}} : memref<4xui4>) outs(%{{.*}} : memref<4xui8>)
// CHECK:   arith.extui %{{.*}} : i4 to i8
// CHECK: kernel.elementwise ins(%{{.*}} : memref<4xf16>) outs(%{{.*}} : memref<4xui2>)
// CHECK:   arith.fptoui %{{.*}} : f16 to i2
// CHECK: kernel.elementwise ins(%{{.*}} : memref<4xui4>) outs(%{{.*}} : memref<4xi4>)
// CHECK-NEXT: ^bb0(%[[U:.*]]: i4):
// CHECK-NEXT:   kernel.yield %[[U]] : i4
func.func @main(%x: tensor<4xf16>, %u: tensor<4xui4>) -> (tensor<4xui8>, tensor<4xui2>, tensor<4xi4>) {
  %c = graph.cast %u : tensor<4xui4> -> tensor<4xui8>
  %e = graph.cast %x : tensor<4xf16> -> tensor<4xui2>
  %g = graph.cast %u : tensor<4xui4> -> tensor<4xi4>
  return %c, %e, %g : tensor<4xui8>, tensor<4xui2>, tensor<4xi4>
}

// -----

// Float8 to float widens; float8 to float8 goes through f32.
// CHECK-LABEL: func.func @main
// CHECK:   arith.extf %{{.*}} : f8E4M3FNUZ to f32
// CHECK:   %[[F:.*]] = arith.extf %{{.*}} : f8E4M3FNUZ to f32
// CHECK:   arith.truncf %[[F]] : f32 to f8E4M3FN
func.func @main(%f: tensor<4xf8E4M3FNUZ>) -> (tensor<4xf32>, tensor<4xf8E4M3FN>) {
  %d = graph.cast %f : tensor<4xf8E4M3FNUZ> -> tensor<4xf32>
  %h = graph.cast %f {saturate = false} : tensor<4xf8E4M3FNUZ> -> tensor<4xf8E4M3FN>
  return %d, %h : tensor<4xf32>, tensor<4xf8E4M3FN>
}
