// RUN: kiln-opt %s -split-input-file -convert-graph-to-kernel | FileCheck %s

// top_k writes values and i64 indices; the axis is normalized and k is the
// size of the results along it.
// CHECK-LABEL: func.func @main
// CHECK: kernel.library_call "top_k" ins(%{{.*}} : memref<2x5x3xf32>) outs(%{{.*}}, %{{.*}} : memref<2x2x3xf32>, memref<2x2x3xi64>) {axis = 1 : i64, largest = false}
func.func @main(%x: tensor<2x5x3xf32>) -> (tensor<2x2x3xf32>, tensor<2x2x3xi64>) {
  %k = graph.constant dense<2> : tensor<1xi64>
  %v, %i = graph.top_k %x, %k {axis = -2 : i64, largest = false} : (tensor<2x5x3xf32>, tensor<1xi64>) -> (tensor<2x2x3xf32>, tensor<2x2x3xi64>)
  return %v, %i : tensor<2x2x3xf32>, tensor<2x2x3xi64>
}
