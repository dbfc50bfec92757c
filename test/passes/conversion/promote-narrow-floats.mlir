// RUN: kiln-opt %s -convert-graph-to-kernel | FileCheck %s

// A library kernel without f16 / bf16 computes them in f32: the operand is
// widened into a buffer of f32, the kernel writes an f32 buffer, which is
// narrowed into the result. Data-movement kernels take every element type
// as it is (bf16 transpose).

// CHECK-LABEL: func.func @main(
// CHECK-SAME:      %[[X:.*]]: memref<2x8xf16> {{.*}}, %[[T:.*]]: memref<2x3xbf16> {{.*}}, %[[Y:.*]]: memref<2x8xf16> {{.*}}, %[[U:.*]]: memref<3x2xbf16>
// CHECK:         %[[WIDE:.*]] = kernel.alloc : memref<2x8xf32>
// CHECK-NEXT:    kernel.elementwise ins(%[[X]] : memref<2x8xf16>) outs(%[[WIDE]] : memref<2x8xf32>)
// CHECK:           arith.extf %{{.*}} : f16 to f32
// CHECK:         %[[OUT:.*]] = kernel.alloc : memref<2x8xf32>
// CHECK-NEXT:    kernel.library_call "softmax" ins(%[[WIDE]] : memref<2x8xf32>) outs(%[[OUT]] : memref<2x8xf32>)
// CHECK-NEXT:    kernel.elementwise ins(%[[OUT]] : memref<2x8xf32>) outs(%[[Y]] : memref<2x8xf16>)
// CHECK:           arith.truncf %{{.*}} : f32 to f16
// CHECK:         kernel.library_call "transpose" ins(%[[T]] : memref<2x3xbf16>) outs(%[[U]] : memref<3x2xbf16>)
func.func @main(%x: tensor<2x8xf16> {graph.name = "x"}, %t: tensor<2x3xbf16> {graph.name = "t"})
    -> (tensor<2x8xf16> {graph.name = "y"}, tensor<3x2xbf16> {graph.name = "u"}) {
  %y = graph.softmax %x {axis = 1} : tensor<2x8xf16> -> tensor<2x8xf16>
  %u = graph.transpose %t {perm = array<i64: 1, 0>} : tensor<2x3xbf16> -> tensor<3x2xbf16>
  return %y, %u : tensor<2x8xf16>, tensor<3x2xbf16>
}
