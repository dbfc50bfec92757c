// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// The network ops of exported models print and parse back to themselves.

// CHECK-LABEL: func.func @top_k
func.func @top_k(%x: tensor<3x4xf32>, %k: tensor<1xi64>) {
  // CHECK: graph.top_k %{{.*}}, %{{.*}} {axis = 0 : i64, largest = false} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<?x4xf32>, tensor<?x4xi64>)
  %v, %i = graph.top_k %x, %k {axis = 0 : i64, largest = false} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<?x4xf32>, tensor<?x4xi64>)
  return
}

// CHECK-LABEL: func.func @conv_transpose
func.func @conv_transpose(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<2xf32>) {
  // CHECK: graph.conv_transpose %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, output_padding = array<i64: 0, 0>, output_shape = array<i64: 11, 11>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x11x11xf32>
  %0 = graph.conv_transpose %x, %w, %b {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, output_padding = array<i64: 0, 0>, output_shape = array<i64: 11, 11>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x11x11xf32>
  return
}

// keep_aspect_ratio_policy scales the dims with a size by one factor:
// not_larger takes min(3 / 4, 10 / 6) = 0.75, so 4 -> 3 and 6 -> 4.5 -> 5
// (half up); not_smaller takes 10 / 6, so 4 -> 6.67 -> 7 and 6 -> 10.
// CHECK-LABEL: func.func @resize
func.func @resize(%x: tensor<2x4x6xf32>) {
  // CHECK: graph.resize %{{.*}} {mode = "cubic", scales = array<f32: 1.000000e+00, 1.500000e+00, 5.000000e-01>} : tensor<2x4x6xf32> -> tensor<2x6x3xf32>
  %0 = graph.resize %x {mode = "cubic", scales = array<f32: 1.0, 1.5, 0.5>} : tensor<2x4x6xf32> -> tensor<2x6x3xf32>
  // CHECK: graph.resize %{{.*}} {keep_aspect_ratio_policy = "not_larger", sizes = array<i64: -1, 3, 10>} : tensor<2x4x6xf32> -> tensor<2x3x5xf32>
  %1 = graph.resize %x {keep_aspect_ratio_policy = "not_larger", sizes = array<i64: -1, 3, 10>} : tensor<2x4x6xf32> -> tensor<2x3x5xf32>
  // CHECK: graph.resize %{{.*}} {keep_aspect_ratio_policy = "not_smaller", sizes = array<i64: -1, 3, 10>} : tensor<2x4x6xf32> -> tensor<2x7x10xf32>
  %2 = graph.resize %x {keep_aspect_ratio_policy = "not_smaller", sizes = array<i64: -1, 3, 10>} : tensor<2x4x6xf32> -> tensor<2x7x10xf32>
  return
}

// CHECK-LABEL: func.func @attention
func.func @attention(%q: tensor<2x4x16x8xf32>, %k: tensor<2x4x20x8xf32>, %v: tensor<2x4x20x6xf32>, %m: tensor<1x1x16x20xf32>) {
  // CHECK: graph.attention %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {scale = 1.250000e-01 : f32} : (tensor<2x4x16x8xf32>, tensor<2x4x20x8xf32>, tensor<2x4x20x6xf32>, tensor<1x1x16x20xf32>) -> tensor<2x4x16x6xf32>
  %y = graph.attention %q, %k, %v, %m {scale = 0.125 : f32} : (tensor<2x4x16x8xf32>, tensor<2x4x20x8xf32>, tensor<2x4x20x6xf32>, tensor<1x1x16x20xf32>) -> tensor<2x4x16x6xf32>
  // CHECK: graph.attention %{{.*}}, %{{.*}}, %{{.*}} {scale = 1.000000e+00 : f32} : (tensor<2x4x16x8xf32>, tensor<2x4x20x8xf32>, tensor<2x4x20x6xf32>) -> tensor<2x4x16x6xf32>
  %z = graph.attention %q, %k, %v {scale = 1.0 : f32} : (tensor<2x4x16x8xf32>, tensor<2x4x20x8xf32>, tensor<2x4x20x6xf32>) -> tensor<2x4x16x6xf32>
  return
}
