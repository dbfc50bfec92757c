// RUN: kiln-opt %s --split-input-file --verify-diagnostics

// Binary operands of different element types.
func.func @binary_element_types(%x: tensor<4xf32>, %y: tensor<4xi32>) {
  // expected-error @+1 {{'graph.add' op operand element types 'f32' and 'i32' differ}}
  %0 = graph.add %x, %y : (tensor<4xf32>, tensor<4xi32>) -> tensor<4xf32>
  return
}

// -----

// Binary operands whose static sizes differ and are not 1.
func.func @binary_broadcast(%x: tensor<2x3xf32>, %y: tensor<4xf32>) {
  // expected-error @+1 {{'graph.sub' op operand shapes 'tensor<2x3xf32>' and 'tensor<4xf32>' are not broadcast-compatible}}
  %0 = graph.sub %x, %y : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Logical and bitwise ops take booleans or integers.
func.func @logical_bool(%x: tensor<4xf32>) {
  // expected-error @+1 {{'graph.and' op operand #0 must be ranked tensor of integer values}}
  %0 = graph.and %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// A declared static size that conflicts with the inferred one.
func.func @result_conflict(%x: tensor<2x3xf32>, %y: tensor<3xf32>) {
  // expected-error @+1 {{'graph.mul' op result #0 type 'tensor<2x4xf32>' is incompatible with the inferred type 'tensor<2x3xf32>'}}
  %0 = graph.mul %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x4xf32>
  return
}

// -----

// A declared rank that differs from the inferred one.
func.func @result_rank(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.relu' op result #0 type 'tensor<6xf32>' is incompatible with the inferred type 'tensor<2x3xf32>'}}
  %0 = graph.relu %x : tensor<2x3xf32> -> tensor<6xf32>
  return
}

// -----

// A declared element type that differs from the inferred one.
func.func @result_element_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.exp' op result #0 has element type 'f16', inferred 'f32'}}
  %0 = graph.exp %x : tensor<2x3xf32> -> tensor<2x3xf16>
  return
}

// -----

// Pow broadcasts like every binary op.
func.func @pow_broadcast(%x: tensor<2xf32>, %y: tensor<3xf32>) {
  // expected-error @+1 {{'graph.pow' op operand shapes are not broadcast-compatible}}
  %0 = graph.pow %x, %y : (tensor<2xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Clip bounds are scalars.
func.func @clip_bound_shape(%x: tensor<4xf32>, %lo: tensor<2xf32>) {
  // expected-error @+1 {{'graph.clip' op min must be a scalar (rank 0 or one element)}}
  %0 = graph.clip %x min(%lo : tensor<2xf32>) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Clip bounds have the input's element type.
func.func @clip_bound_type(%x: tensor<4xf32>, %hi: tensor<f16>) {
  // expected-error @+1 {{'graph.clip' op max has element type 'f16', expected 'f32'}}
  %0 = graph.clip %x max(%hi : tensor<f16>) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Where's branches share an element type.
func.func @where_types(%c: tensor<4xi1>, %x: tensor<4xf32>, %y: tensor<4xi64>) {
  // expected-error @+1 {{'graph.where' op x and y element types differ}}
  %0 = graph.where %c, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<4xi64>) -> tensor<4xf32>
  return
}

// -----

// Where's condition broadcasts with x and y.
func.func @where_broadcast(%c: tensor<3xi1>, %x: tensor<4xf32>, %y: tensor<4xf32>) {
  // expected-error @+1 {{'graph.where' op condition, x and y shapes are not broadcast-compatible}}
  %0 = graph.where %c, %x, %y : (tensor<3xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// MatMul operands share an element type.
func.func @matmul_types(%a: tensor<2x3xf32>, %b: tensor<3x4xf16>) {
  // expected-error @+1 {{'graph.matmul' op operand element types differ}}
  %0 = graph.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf16>) -> tensor<2x4xf32>
  return
}

// -----

// MatMul does not take scalars.
func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'graph.matmul' op operands must have rank >= 1}}
  %0 = graph.matmul %a, %b : (tensor<f32>, tensor<3x4xf32>) -> tensor<4xf32>
  return
}

// -----

// MatMul contraction sizes agree.
func.func @matmul_contraction(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{'graph.matmul' op contraction sizes 3 and 4 differ}}
  %0 = graph.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

// MatMul batch dims broadcast.
func.func @matmul_batch(%a: tensor<2x2x3xf32>, %b: tensor<3x3x5xf32>) {
  // expected-error @+1 {{'graph.matmul' op batch dimensions are not broadcast-compatible}}
  %0 = graph.matmul %a, %b : (tensor<2x2x3xf32>, tensor<3x3x5xf32>) -> tensor<2x2x5xf32>
  return
}

// -----

// Gemm takes matrices.
func.func @gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{'graph.gemm' op A and B must be 2-d}}
  %0 = graph.gemm %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

// Gemm operands share an element type.
func.func @gemm_types(%a: tensor<2x4xf32>, %b: tensor<4x5xf16>) {
  // expected-error @+1 {{'graph.gemm' op A and B element types differ}}
  %0 = graph.gemm %a, %b : (tensor<2x4xf32>, tensor<4x5xf16>) -> tensor<2x5xf32>
  return
}

// -----

// transB makes B (N, K): the contraction sizes are 4 and 5.
func.func @gemm_contraction(%a: tensor<2x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{'graph.gemm' op contraction sizes 4 and 5 differ}}
  %0 = graph.gemm %a, %b {transB = true} : (tensor<2x4xf32>, tensor<4x5xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Gemm's C broadcasts to (M, N) one way only.
func.func @gemm_c(%a: tensor<2x4xf32>, %b: tensor<4x5xf32>, %c: tensor<3x5xf32>) {
  // expected-error @+1 {{'graph.gemm' op C of shape 'tensor<3x5xf32>' does not broadcast to (M, N)}}
  %0 = graph.gemm %a, %b, %c : (tensor<2x4xf32>, tensor<4x5xf32>, tensor<3x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

// Conv needs (N, C, spatial...).
func.func @conv_rank(%x: tensor<3x8xf32>, %w: tensor<4x3xf32>) {
  // expected-error @+1 {{'graph.conv' op input must have rank >= 3, got 2}}
  %0 = graph.conv %x, %w {kernel_shape = array<i64: 1>, strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>} : (tensor<3x8xf32>, tensor<4x3xf32>) -> tensor<3x4xf32>
  return
}

// -----

// Conv weight and input have the same rank.
func.func @conv_weight_rank(%x: tensor<1x3x8xf32>, %w: tensor<4x3x1x1xf32>) {
  // expected-error @+1 {{'graph.conv' op weight rank 4 differs from input rank 3}}
  %0 = graph.conv %x, %w {kernel_shape = array<i64: 1>, strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>} : (tensor<1x3x8xf32>, tensor<4x3x1x1xf32>) -> tensor<1x4x8xf32>
  return
}

// -----

// Conv input and weight share an element type.
func.func @conv_types(%x: tensor<1x3x8xf32>, %w: tensor<4x3x1xf16>) {
  // expected-error @+1 {{'graph.conv' op input and weight element types differ}}
  %0 = graph.conv %x, %w {kernel_shape = array<i64: 1>, strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>} : (tensor<1x3x8xf32>, tensor<4x3x1xf16>) -> tensor<1x4x8xf32>
  return
}

// -----

// Conv groups are positive.
func.func @conv_group(%x: tensor<1x3x8xf32>, %w: tensor<4x3x1xf32>) {
  // expected-error @+1 {{'graph.conv' op group must be >= 1}}
  %0 = graph.conv %x, %w {kernel_shape = array<i64: 1>, strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, group = 0} : (tensor<1x3x8xf32>, tensor<4x3x1xf32>) -> tensor<1x4x8xf32>
  return
}

// -----

// Conv pads hold a begin and an end per spatial dim.
func.func @conv_pads_size(%x: tensor<1x3x8xf32>, %w: tensor<4x3x1xf32>) {
  // expected-error @+1 {{'graph.conv' op pads has 1 entries, expected 2}}
  %0 = graph.conv %x, %w {kernel_shape = array<i64: 1>, strides = array<i64: 1>, pads = array<i64: 1>, dilations = array<i64: 1>} : (tensor<1x3x8xf32>, tensor<4x3x1xf32>) -> tensor<1x4x8xf32>
  return
}

// -----

// Kernel sizes are positive.
func.func @pool_kernel_size(%x: tensor<1x3x8xf32>) {
  // expected-error @+1 {{'graph.max_pool' op kernel_shape entries must be >= 1}}
  %0 = graph.max_pool %x {kernel_shape = array<i64: 0>, strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>} : tensor<1x3x8xf32> -> tensor<1x3x8xf32>
  return
}

// -----

// Strides are positive.
func.func @conv_strides(%x: tensor<1x3x8xf32>, %w: tensor<4x3x1xf32>) {
  // expected-error @+1 {{'graph.conv' op strides and dilations must be >= 1}}
  %0 = graph.conv %x, %w {kernel_shape = array<i64: 1>, strides = array<i64: 0>, pads = array<i64: 0, 0>, dilations = array<i64: 1>} : (tensor<1x3x8xf32>, tensor<4x3x1xf32>) -> tensor<1x4x8xf32>
  return
}

// -----

// Pads are not negative.
func.func @conv_negative_pads(%x: tensor<1x3x8xf32>, %w: tensor<4x3x1xf32>) {
  // expected-error @+1 {{'graph.conv' op pads must be >= 0}}
  %0 = graph.conv %x, %w {kernel_shape = array<i64: 1>, strides = array<i64: 1>, pads = array<i64: -1, 0>, dilations = array<i64: 1>} : (tensor<1x3x8xf32>, tensor<4x3x1xf32>) -> tensor<1x4x8xf32>
  return
}

// -----

// kernel_shape agrees with the weight.
func.func @conv_kernel_shape(%x: tensor<1x3x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+1 {{'graph.conv' op kernel_shape 2 differs from weight dim 3}}
  %0 = graph.conv %x, %w {kernel_shape = array<i64: 2>, strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>} : (tensor<1x3x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x7xf32>
  return
}

// -----

// Weight channels times group are the input channels.
func.func @conv_channels(%x: tensor<1x4x8xf32>, %w: tensor<4x3x1xf32>) {
  // expected-error @+1 {{'graph.conv' op input channels 4 differ from weight channels 3 times group 1}}
  %0 = graph.conv %x, %w {kernel_shape = array<i64: 1>, strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>} : (tensor<1x4x8xf32>, tensor<4x3x1xf32>) -> tensor<1x4x8xf32>
  return
}

// -----

// Output channels divide into the groups.
func.func @conv_group_outputs(%x: tensor<1x4x8xf32>, %w: tensor<3x2x1xf32>) {
  // expected-error @+1 {{'graph.conv' op output channels 3 are not divisible by group 2}}
  %0 = graph.conv %x, %w {kernel_shape = array<i64: 1>, strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, group = 2} : (tensor<1x4x8xf32>, tensor<3x2x1xf32>) -> tensor<1x3x8xf32>
  return
}

// -----

// The bias has one entry per output channel.
func.func @conv_bias(%x: tensor<1x3x8xf32>, %w: tensor<4x3x1xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'graph.conv' op bias must be 1-d of size 4}}
  %0 = graph.conv %x, %w, %b {kernel_shape = array<i64: 1>, strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>} : (tensor<1x3x8xf32>, tensor<4x3x1xf32>, tensor<3xf32>) -> tensor<1x4x8xf32>
  return
}

// -----

// auto_pad is one of four spellings.
func.func @conv_auto_pad(%x: tensor<1x3x8xf32>, %w: tensor<4x3x1xf32>) {
  // expected-error @+1 {{'graph.conv' op auto_pad 'SAME' is unknown}}
  %0 = graph.conv %x, %w {kernel_shape = array<i64: 1>, strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, auto_pad = "SAME"} : (tensor<1x3x8xf32>, tensor<4x3x1xf32>) -> tensor<1x4x8xf32>
  return
}

// -----

// A dilated window wider than the input.
func.func @conv_window(%x: tensor<1x3x4xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+1 {{'graph.conv' op window of extent 5 does not fit the padded input of size 4}}
  %0 = graph.conv %x, %w {kernel_shape = array<i64: 3>, strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 2>} : (tensor<1x3x4xf32>, tensor<4x3x3xf32>) -> tensor<1x4x1xf32>
  return
}

// -----

// Pooling needs a kernel_shape per spatial dim.
func.func @pool_kernel(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'graph.max_pool' op kernel_shape has 1 entries, expected 2}}
  %0 = graph.max_pool %x {kernel_shape = array<i64: 2>, strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  return
}

// -----

// Pooling needs spatial dims.
func.func @pool_rank(%x: tensor<1x3xf32>) {
  // expected-error @+1 {{'graph.average_pool' op input must have rank >= 3, got 2}}
  %0 = graph.average_pool %x {kernel_shape = array<i64: 1>, strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>} : tensor<1x3xf32> -> tensor<1x3xf32>
  return
}

// -----

// Global pooling needs spatial dims.
func.func @global_pool_rank(%x: tensor<1x3xf32>) {
  // expected-error @+1 {{'graph.global_average_pool' op input must have rank >= 3, got 2}}
  %0 = graph.global_average_pool %x : tensor<1x3xf32> -> tensor<1x3xf32>
  return
}

// -----

// BatchNorm needs a channel dim.
func.func @batch_norm_rank(%x: tensor<3xf32>, %c: tensor<3xf32>) {
  // expected-error @+1 {{'graph.batch_norm' op input must have rank >= 2, got 1}}
  %0 = graph.batch_norm %x, %c, %c, %c, %c : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// BatchNorm parameters have one entry per channel.
func.func @batch_norm_params(%x: tensor<1x3x4xf32>, %c: tensor<3xf32>, %v: tensor<4xf32>) {
  // expected-error @+1 {{'graph.batch_norm' op var must be 1-d of size 3 (the channels), got 'tensor<4xf32>'}}
  %0 = graph.batch_norm %x, %c, %c, %c, %v : (tensor<1x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<1x3x4xf32>
  return
}

// -----

// LayerNorm's axis is in [-rank, rank).
func.func @layer_norm_axis(%x: tensor<2x4xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'graph.layer_norm' op axis 2 is out of range [-2, 2)}}
  %0 = graph.layer_norm %x, %s {axis = 2} : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// LayerNorm's scale broadcasts to the normalized dims.
func.func @layer_norm_scale(%x: tensor<2x4xf32>, %s: tensor<2x4xf32>) {
  // expected-error @+1 {{'graph.layer_norm' op scale and bias must broadcast to the normalized dims}}
  %0 = graph.layer_norm %x, %s : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// LayerNorm's statistics keep the dims before axis and set the others to 1.
func.func @layer_norm_statistics_shape(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'graph.layer_norm' op result #1 type 'tensor<2x3x1xf32>' is incompatible with the inferred type 'tensor<2x1x1xf32>'}}
  %0:3 = graph.layer_norm %x, %s {axis = 1, with_statistics} : (tensor<2x3x4xf32>, tensor<4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x1xf32>, tensor<2x1x1xf32>)
  return
}

// -----

// LayerNorm's statistics are f32.
func.func @layer_norm_statistics_type(%x: tensor<2x4xf16>, %s: tensor<4xf16>) {
  // expected-error @+1 {{'graph.layer_norm' op result #2 has element type 'f16', inferred 'f32'}}
  %0:3 = graph.layer_norm %x, %s {with_statistics} : (tensor<2x4xf16>, tensor<4xf16>) -> (tensor<2x4xf16>, tensor<2x1xf32>, tensor<2x1xf16>)
  return
}

// -----

// LayerNorm has its statistics with with_statistics only.
func.func @layer_norm_statistics_count(%x: tensor<2x4xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'graph.layer_norm' op has 3 results, inferred 1}}
  %0:3 = graph.layer_norm %x, %s : (tensor<2x4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
  return
}

// -----

// Softmax's axis is in [-rank, rank).
func.func @softmax_axis(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'graph.softmax' op axis -3 is out of range [-2, 2)}}
  %0 = graph.softmax %x {axis = -3} : tensor<2x4xf32> -> tensor<2x4xf32>
  return
}

// -----

// ArgMax's axis is in [-rank, rank).
func.func @arg_max_axis(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'graph.arg_max' op axis 2 is out of range [-2, 2)}}
  %0 = graph.arg_max %x {axis = 2} : tensor<2x4xf32> -> tensor<2x1xi64>
  return
}

