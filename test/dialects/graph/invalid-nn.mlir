// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Network ops of exported models (GraphShapesNN.cpp): one case per error.

// k must be one value.
func.func @top_k_k_not_scalar(%x: tensor<3x4xf32>) {
  %k = graph.constant dense<[1, 2]> : tensor<2xi64>
  // expected-error @+1 {{'graph.top_k' op k must be a scalar (rank 0 or one element)}}
  %v, %i = graph.top_k %x, %k : (tensor<3x4xf32>, tensor<2xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>)
  return
}

// -----

// k at most the axis size.
func.func @top_k_k_too_large(%x: tensor<3x4xf32>) {
  %k = graph.constant dense<5> : tensor<1xi64>
  // expected-error @+1 {{'graph.top_k' op k 5 is larger than the axis size 4}}
  %v, %i = graph.top_k %x, %k : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x5xf32>, tensor<3x5xi64>)
  return
}

// -----

// k is not negative.
func.func @top_k_k_negative(%x: tensor<3x4xf32>) {
  %k = graph.constant dense<-1> : tensor<1xi64>
  // expected-error @+1 {{'graph.top_k' op k -1 is negative}}
  %v, %i = graph.top_k %x, %k : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>)
  return
}

// -----

// The axis is in range.
func.func @top_k_axis(%x: tensor<3x4xf32>, %k: tensor<1xi64>) {
  // expected-error @+1 {{'graph.top_k' op axis 2 is out of range [-2, 2)}}
  %v, %i = graph.top_k %x, %k {axis = 2 : i64} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>)
  return
}

// -----

// output_padding below the stride (or the dilation).
func.func @conv_transpose_output_padding(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) {
  // expected-error @+1 {{'graph.conv_transpose' op output_padding 2 must be smaller than the stride or the dilation of dim 0}}
  %0 = graph.conv_transpose %x, %w {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, output_padding = array<i64: 2, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x3x?x?xf32>
  return
}

// -----

// Pads larger than the transposed window leave no output.
func.func @conv_transpose_no_output(%x: tensor<1x2x2x2xf32>, %w: tensor<2x3x1x1xf32>) {
  // expected-error @+1 {{'graph.conv_transpose' op transposed window of dim 0 gives no output for input size 2}}
  %0 = graph.conv_transpose %x, %w {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 1, 0, 1, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x3x1x1xf32>) -> tensor<1x3x?x?xf32>
  return
}

// -----

// The input channels divide into the groups.
func.func @conv_transpose_group(%x: tensor<1x3x4x4xf32>, %w: tensor<3x1x1x1xf32>) {
  // expected-error @+1 {{'graph.conv_transpose' op input channels 3 are not divisible by group 2}}
  %0 = graph.conv_transpose %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, kernel_shape = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x4x4xf32>, tensor<3x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  return
}
