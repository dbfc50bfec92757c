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

// -----

// Exactly one of scales and sizes.
func.func @resize_scales_and_sizes(%x: tensor<1x4xf32>) {
  // expected-error @+1 {{'graph.resize' op needs exactly one of scales and sizes}}
  %0 = graph.resize %x {scales = array<f32: 1.0, 2.0>, sizes = array<i64: 1, 8>} : tensor<1x4xf32> -> tensor<1x8xf32>
  return
}

// -----

// Linear and cubic interpolate floats.
func.func @resize_linear_int(%x: tensor<1x4xi32>) {
  // expected-error @+1 {{'graph.resize' op linear resize needs a float input, got 'i32'}}
  %0 = graph.resize %x {mode = "linear", scales = array<f32: 1.0, 2.0>} : tensor<1x4xi32> -> tensor<1x8xi32>
  return
}

// -----

// Antialias filters, so it needs linear or cubic.
func.func @resize_antialias_nearest(%x: tensor<1x4xf32>) {
  // expected-error @+1 {{'graph.resize' op antialias needs mode linear or cubic}}
  %0 = graph.resize %x {antialias = true, scales = array<f32: 1.0, 0.5>} : tensor<1x4xf32> -> tensor<1x2xf32>
  return
}

// -----

// A scale that leaves nothing of a dim.
func.func @resize_empty(%x: tensor<1x4xf32>) {
  // expected-error @+1 {{'graph.resize' op scale 2.000000e-01 of dim size 4 gives an empty dim}}
  %0 = graph.resize %x {scales = array<f32: 1.0, 0.2>} : tensor<1x4xf32> -> tensor<1x1xf32>
  return
}

// -----

// tf_crop_and_resize reads a roi.
func.func @resize_no_roi(%x: tensor<1x4xf32>) {
  // expected-error @+1 {{'graph.resize' op tf_crop_and_resize needs a roi}}
  %0 = graph.resize %x {coordinate_transformation_mode = "tf_crop_and_resize", sizes = array<i64: 1, 2>} : tensor<1x4xf32> -> tensor<1x2xf32>
  return
}

// -----

// Unknown modes are errors.
func.func @resize_mode(%x: tensor<1x4xf32>) {
  // expected-error @+1 {{'graph.resize' op coordinate_transformation_mode 'half' is unknown}}
  %0 = graph.resize %x {coordinate_transformation_mode = "half", sizes = array<i64: 1, 2>} : tensor<1x4xf32> -> tensor<1x2xf32>
  return
}

// -----

// W is (dirs, G * hidden, input): 3 gates for a GRU.
func.func @gru_weight_shape(%x: tensor<5x2x3xf32>, %w: tensor<1x8x3xf32>, %r: tensor<1x12x4xf32>) {
  // expected-error @+1 {{'graph.gru' op W must have shape 1x12x3, got 'tensor<1x8x3xf32>'}}
  %y:2 = graph.gru %x, %w, %r {activation_alpha = array<f32: 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0>, activations = ["Sigmoid", "Tanh"], hidden_size = 4 : i64} : (tensor<5x2x3xf32>, tensor<1x8x3xf32>, tensor<1x12x4xf32>) -> tensor<5x1x2x4xf32>, tensor<1x2x4xf32>
  return
}

// -----

// One activation per function and direction.
func.func @rnn_activations(%x: tensor<5x2x3xf32>, %w: tensor<2x4x3xf32>, %r: tensor<2x4x4xf32>) {
  // expected-error @+1 {{'graph.rnn' op needs 2 activations, got 1}}
  %y:2 = graph.rnn %x, %w, %r {activation_alpha = array<f32: 0.0>, activation_beta = array<f32: 0.0>, activations = ["Tanh"], direction = "bidirectional", hidden_size = 4 : i64} : (tensor<5x2x3xf32>, tensor<2x4x3xf32>, tensor<2x4x4xf32>) -> tensor<5x2x2x4xf32>, tensor<2x2x4xf32>
  return
}

// -----