// -----

// Reduction axes are in range.
func.func @reduce_axis(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'graph.reduce_sum' op axis 5 is out of range [-2, 2)}}
  %0 = graph.reduce_sum %x {axes = array<i64: 5>} : tensor<2x4xf32> -> tensor<2x1xf32>
  return
}

// -----

// Reduction axes are distinct, counting negative ones.
func.func @reduce_repeated(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'graph.reduce_mean' op axis -1 is repeated}}
  %0 = graph.reduce_mean %x {axes = array<i64: 1, -1>} : tensor<2x4xf32> -> tensor<2x1xf32>
  return
}

// -----

// ConstantOfShape's value is one element.
func.func @constant_of_shape_value(%s: tensor<2xi64>) {
  // expected-error @+1 {{'graph.constant_of_shape' op value must hold one element, got 2}}
  %0 = graph.constant_of_shape %s, dense<[1.0, 2.0]> : tensor<2xf32> : (tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

// ConstantOfShape's result has the value's element type.
func.func @constant_of_shape_type(%s: tensor<2xi64>) {
  // expected-error @+1 {{'graph.constant_of_shape' op result #0 has element type 'f16', inferred 'f32'}}
  %0 = graph.constant_of_shape %s, dense<1.0> : tensor<1xf32> : (tensor<2xi64>) -> tensor<?x?xf16>
  return
}

// -----

// ConstantOfShape's shape is not negative.
func.func @constant_of_shape_negative() {
  %s = graph.constant dense<[2, -1]> : tensor<2xi64>
  // expected-error @+1 {{'graph.constant_of_shape' op shape entries must be >= 0}}
  %0 = graph.constant_of_shape %s, dense<1.0> : tensor<1xf32> : (tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

// Shape operands are 1-d.
func.func @reshape_shape_rank(%x: tensor<2x3xf32>, %s: tensor<1x2xi64>) {
  // expected-error @+1 {{'graph.reshape' op shape must be a 1-d tensor, got rank 2}}
  %0 = graph.reshape %x, %s : (tensor<2x3xf32>, tensor<1x2xi64>) -> tensor<3x2xf32>
  return
}

// -----

// Shape operands are ranked.
func.func @reshape_unranked(%x: tensor<2x3xf32>, %s: tensor<*xi64>) {
  // expected-error @+1 {{'graph.reshape' op operand #1 must be ranked tensor of 64-bit signless integer values, but got 'tensor<*xi64>'}}
  %0 = graph.reshape %x, %s : (tensor<2x3xf32>, tensor<*xi64>) -> tensor<3x2xf32>
  return
}

// -----

// At most one reshape entry is -1.
func.func @reshape_two_minus_one(%x: tensor<2x3xf32>) {
  %s = graph.constant dense<[-1, -1]> : tensor<2xi64>
  // expected-error @+1 {{'graph.reshape' op shape has more than one -1}}
  %0 = graph.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

// Reshape entries below -1 mean nothing.
func.func @reshape_negative(%x: tensor<2x3xf32>) {
  %s = graph.constant dense<[-2, 3]> : tensor<2xi64>
  // expected-error @+1 {{'graph.reshape' op shape entry -2 is invalid}}
  %0 = graph.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x3xf32>
  return
}

// -----

// A 0 entry copies an input dim that must exist.
func.func @reshape_copy(%x: tensor<6xf32>) {
  %s = graph.constant dense<[1, 0]> : tensor<2xi64>
  // expected-error @+1 {{'graph.reshape' op shape entry 1 copies a dim the input does not have}}
  %0 = graph.reshape %x, %s : (tensor<6xf32>, tensor<2xi64>) -> tensor<1x6xf32>
  return
}

// -----

// -1 must divide the element count.
func.func @reshape_infer(%x: tensor<2x3xf32>) {
  %s = graph.constant dense<[4, -1]> : tensor<2xi64>
  // expected-error @+1 {{'graph.reshape' op cannot reshape 6 elements with -1 into shape entries of product 4}}
  %0 = graph.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x?xf32>
  return
}

// -----

// Reshape keeps the element count.
func.func @reshape_count(%x: tensor<2x3xf32>) {
  %s = graph.constant dense<[4, 2]> : tensor<2xi64>
  // expected-error @+1 {{'graph.reshape' op cannot reshape 6 elements into 8}}
  %0 = graph.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x2xf32>
  return
}

// -----

// Flatten's axis is in [-rank, rank].
func.func @flatten_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.flatten' op axis 3 is out of range [-2, 2]}}
  %0 = graph.flatten %x {axis = 3} : tensor<2x3xf32> -> tensor<6x1xf32>
  return
}

// -----

// Only dims of size 1 squeeze.
func.func @squeeze_size(%x: tensor<1x3xf32>) {
  // expected-error @+1 {{'graph.squeeze' op cannot squeeze dim 1 of size 3}}
  %0 = graph.squeeze %x {axes = array<i64: 1>} : tensor<1x3xf32> -> tensor<1xf32>
  return
}

// -----

// Unsqueeze axes index the result.
func.func @unsqueeze_axis(%x: tensor<3xf32>) {
  // expected-error @+1 {{'graph.unsqueeze' op axis 2 is out of range [-2, 2)}}
  %0 = graph.unsqueeze %x {axes = array<i64: 2>} : tensor<3xf32> -> tensor<3x1xf32>
  return
}

// -----

// perm has one entry per dim.
func.func @transpose_size(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.transpose' op perm has 1 entries, expected the rank 2}}
  %0 = graph.transpose %x {perm = array<i64: 0>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

// perm is a permutation.
func.func @transpose_perm(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.transpose' op perm is not a permutation of [0, 2)}}
  %0 = graph.transpose %x {perm = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<3x3xf32>
  return
}

// -----

// Expand broadcasts the input to the target shape.
func.func @expand_broadcast(%x: tensor<3xf32>) {
  %s = graph.constant dense<[2, 4]> : tensor<2xi64>
  // expected-error @+1 {{'graph.expand' op input does not broadcast to the target shape}}
  %0 = graph.expand %x, %s : (tensor<3xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  return
}

// -----

// Concat inputs share a rank.
func.func @concat_rank(%x: tensor<2x3xf32>, %y: tensor<3xf32>) {
  // expected-error @+1 {{'graph.concat' op inputs differ in rank or element type}}
  %0 = graph.concat %x, %y {axis = 0} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
  return
}

// -----

// Concat inputs agree off the axis.
func.func @concat_dims(%x: tensor<2x3xf32>, %y: tensor<2x4xf32>) {
  // expected-error @+1 {{'graph.concat' op inputs differ in dim 1: 3 vs 4}}
  %0 = graph.concat %x, %y {axis = 0} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Concat's axis is in range.
func.func @concat_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.concat' op axis 2 is out of range [-2, 2)}}
  %0 = graph.concat %x, %x {axis = 2} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Concat needs an input.
func.func @concat_empty() {
  // expected-error @+1 {{'graph.concat' op needs at least one input}}
  %0 = graph.concat {axis = 0} : () -> tensor<2xf32>
  return
}

// -----

// Split sizes sum to the dim.
func.func @split_sum(%x: tensor<6xf32>) {
  // expected-error @+1 {{'graph.split' op split sizes sum to 5, expected 6}}
  %0:2 = graph.split %x {axis = 0, split = array<i64: 2, 3>} : (tensor<6xf32>) -> (tensor<2xf32>, tensor<3xf32>)
  return
}

// -----

// Split has one result per size.
func.func @split_count(%x: tensor<6xf32>) {
  // expected-error @+1 {{'graph.split' op has 2 results, inferred 3}}
  %0:2 = graph.split %x {axis = 0, split = array<i64: 2, 2, 2>} : (tensor<6xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  return
}

// -----

// Without sizes, split needs num_outputs.
func.func @split_no_sizes(%x: tensor<6xf32>) {
  // expected-error @+1 {{'graph.split' op split is empty and num_outputs is not >= 1}}
  %0:2 = graph.split %x {axis = 0, split = array<i64>} : (tensor<6xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

// Split sizes are not negative.
func.func @split_negative(%x: tensor<?xf32>) {
  // expected-error @+1 {{'graph.split' op split sizes must be >= 0}}
  %0:2 = graph.split %x {axis = 0, split = array<i64: -1, 3>} : (tensor<?xf32>) -> (tensor<?xf32>, tensor<3xf32>)
  return
}

// -----

// An even split of 2 into 4 leaves outputs empty.
func.func @split_even(%x: tensor<2xf32>) {
  // expected-error @+1 {{'graph.split' op cannot split size 2 into 4 outputs}}
  %0:4 = graph.split %x {axis = 0, split = array<i64>, num_outputs = 4} : (tensor<2xf32>) -> (tensor<1xf32>, tensor<1xf32>, tensor<0xf32>, tensor<0xf32>)
  return
}

// -----

// Slice parameters are 1-d of one length.
func.func @slice_lengths(%x: tensor<4x4xf32>, %a: tensor<2xi64>, %b: tensor<1xi64>) {
  // expected-error @+1 {{'graph.slice' op starts, ends, axes and steps differ in length}}
  %0 = graph.slice %x[%a, %b] : (tensor<4x4xf32>, tensor<2xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  return
}

// -----

// Slice parameters are 1-d.
func.func @slice_rank(%x: tensor<4x4xf32>, %a: tensor<i64>) {
  // expected-error @+1 {{'graph.slice' op starts, ends, axes and steps must be a 1-d tensor, got rank 0}}
  %0 = graph.slice %x[%a, %a] : (tensor<4x4xf32>, tensor<i64>, tensor<i64>) -> tensor<?x?xf32>
  return
}

// -----

// Slice steps are not 0.
func.func @slice_step(%x: tensor<4xf32>) {
  %c = graph.constant dense<0> : tensor<1xi64>
  // expected-error @+1 {{'graph.slice' op steps must not be 0}}
  %0 = graph.slice %x[%c, %c axes %c steps %c] : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xf32>
  return
}

// -----

// Slice axes are in range.
func.func @slice_axis(%x: tensor<4xf32>) {
  %c = graph.constant dense<0> : tensor<1xi64>
  %axes = graph.constant dense<1> : tensor<1xi64>
  // expected-error @+1 {{'graph.slice' op axis 1 is out of range [-1, 1)}}
  %0 = graph.slice %x[%c, %c axes %axes] : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xf32>
  return
}

// -----

// Gather's axis is in range.
func.func @gather_axis(%x: tensor<4xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'graph.gather' op axis 1 is out of range [-1, 1)}}
  %0 = graph.gather %x[%i] {axis = 1} : (tensor<4xf32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

// Tile has a repeat per dim.
func.func @tile_count(%x: tensor<4xf32>, %r: tensor<2xi64>) {
  // expected-error @+1 {{'graph.tile' op repeats must have one entry per dim}}
  %0 = graph.tile %x, %r : (tensor<4xf32>, tensor<2xi64>) -> tensor<?xf32>
  return
}

// -----

// Tile repeats are not negative.
func.func @tile_negative(%x: tensor<4xf32>) {
  %r = graph.constant dense<-1> : tensor<1xi64>
  // expected-error @+1 {{'graph.tile' op repeats must be >= 0}}
  %0 = graph.tile %x, %r : (tensor<4xf32>, tensor<1xi64>) -> tensor<?xf32>
  return
}

// -----

// Range bounds are scalars.
func.func @range_scalar(%a: tensor<2xf32>, %b: tensor<f32>) {
  // expected-error @+1 {{'graph.range' op start, limit and delta must be a scalar (rank 0 or one element)}}
  %0 = graph.range %a, %b, %b : (tensor<2xf32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  return
}

// -----

// Range bounds share an element type.
func.func @range_types(%a: tensor<f32>, %b: tensor<i64>) {
  // expected-error @+1 {{'graph.range' op start, limit and delta element types differ}}
  %0 = graph.range %a, %b, %a : (tensor<f32>, tensor<i64>, tensor<f32>) -> tensor<?xf32>
  return
}

// -----

// A zero delta never reaches the limit.
func.func @range_delta() {
  %a = graph.constant dense<0> : tensor<i64>
  // expected-error @+1 {{'graph.range' op delta must not be 0}}
  %0 = graph.range %a, %a, %a : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return
}

// -----

// Constants are dense data, inline or in a resource blob.
func.func @constant_sparse() {
  // expected-error @+1 {{'graph.constant' op value must be dense or dense_resource elements, got sparse<0, 1> : tensor<2xi64>}}
  %0 = graph.constant sparse<[[0]], [1]> : tensor<2xi64>
  return
}

// -----

// IsNaN and IsInf test floats.
func.func @is_nan_int(%x: tensor<4xi32>) {
  // expected-error @+1 {{'graph.is_nan' op operand element type 'i32' is not a float}}
  %0 = graph.is_nan %x : tensor<4xi32> -> tensor<4xi1>
  return
}

// -----

// scatter_elements updates have the indices' shape.
func.func @scatter_elements_updates(%x: tensor<3x4xf32>, %i: tensor<3x2xi64>, %u: tensor<3x3xf32>) {
  // expected-error @+1 {{'graph.scatter_elements' op updates dim 1 is 3, expected 2}}
  %0 = graph.scatter_elements %x[%i], %u : (tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x3xf32>) -> tensor<3x4xf32>
  return
}

// -----

// gather_nd needs the tuple length to know its result rank.
func.func @gather_nd_dynamic_tuple(%x: tensor<3x4xf32>, %i: tensor<2x?xi64>) {
  // expected-error @+1 {{'graph.gather_nd' op the last dim of indices must be static: it decides the result rank}}
  %0 = graph.gather_nd %x[%i] : (tensor<3x4xf32>, tensor<2x?xi64>) -> tensor<2xf32>
  return
}

// -----

// gather_nd tuples cannot be longer than the input's rank.
func.func @gather_nd_long_tuple(%x: tensor<3x4xf32>, %i: tensor<2x3xi64>) {
  // expected-error @+1 {{'graph.gather_nd' op index tuples of 3 entries after 0 batch dims do not fit rank 2}}
  %0 = graph.gather_nd %x[%i] : (tensor<3x4xf32>, tensor<2x3xi64>) -> tensor<2xf32>
  return
}

// -----

// scatter reductions are a closed set.
func.func @scatter_nd_reduction(%x: tensor<4xf32>, %i: tensor<1x1xi64>, %u: tensor<1xf32>) {
  // expected-error @+1 {{'graph.scatter_nd' op unknown reduction 'sum'}}
  %0 = graph.scatter_nd %x[%i], %u {reduction = "sum"} : (tensor<4xf32>, tensor<1x1xi64>, tensor<1xf32>) -> tensor<4xf32>
  return
}

// -----

// trilu's k is one value.
func.func @trilu_k(%x: tensor<3x3xf32>, %k: tensor<2xi64>) {
  // expected-error @+1 {{'graph.trilu' op k must be a scalar (rank 0 or one element)}}
  %0 = graph.trilu %x, %k : (tensor<3x3xf32>, tensor<2xi64>) -> tensor<3x3xf32>
  return
}

// -----

// cumsum's axis lies inside the rank.
func.func @cumsum_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.cumsum' op axis 2 is out of range [-2, 2)}}
  %0 = graph.cumsum %x {axis = 2 : i64} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

// Bitwise operands share one element type.
func.func @bitwise_types(%x: tensor<4xi8>, %y: tensor<4xi16>) {
  // expected-error @+1 {{'graph.xor' op operand element types 'i8' and 'i16' differ}}
  %0 = graph.xor %x, %y : (tensor<4xi8>, tensor<4xi16>) -> tensor<4xi8>
  return
}

// -----

// cumprod's axis lies inside the rank.
func.func @cumprod_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.cumprod' op axis -3 is out of range [-2, 2)}}
  %0 = graph.cumprod %x {axis = -3 : i64} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

// Negative pads crop, but not below zero.
func.func @pad_crop(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{'graph.pad' op pads -2 and -3 do not fit dim 1 of size 4}}
  %0 = graph.pad %x {pads = array<i64: 0, -2, 0, -3>} : (tensor<3x4xf32>) -> tensor<3x1xf32>
  return
}
