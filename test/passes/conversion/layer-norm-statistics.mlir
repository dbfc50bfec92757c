// RUN: kiln-opt %s -split-input-file -convert-graph-to-kernel | FileCheck %s

// layer_norm with statistics writes y, mean and inv_std_dev, in that order.
// CHECK-LABEL: func.func @main
// CHECK: kernel.library_call "layer_norm" ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<2x3x4xf32>, memref<4xf32>, memref<4xf32>) outs(%{{.*}}, %{{.*}}, %{{.*}} : memref<2x3x4xf32>, memref<2x3x1xf32>, memref<2x3x1xf32>) {axis = 2 : i64, epsilon = 9.99999974E-6 : f32}
func.func @main(%x: tensor<2x3x4xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x1xf32>, tensor<2x3x1xf32>) {
  %ln:3 = graph.layer_norm %x, %g, %b {axis = -1 : i64, with_statistics} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x1xf32>, tensor<2x3x1xf32>)
  return %ln#0, %ln#1, %ln#2 : tensor<2x3x4xf32>, tensor<2x3x1xf32>, tensor<2x3x1xf32>
}

// -----

// Unused statistics still get buffers; without statistics, y alone.
// CHECK-LABEL: func.func @main
// CHECK: kernel.library_call "layer_norm" ins(%{{.*}}, %{{.*}} : memref<2x6xf32>, memref<6xf32>) outs(%{{.*}}, %{{.*}}, %{{.*}} : memref<2x6xf32>, memref<2x1xf32>, memref<2x1xf32>) {axis = 1 : i64
// CHECK: kernel.library_call "layer_norm" ins(%{{.*}}, %{{.*}} : memref<2x6xf32>, memref<2x6xf32>) outs(%{{.*}} : memref<2x6xf32>) {axis = 0 : i64
func.func @main(%x: tensor<2x6xf32>, %g: tensor<6xf32>, %h: tensor<2x6xf32>) -> (tensor<2x6xf32>, tensor<2x6xf32>) {
  %ln:3 = graph.layer_norm %x, %g {axis = 1 : i64, with_statistics} : (tensor<2x6xf32>, tensor<6xf32>) -> (tensor<2x6xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
  %all = graph.layer_norm %x, %h {axis = 0 : i64} : (tensor<2x6xf32>, tensor<2x6xf32>) -> tensor<2x6xf32>
  return %ln#0, %all : tensor<2x6xf32>, tensor<2x6xf32>
}
