// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Every graph op prints and parses back to itself.

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%x: tensor<2x3xf32>, %y: tensor<3xf32>, %i: tensor<2x3xi32>,
                       %b: tensor<2x3xi1>) {
  // CHECK: graph.add %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = graph.add %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.sub
  %1 = graph.sub %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.mul
  %2 = graph.mul %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.div
  %3 = graph.div %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.pow %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<2x3xi32>) -> tensor<2x3xf32>
  %4 = graph.pow %x, %i : (tensor<2x3xf32>, tensor<2x3xi32>) -> tensor<2x3xf32>
  // CHECK: graph.max
  %5 = graph.max %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.min
  %6 = graph.min %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.mod %{{.*}}, %{{.*}} {fmod = true}
  %7 = graph.mod %x, %y {fmod = true} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.and
  %8 = graph.and %b, %b : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  // CHECK: graph.or
  %9 = graph.or %b, %b : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  // CHECK: graph.xor
  %10 = graph.xor %b, %b : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  // CHECK: graph.equal %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %11 = graph.equal %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: graph.less
  %12 = graph.less %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: graph.less_or_equal
  %13 = graph.less_or_equal %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: graph.greater
  %14 = graph.greater %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: graph.greater_or_equal
  %15 = graph.greater_or_equal %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: graph.sqrt %{{.*}} : tensor<2x3xf32> -> tensor<2x3xf32>
  %16 = graph.sqrt %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.exp
  %17 = graph.exp %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.log
  %18 = graph.log %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.tanh
  %19 = graph.tanh %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.erf
  %20 = graph.erf %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.neg
  %21 = graph.neg %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.abs
  %22 = graph.abs %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.reciprocal
  %23 = graph.reciprocal %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.floor
  %24 = graph.floor %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.ceil
  %25 = graph.ceil %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.round
  %26 = graph.round %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.sign
  %27 = graph.sign %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.sin
  %28 = graph.sin %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.cos
  %29 = graph.cos %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.not %{{.*}} : tensor<2x3xi1> -> tensor<2x3xi1>
  %30 = graph.not %b : tensor<2x3xi1> -> tensor<2x3xi1>
  // CHECK: graph.relu
  %31 = graph.relu %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.sigmoid
  %32 = graph.sigmoid %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.softplus
  %33 = graph.softplus %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.softsign
  %34 = graph.softsign %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.hard_swish
  %35 = graph.hard_swish %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.leaky_relu %{{.*}} {alpha = 2.000000e-01 : f32}
  %36 = graph.leaky_relu %x {alpha = 0.2 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.elu
  %37 = graph.elu %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.hard_sigmoid
  %38 = graph.hard_sigmoid %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.selu
  %39 = graph.selu %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.gelu %{{.*}} {approximate = "tanh"}
  %40 = graph.gelu %x {approximate = "tanh"} : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: graph.cast %{{.*}} : tensor<2x3xf32> -> tensor<2x3xi64>
  %41 = graph.cast %x : tensor<2x3xf32> -> tensor<2x3xi64>
  // CHECK: graph.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %42 = graph.where %b, %x, %y : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// CHECK-LABEL: func.func @clip
func.func @clip(%x: tensor<4xf32>, %lo: tensor<f32>, %hi: tensor<f32>) {
  // CHECK: graph.clip %{{.*}} min(%{{.*}} : tensor<f32>) : (tensor<4xf32>) -> tensor<4xf32>
  %0 = graph.clip %x min(%lo : tensor<f32>) : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: graph.clip %{{.*}} min(%{{.*}} : tensor<f32>) max(%{{.*}} : tensor<f32>)
  %1 = graph.clip %x min(%lo : tensor<f32>) max(%hi : tensor<f32>) : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: graph.clip %{{.*}} max(%{{.*}} : tensor<f32>) : (tensor<4xf32>) -> tensor<4xf32>
  %2 = graph.clip %x max(%hi : tensor<f32>) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// CHECK-LABEL: func.func @nn
func.func @nn(%a: tensor<8x4x16xf32>, %b: tensor<16x32xf32>, %x: tensor<1x3x32x32xf32>,
              %w: tensor<8x3x3x3xf32>, %bias: tensor<8xf32>, %c: tensor<3xf32>,
              %m: tensor<4x16xf32>, %c32: tensor<32xf32>) {
  // CHECK: graph.matmul %{{.*}}, %{{.*}} : (tensor<8x4x16xf32>, tensor<16x32xf32>) -> tensor<8x4x32xf32>
  %0 = graph.matmul %a, %b : (tensor<8x4x16xf32>, tensor<16x32xf32>) -> tensor<8x4x32xf32>
  // CHECK: graph.gemm %{{.*}}, %{{.*}} {transA = true} : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<16x16xf32>
  %1 = graph.gemm %m, %m {transA = true} : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<16x16xf32>
  // CHECK: graph.gemm %{{.*}}, %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f32}
  %2 = graph.gemm %m, %b, %c32 {alpha = 0.5 : f32} : (tensor<4x16xf32>, tensor<16x32xf32>, tensor<32xf32>) -> tensor<4x32xf32>
  // CHECK: graph.conv %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
  %3 = graph.conv %x, %w, %bias {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>,
      pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
      : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
  // CHECK: graph.max_pool %{{.*}} {ceil_mode = true
  %4 = graph.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>,
      pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true}
      : tensor<1x3x32x32xf32> -> tensor<1x3x16x16xf32>
  // CHECK: graph.average_pool %{{.*}} {auto_pad = "SAME_UPPER"
  %5 = graph.average_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>,
      pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, auto_pad = "SAME_UPPER"}
      : tensor<1x3x32x32xf32> -> tensor<1x3x16x16xf32>
  // CHECK: graph.global_average_pool %{{.*}} : tensor<1x3x32x32xf32> -> tensor<1x3x1x1xf32>
  %6 = graph.global_average_pool %x : tensor<1x3x32x32xf32> -> tensor<1x3x1x1xf32>
  // CHECK: graph.global_max_pool
  %7 = graph.global_max_pool %x : tensor<1x3x32x32xf32> -> tensor<1x3x1x1xf32>
  // CHECK: graph.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x3x32x32xf32>,
  %8 = graph.batch_norm %x, %c, %c, %c, %c : (tensor<1x3x32x32xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x32x32xf32>
  // CHECK: graph.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 9.99999997E-7 : f32}
  %9 = graph.layer_norm %b, %c32, %c32 {epsilon = 1.0e-6 : f32} : (tensor<16x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<16x32xf32>
  // CHECK: graph.layer_norm %{{.*}}, %{{.*}} {axis = 0 : i64, with_statistics} : (tensor<16x32xf32>, tensor<32xf32>) -> (tensor<16x32xf32>, tensor<1x1xf32>, tensor<1x1xf32>)
  %stats:3 = graph.layer_norm %b, %c32 {axis = 0, with_statistics} : (tensor<16x32xf32>, tensor<32xf32>) -> (tensor<16x32xf32>, tensor<1x1xf32>, tensor<1x1xf32>)
  // CHECK: graph.softmax %{{.*}} {axis = 1 : i64}
  %10 = graph.softmax %b {axis = 1} : tensor<16x32xf32> -> tensor<16x32xf32>
  // CHECK: graph.log_softmax
  %11 = graph.log_softmax %b : tensor<16x32xf32> -> tensor<16x32xf32>
  return
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<2x3x4xf32>) {
  // CHECK: graph.reduce_mean %{{.*}} {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  %0 = graph.reduce_mean %x {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  // CHECK: graph.reduce_sum %{{.*}} {axes = array<i64: -1>, keepdims = false}
  %1 = graph.reduce_sum %x {axes = array<i64: -1>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2x3xf32>
  // CHECK: graph.reduce_max
  %2 = graph.reduce_max %x : tensor<2x3x4xf32> -> tensor<1x1x1xf32>
  // CHECK: graph.reduce_min
  %3 = graph.reduce_min %x {keepdims = false} : tensor<2x3x4xf32> -> tensor<f32>
  // CHECK: graph.reduce_prod %{{.*}} {noop_with_empty_axes = true}
  %4 = graph.reduce_prod %x {noop_with_empty_axes = true} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  // CHECK: graph.reduce_sum_square
  %5 = graph.reduce_sum_square %x {axes = array<i64: 0, 2>} : tensor<2x3x4xf32> -> tensor<1x3x1xf32>
  // CHECK: graph.reduce_l1
  %6 = graph.reduce_l1 %x {axes = array<i64: 0>} : tensor<2x3x4xf32> -> tensor<1x3x4xf32>
  // CHECK: graph.reduce_l2
  %7 = graph.reduce_l2 %x {axes = array<i64: 0>} : tensor<2x3x4xf32> -> tensor<1x3x4xf32>
  // CHECK: graph.reduce_log_sum_exp
  %8 = graph.reduce_log_sum_exp %x {axes = array<i64: 0>} : tensor<2x3x4xf32> -> tensor<1x3x4xf32>
  // CHECK: graph.arg_max %{{.*}} {axis = 1 : i64} : tensor<2x3x4xf32> -> tensor<2x1x4xi64>
  %9 = graph.arg_max %x {axis = 1} : tensor<2x3x4xf32> -> tensor<2x1x4xi64>
  // CHECK: graph.arg_min %{{.*}} {axis = 2 : i64, keepdims = false, select_last_index = true}
  %10 = graph.arg_min %x {axis = 2, keepdims = false, select_last_index = true} : tensor<2x3x4xf32> -> tensor<2x3xi64>
  return
}

// CHECK-LABEL: func.func @data_movement
func.func @data_movement(%x: tensor<2x3x4xf32>, %d: tensor<?x4xf32>, %idx: tensor<5xi64>,
                         %shape: tensor<2xi64>) {
  // CHECK: graph.constant dense<[4, 6]> : tensor<2xi64>
  %s = graph.constant dense<[4, 6]> : tensor<2xi64>
  // CHECK: graph.constant dense_resource<blob> : tensor<2xi64>
  %r = graph.constant dense_resource<blob> : tensor<2xi64>
  // CHECK: graph.constant_of_shape %{{.*}}, dense<0.000000e+00> : tensor<1xf32> : (tensor<2xi64>) -> tensor<4x6xf32>
  %0 = graph.constant_of_shape %s, dense<0.0> : tensor<1xf32> : (tensor<2xi64>) -> tensor<4x6xf32>
  // CHECK: graph.shape %{{.*}} {end = -1 : i64, start = 1 : i64} : tensor<2x3x4xf32> -> tensor<1xi64>
  %1 = graph.shape %x {start = 1, end = -1} : tensor<2x3x4xf32> -> tensor<1xi64>
  // CHECK: graph.identity
  %2 = graph.identity %x : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  // CHECK: graph.reshape %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<4x6xf32>
  %3 = graph.reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<4x6xf32>
  // CHECK: graph.flatten %{{.*}} {axis = 2 : i64} : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %4 = graph.flatten %x {axis = 2} : tensor<2x3x4xf32> -> tensor<6x4xf32>
  // CHECK: graph.unsqueeze %{{.*}} {axes = array<i64: 0, 3>} : tensor<2x3x4xf32> -> tensor<1x2x3x1x4xf32>
  %5 = graph.unsqueeze %x {axes = array<i64: 0, 3>} : tensor<2x3x4xf32> -> tensor<1x2x3x1x4xf32>
  // CHECK: graph.squeeze %{{.*}} {axes = array<i64: 0>} : tensor<1x2x3x1x4xf32> -> tensor<2x3x1x4xf32>
  %6 = graph.squeeze %5 {axes = array<i64: 0>} : tensor<1x2x3x1x4xf32> -> tensor<2x3x1x4xf32>
  // CHECK: graph.transpose %{{.*}} {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  %7 = graph.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  // CHECK: graph.expand %{{.*}}, %{{.*}} : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x4xf32>
  %8 = graph.expand %d, %shape : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x4xf32>
  // CHECK: graph.concat %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<4x3x4xf32>
  %9 = graph.concat %x, %x {axis = 0} : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<4x3x4xf32>
  // CHECK: graph.split %{{.*}} {axis = 2 : i64, split = array<i64: 1, 3>} : (tensor<2x3x4xf32>) -> (tensor<2x3x1xf32>, tensor<2x3x3xf32>)
  %10:2 = graph.split %x {axis = 2, split = array<i64: 1, 3>} : (tensor<2x3x4xf32>) -> (tensor<2x3x1xf32>, tensor<2x3x3xf32>)
  // CHECK: graph.split %{{.*}} {axis = 1 : i64, num_outputs = 2 : i64, split = array<i64>}
  %11:2 = graph.split %x {axis = 1, split = array<i64>, num_outputs = 2} : (tensor<2x3x4xf32>) -> (tensor<2x2x4xf32>, tensor<2x1x4xf32>)
  // CHECK: graph.slice %{{.*}}[%{{.*}}, %{{.*}} axes %{{.*}} steps %{{.*}}] : (tensor<2x3x4xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?x?xf32>
  %12 = graph.slice %x[%s, %s axes %r steps %r] : (tensor<2x3x4xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?x?xf32>
  // CHECK: graph.slice %{{.*}}[%{{.*}}, %{{.*}}] : (tensor<2x3x4xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?x4xf32>
  %13 = graph.slice %x[%r, %r] : (tensor<2x3x4xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?x4xf32>
  // CHECK: graph.gather %{{.*}}[%{{.*}}] {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<5xi64>) -> tensor<2x5x4xf32>
  %14 = graph.gather %x[%idx] {axis = 1} : (tensor<2x3x4xf32>, tensor<5xi64>) -> tensor<2x5x4xf32>
  // CHECK: graph.tile %{{.*}}, %{{.*}} : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x24xf32>
  %15 = graph.tile %d, %s : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x24xf32>
  %start = graph.constant dense<0> : tensor<i64>
  %limit = graph.constant dense<10> : tensor<i64>
  %delta = graph.constant dense<3> : tensor<i64>
  // CHECK: graph.range %{{.*}}, %{{.*}}, %{{.*}} : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<4xi64>
  %16 = graph.range %start, %limit, %delta : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<4xi64>
  // CHECK: graph.dropout
  %17 = graph.dropout %x : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return
}

// CHECK-LABEL: func.func @bitwise_and_scans
// The logical ops are bitwise on integers of any signedness; cumprod is a
// running product.
func.func @bitwise_and_scans(%u: tensor<4xui8>, %i: tensor<2x4xi32>, %x: tensor<2x4xf64>) {
  // CHECK: graph.and %{{.*}}, %{{.*}} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %0 = graph.and %u, %u : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  // CHECK: graph.or %{{.*}}, %{{.*}} : (tensor<2x4xi32>, tensor<2x4xi32>) -> tensor<2x4xi32>
  %1 = graph.or %i, %i : (tensor<2x4xi32>, tensor<2x4xi32>) -> tensor<2x4xi32>
  // CHECK: graph.xor
  %2 = graph.xor %u, %u : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  // CHECK: graph.not %{{.*}} : tensor<2x4xi32> -> tensor<2x4xi32>
  %3 = graph.not %i : tensor<2x4xi32> -> tensor<2x4xi32>
  // CHECK: graph.cumprod %{{.*}} {axis = 1 : i64, reverse = true} : tensor<2x4xf64> -> tensor<2x4xf64>
  %4 = graph.cumprod %x {axis = 1, reverse = true} : tensor<2x4xf64> -> tensor<2x4xf64>
  return
}

{-#
  dialect_resources: {
    builtin: {
      blob: "0x0800000001000000000000000200000000000000"
    }
  }
#-}
