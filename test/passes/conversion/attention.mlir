// RUN: kiln-opt %s -split-input-file -convert-graph-to-kernel | FileCheck %s

// graph.attention becomes kernel.attention into a fresh buffer of
// (B..., S_q, D_v), the mask passed as it is (broadcast by the kernel).
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[Q:.*]]: memref<2x4x16x8xf32> {{.*}}, %[[K:.*]]: memref<2x4x20x8xf32> {{.*}}, %[[V:.*]]: memref<2x4x20x6xf32> {{.*}}, %[[M:.*]]: memref<1x1x16x20xf32> {{.*}}, %[[Y:.*]]: memref<2x4x16x6xf32>
// CHECK: kernel.attention %[[Q]], %[[K]], %[[V]] mask(%[[M]] : memref<1x1x16x20xf32>) into %[[Y]] {scale = 1.250000e-01 : f32} : memref<2x4x16x8xf32>, memref<2x4x20x8xf32>, memref<2x4x20x6xf32>, memref<2x4x16x6xf32>
func.func @main(%q: tensor<2x4x16x8xf32> {graph.name = "q"}, %k: tensor<2x4x20x8xf32> {graph.name = "k"}, %v: tensor<2x4x20x6xf32> {graph.name = "v"}, %m: tensor<1x1x16x20xf32> {graph.name = "m"}) -> (tensor<2x4x16x6xf32> {graph.name = "y"}) {
  %y = graph.attention %q, %k, %v, %m {scale = 0.125 : f32} : (tensor<2x4x16x8xf32>, tensor<2x4x20x8xf32>, tensor<2x4x20x6xf32>, tensor<1x1x16x20xf32>) -> tensor<2x4x16x6xf32>
  return %y : tensor<2x4x16x6xf32>
}

// -----

// Dynamic batch and sequence dims: the result's come from q's and v's.
// CHECK-LABEL: func.func @main
// CHECK-DAG: %[[S:.*]] = kernel.dim %arg0[1] : memref<?x?x8xf32>
// CHECK-DAG: %[[B:.*]] = kernel.dim %arg0[0] : memref<?x?x8xf32>
// CHECK: kernel.attention %arg0, %arg1, %arg1 into %arg2 {scale = 1.000000e+00 : f32} : memref<?x?x8xf32>, memref<?x?x8xf32>, memref<?x?x8xf32>, memref<?x?x8xf32>
// CHECK: kernel.output_dims %arg2(%[[B]], %[[S]]) : memref<?x?x8xf32>
func.func @main(%q: tensor<?x?x8xf32> {graph.name = "q", graph.dim_names = ["b", "s"]}, %k: tensor<?x?x8xf32> {graph.name = "k", graph.dim_names = ["b", "t"]}) -> (tensor<?x?x8xf32> {graph.name = "y"}) {
  %y = graph.attention %q, %k, %k {scale = 1.0 : f32} : (tensor<?x?x8xf32>, tensor<?x?x8xf32>, tensor<?x?x8xf32>) -> tensor<?x?x8xf32>
  return %y : tensor<?x?x8xf32>
}
