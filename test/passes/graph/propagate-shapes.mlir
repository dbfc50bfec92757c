// RUN: kiln-opt %s --split-input-file --kiln-propagate-shapes --verify-diagnostics --allow-unregistered-dialect | FileCheck %s

// A conv net whose flatten is computed from graph.shape: with a static input
// every tensor becomes static, the shape computation folds away, and the
// function returns the refined type.
// CHECK-LABEL: func.func @main
// CHECK-SAME: -> (tensor<2x512xf32> {graph.name = "y"})
// CHECK-DAG: %[[S:.*]] = graph.constant dense<[2, -1]> : tensor<2xi64>
// CHECK-DAG: %[[C:.*]] = graph.conv {{.*}} -> tensor<2x8x17x16xf32>
// CHECK: graph.relu %[[C]] : tensor<2x8x17x16xf32> -> tensor<2x8x17x16xf32>
// CHECK: %[[P:.*]] = graph.max_pool {{.*}} : tensor<2x8x17x16xf32> -> tensor<2x8x8x8xf32>
// CHECK-NOT: graph.shape
// CHECK-NOT: graph.gather
// CHECK-NOT: graph.concat
// CHECK: %[[Y:.*]] = graph.reshape %[[P]], %[[S]] : (tensor<2x8x8x8xf32>, tensor<2xi64>) -> tensor<2x512xf32>
// CHECK: return %[[Y]] : tensor<2x512xf32>
func.func @main(%x: tensor<2x3x33x32xf32> {graph.name = "x"}, %w: tensor<8x3x3x3xf32> {graph.name = "w"})
    -> (tensor<?x?xf32> {graph.name = "y"}) {
  %c = graph.conv %x, %w {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
      : (tensor<2x3x33x32xf32>, tensor<8x3x3x3xf32>) -> tensor<?x8x?x?xf32>
  %r = graph.relu %c : tensor<?x8x?x?xf32> -> tensor<?x8x?x?xf32>
  %p = graph.max_pool %r {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true}
      : tensor<?x8x?x?xf32> -> tensor<?x8x?x?xf32>
  %s = graph.shape %p : tensor<?x8x?x?xf32> -> tensor<4xi64>
  %i0 = graph.constant dense<0> : tensor<i64>
  %b = graph.gather %s[%i0] : (tensor<4xi64>, tensor<i64>) -> tensor<i64>
  %bu = graph.unsqueeze %b {axes = array<i64: 0>} : tensor<i64> -> tensor<1xi64>
  %m1 = graph.constant dense<-1> : tensor<1xi64>
  %shape = graph.concat %bu, %m1 {axis = 0} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %y = graph.reshape %p, %shape : (tensor<?x8x?x?xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// Dynamic dims stay `?` where nothing decides them, and are refined where
// broadcasting or a static operand does.
// CHECK-LABEL: func.func @partial
// CHECK-SAME: -> (tensor<?x4xf32>, tensor<?x8xf32>)
// CHECK: graph.add {{.*}} -> tensor<?x4xf32>
// CHECK: graph.matmul {{.*}} -> tensor<?x8xf32>
func.func @partial(%x: tensor<?x?xf32>, %b: tensor<4xf32>, %w: tensor<4x8xf32>)
    -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = graph.add %x, %b : (tensor<?x?xf32>, tensor<4xf32>) -> tensor<?x?xf32>
  %1 = graph.matmul %0, %w : (tensor<?x?xf32>, tensor<4x8xf32>) -> tensor<?x?xf32>
  return %0, %1 : tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// Declared static dims are kept even where inference gives `?`.
// CHECK-LABEL: func.func @keep_declared
// CHECK: graph.reshape {{.*}} -> tensor<?x6xf32>
func.func @keep_declared(%x: tensor<?x2x3xf32>, %s: tensor<2xi64>) -> tensor<?x6xf32> {
  %0 = graph.reshape %x, %s : (tensor<?x2x3xf32>, tensor<2xi64>) -> tensor<?x6xf32>
  return %0 : tensor<?x6xf32>
}

// -----

// Slice bounds, Range and ConstantOfShape are read once they fold.
// CHECK-LABEL: func.func @shape_operands
// CHECK-SAME: -> (tensor<3x2xf32>, tensor<5xi64>, tensor<2x3xf32>)
// CHECK-NOT: graph.range
// CHECK-NOT: graph.constant_of_shape
func.func @shape_operands(%x: tensor<4x3xf32>) -> (tensor<?x?xf32>, tensor<?xi64>, tensor<?x?xf32>) {
  %s = graph.shape %x : tensor<4x3xf32> -> tensor<2xi64>
  %one = graph.constant dense<1> : tensor<2xi64>
  %0 = graph.slice %x[%one, %s] : (tensor<4x3xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?xf32>
  %z = graph.constant dense<0> : tensor<i64>
  %l = graph.constant dense<10> : tensor<i64>
  %d = graph.constant dense<2> : tensor<i64>
  %1 = graph.range %z, %l, %d : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  %t = graph.transpose %0 {perm = array<i64: 1, 0>} : tensor<?x?xf32> -> tensor<?x?xf32>
  %ts = graph.shape %t : tensor<?x?xf32> -> tensor<?xi64>
  %2 = graph.constant_of_shape %ts, dense<1.0> : tensor<1xf32> : (tensor<?xi64>) -> tensor<?x?xf32>
  return %0, %1, %2 : tensor<?x?xf32>, tensor<?xi64>, tensor<?x?xf32>
}

// -----

// Ops of other dialects are passed over; their operands still refine.
// CHECK-LABEL: func.func @foreign_ops
// CHECK: %[[R:.*]] = graph.relu {{.*}} -> tensor<4xf32>
// CHECK: "foreign.use"(%[[R]]) : (tensor<4xf32>) -> tensor<?xf32>
func.func @foreign_ops(%x: tensor<4xf32>) -> tensor<?xf32> {
  %0 = graph.relu %x : tensor<4xf32> -> tensor<?xf32>
  %1 = "foreign.use"(%0) : (tensor<?xf32>) -> tensor<?xf32>
  return %1 : tensor<?xf32>
}

// -----

// A reshape target held in a dense_resource blob is read too.
// CHECK-LABEL: func.func @resource_shape
// CHECK: graph.reshape {{.*}} -> tensor<1x2xf32>
func.func @resource_shape(%x: tensor<2xf32>) -> tensor<?x?xf32> {
  %s = graph.constant dense_resource<shape_1x2> : tensor<2xi64>
  %0 = graph.reshape %x, %s : (tensor<2xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

{-#
  dialect_resources: {
    builtin: {
      shape_1x2: "0x0800000001000000000000000200000000000000"
    }
  }
#-}

// -----

// A refined operand that contradicts a declared static size downstream.
func.func @conflict(%x: tensor<2x4xf32>) -> tensor<?x5xf32> {
  %0 = graph.relu %x : tensor<2x4xf32> -> tensor<?x?xf32>
  // expected-error @+1 {{'graph.relu' op result #0 of type 'tensor<?x5xf32>' conflicts with the inferred type 'tensor<2x4xf32>'}}
  %1 = graph.relu %0 : tensor<?x?xf32> -> tensor<?x5xf32>
  return %1 : tensor<?x5xf32>
}

// -----

// Refined shapes that cannot broadcast are reported at the op.
func.func @broadcast_error(%x: tensor<2x4xf32>, %y: tensor<3xf32>) -> tensor<?x?xf32> {
  %0 = graph.relu %x : tensor<2x4xf32> -> tensor<?x?xf32>
  // expected-error @+1 {{'graph.add' op operand shapes 'tensor<2x4xf32>' and 'tensor<3xf32>' are not broadcast-compatible}}
  %1 = graph.add %0, %y : (tensor<?x?xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  return %1 : tensor<?x?xf32>
}
