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

// -----

// conv_transpose: output_padding becomes a negative end pad, so that
// y = s * (x - 1) + d * (k - 1) + 1 - begin - end holds (10 = 8 + 2 + 1 - 1 - 0
// and 9 = 8 + 2 + 1 - 1 - 1).
// CHECK-LABEL: func.func @main
// CHECK: kernel.library_call "conv_transpose" ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<1x4x5x5xf32>, memref<4x3x3x3xf32>, memref<6xf32>) outs(%{{.*}} : memref<1x6x10x9xf32>) {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 0, 1>, strides = array<i64: 2, 2>}
func.func @main(%x: tensor<1x4x5x5xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x10x9xf32> {
  %y = graph.conv_transpose %x, %w, %b {dilations = array<i64: 1, 1>, group = 2 : i64, kernel_shape = array<i64: 3, 3>, output_padding = array<i64: 1, 0>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x10x9xf32>
  return %y : tensor<1x6x10x9xf32>
}

// -----

// output_shape and SAME_* derive the pads from the total padding
// natural - size (natural = 2 * 4 + 2 + 1 = 11): the larger half at the begin
// unless SAME_UPPER.
// CHECK-LABEL: func.func @main
// CHECK: kernel.library_call "conv_transpose" {{.*}} outs(%{{.*}} : memref<1x2x8x10xf32>) {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 2, 1, 1, 0>, strides = array<i64: 2, 2>}
// CHECK: kernel.library_call "conv_transpose" {{.*}} outs(%{{.*}} : memref<1x2x10x10xf32>) {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>}
func.func @main(%x: tensor<1x2x5x5xf32>, %w: tensor<2x2x3x3xf32>) -> (tensor<1x2x8x10xf32>, tensor<1x2x10x10xf32>) {
  %s = graph.conv_transpose %x, %w {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, output_padding = array<i64: 0, 0>, output_shape = array<i64: 8, 10>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x8x10xf32>
  %u = graph.conv_transpose %x, %w {auto_pad = "SAME_UPPER", dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x10x10xf32>
  return %s, %u : tensor<1x2x8x10xf32>, tensor<1x2x10x10xf32>
}

// -----

// resize: the scale factors in double, size / in where sizes decide (with
// keep_aspect_ratio_policy, the common factor 0.75 on the sized dims); roi
// only for tf_crop_and_resize.
// CHECK-LABEL: func.func @main
// CHECK: kernel.library_call "resize" ins(%{{.*}} : memref<2x4x6xf32>) outs(%{{.*}} : memref<2x6x3xf32>) {antialias = false, coordinate_transformation_mode = "half_pixel", cubic_coeff_a = -7.500000e-01 : f32, exclude_outside = false, extrapolation_value = 0.000000e+00 : f32, mode = "linear", nearest_mode = "round_prefer_floor", roi = array<f64>, scales = array<f64: 1.000000e+00, 1.500000e+00, 5.000000e-01>}
// CHECK: kernel.library_call "resize" {{.*}} outs(%{{.*}} : memref<2x3x5xf32>) {{.*}} scales = array<f64: 1.000000e+00, 7.500000e-01, 7.500000e-01>}
// CHECK: kernel.library_call "resize" {{.*}} outs(%{{.*}} : memref<2x3x2xf32>) {{.*}}roi = array<f64: 0.000000e+00, 0.000000e+00, 5.000000e-01, 1.000000e+00, 1.000000e+00, 1.000000e+00>, scales = array<f64: 1.000000e+00, 7.500000e-01, 0.33333333333333331>}
func.func @main(%x: tensor<2x4x6xf32>) -> (tensor<2x6x3xf32>, tensor<2x3x5xf32>, tensor<2x3x2xf32>) {
  %0 = graph.resize %x {mode = "linear", scales = array<f32: 1.0, 1.5, 0.5>} : tensor<2x4x6xf32> -> tensor<2x6x3xf32>
  %1 = graph.resize %x {keep_aspect_ratio_policy = "not_larger", sizes = array<i64: -1, 3, 10>} : tensor<2x4x6xf32> -> tensor<2x3x5xf32>
  %2 = graph.resize %x {coordinate_transformation_mode = "tf_crop_and_resize", mode = "linear", roi = array<f32: 0.0, 0.0, 0.5, 1.0, 1.0, 1.0>, sizes = array<i64: 2, 3, 2>} : tensor<2x4x6xf32> -> tensor<2x3x2xf32>
  return %0, %1, %2 : tensor<2x6x3xf32>, tensor<2x3x5xf32>, tensor<2x3x2xf32>
}

// -----

// Nearest moves any dtype; linear interpolates f32 only.
// CHECK-LABEL: func.func @main
// CHECK: kernel.library_call "resize" ins(%{{.*}} : memref<2x3xi64>) outs(%{{.*}} : memref<2x6xi64>) {{.*}}mode = "nearest"
func.func @main(%x: tensor<2x3xi64>) -> tensor<2x6xi64> {
  %0 = graph.resize %x {scales = array<f32: 1.0, 2.0>} : tensor<2x3xi64> -> tensor<2x6xi64>
  return %0 : tensor<2x6xi64>
}

// -----

// lstm passes its present inputs with their ONNX indices (X, W, R,
// sequence_lens, P = 0, 1, 2, 4, 7), the activations as codes (Sigmoid 2,
// Tanh 1) and clip 0 for none; all three results get buffers.
// CHECK-LABEL: func.func @main
// CHECK: kernel.library_call "lstm" ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : memref<5x2x3xf32>, memref<1x16x3xf32>, memref<1x16x4xf32>, memref<2xi32>, memref<1x12xf32>) outs(%{{.*}}, %{{.*}}, %{{.*}} : memref<5x1x2x4xf32>, memref<1x2x4xf32>, memref<1x2x4xf32>) {activation_alpha = array<f64: 0.000000e+00, 0.000000e+00, 0.000000e+00>, activation_beta = array<f64: 0.000000e+00, 0.000000e+00, 0.000000e+00>, activations = array<i64: 2, 1, 1>, clip = 0.000000e+00 : f32, direction = "forward", input_forget = false, input_roles = array<i64: 0, 1, 2, 4, 7>}
func.func @main(%x: tensor<5x2x3xf32>, %w: tensor<1x16x3xf32>, %r: tensor<1x16x4xf32>, %l: tensor<2xi32>, %p: tensor<1x12xf32>) -> tensor<1x2x4xf32> {
  %y:3 = graph.lstm %x, %w, %r sequence_lens(%l : tensor<2xi32>) peepholes(%p : tensor<1x12xf32>) {activation_alpha = array<f32: 0.0, 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0, 0.0>, activations = ["Sigmoid", "Tanh", "Tanh"], hidden_size = 4 : i64} : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>) -> tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>
  return %y#1 : tensor<1x2x4xf32>
}