// Peepholes are (dirs, 3 * hidden).
func.func @lstm_peepholes(%x: tensor<5x2x3xf32>, %w: tensor<1x16x3xf32>, %r: tensor<1x16x4xf32>, %p: tensor<1x16xf32>) {
  // expected-error @+1 {{'graph.lstm' op P must have shape 1x12, got 'tensor<1x16xf32>'}}
  %y:3 = graph.lstm %x, %w, %r peepholes(%p : tensor<1x16xf32>) {activation_alpha = array<f32: 0.0, 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0, 0.0>, activations = ["Sigmoid", "Tanh", "Tanh"], hidden_size = 4 : i64} : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>) -> tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>
  return
}

// -----

// attention: q, k and v of one rank.
func.func @attention_rank(%q: tensor<4x16x8xf32>, %k: tensor<1x4x16x8xf32>, %v: tensor<4x16x8xf32>) {
  // expected-error @+1 {{'graph.attention' op q, k and v must have one rank >= 2, got 3, 4 and 3}}
  %y = graph.attention %q, %k, %v {scale = 1.0 : f32} : (tensor<4x16x8xf32>, tensor<1x4x16x8xf32>, tensor<4x16x8xf32>) -> tensor<4x16x8xf32>
  return
}

// -----

// attention: one float element type.
func.func @attention_element_type(%q: tensor<4x16x8xf32>, %k: tensor<4x16x8xf16>, %v: tensor<4x16x8xf32>) {
  // expected-error @+1 {{'graph.attention' op q, k and v must have one float element type}}
  %y = graph.attention %q, %k, %v {scale = 1.0 : f32} : (tensor<4x16x8xf32>, tensor<4x16x8xf16>, tensor<4x16x8xf32>) -> tensor<4x16x8xf32>
  return
}

// -----

// attention: the batch dims of q, k and v are the same, not broadcast.
func.func @attention_batch(%q: tensor<4x16x8xf32>, %k: tensor<1x16x8xf32>, %v: tensor<4x16x8xf32>) {
  // expected-error @+1 {{'graph.attention' op batch dim 0 of q, k and v differs}}
  %y = graph.attention %q, %k, %v {scale = 1.0 : f32} : (tensor<4x16x8xf32>, tensor<1x16x8xf32>, tensor<4x16x8xf32>) -> tensor<4x16x8xf32>
  return
}

// -----

// attention: q and k share the head size D.
func.func @attention_head_size(%q: tensor<4x16x8xf32>, %k: tensor<4x16x6xf32>, %v: tensor<4x16x8xf32>) {
  // expected-error @+1 {{'graph.attention' op q and k have head sizes 8 and 6}}
  %y = graph.attention %q, %k, %v {scale = 1.0 : f32} : (tensor<4x16x8xf32>, tensor<4x16x6xf32>, tensor<4x16x8xf32>) -> tensor<4x16x8xf32>
  return
}

// -----

// attention: k and v share the sequence length S_k.
func.func @attention_keys(%q: tensor<4x16x8xf32>, %k: tensor<4x16x8xf32>, %v: tensor<4x12x8xf32>) {
  // expected-error @+1 {{'graph.attention' op k and v have sequence lengths 16 and 12}}
  %y = graph.attention %q, %k, %v {scale = 1.0 : f32} : (tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<4x12x8xf32>) -> tensor<4x16x8xf32>
  return
}

// -----

// attention: the mask broadcasts to the scores (B..., S_q, S_k) without
// growing them.
func.func @attention_mask_shape(%q: tensor<4x16x8xf32>, %k: tensor<4x20x8xf32>, %v: tensor<4x20x8xf32>, %m: tensor<16x16xf32>) {
  // expected-error @+1 {{'graph.attention' op mask must broadcast to the scores}}
  %y = graph.attention %q, %k, %v, %m {scale = 1.0 : f32} : (tensor<4x16x8xf32>, tensor<4x20x8xf32>, tensor<4x20x8xf32>, tensor<16x16xf32>) -> tensor<4x16x8xf32>
  return
}

// -----

// attention: the mask has q's element type.
func.func @attention_mask_type(%q: tensor<4x16x8xf32>, %k: tensor<4x20x8xf32>, %v: tensor<4x20x8xf32>, %m: tensor<16x20xi1>) {
  // expected-error @+1 {{'graph.attention' op mask must have the element type of q}}
  %y = graph.attention %q, %k, %v, %m {scale = 1.0 : f32} : (tensor<4x16x8xf32>, tensor<4x20x8xf32>, tensor<4x20x8xf32>, tensor<16x20xi1>) -> tensor<4x16x8xf32>
  return
}
