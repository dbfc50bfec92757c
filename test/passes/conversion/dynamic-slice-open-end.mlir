// RUN: kiln-opt %s -convert-graph-to-kernel | FileCheck %s

// Slices "to the end" (end = INT64_MAX, as exporters write x[..., 32:])
// along a dynamic dim, twice: the second reuses the index constant of the
// first. The size is the dim minus the start, clamped at 0.

// CHECK-LABEL: func.func @main(
// CHECK:         %[[N:.*]] = kernel.dim %{{.*}}[1] : memref<2x?xf32>
// CHECK:         %[[SPAN:.*]] = arith.subi %[[N]], %{{.*}} : index
// CHECK:         %[[COUNT:.*]] = arith.ceildivsi %[[SPAN]], %{{.*}} : index
// CHECK:         %[[SIZE:.*]] = arith.maxsi %[[COUNT]], %{{.*}} : index
// CHECK:         %[[SPAN2:.*]] = arith.subi %[[N]], %{{.*}} : index
// CHECK:         kernel.output_dims
// CHECK:         kernel.output_dims
func.func @main(%x: tensor<2x?xf32> {graph.name = "x", graph.dim_names = ["", "n"]})
    -> (tensor<2x?xf32> {graph.name = "y"}, tensor<2x?xf32> {graph.name = "z"}) {
  %one = graph.constant dense<[1]> : tensor<1xi64>
  %three = graph.constant dense<[3]> : tensor<1xi64>
  %end = graph.constant dense<[9223372036854775807]> : tensor<1xi64>
  %axes = graph.constant dense<[1]> : tensor<1xi64>
  %y = graph.slice %x[%one, %end axes %axes] : (tensor<2x?xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x?xf32>
  %z = graph.slice %x[%three, %end axes %axes] : (tensor<2x?xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x?xf32>
  return %y, %z : tensor<2x?xf32>, tensor<2x?xf32>
}
