// RUN: kiln-opt %s --split-input-file --kiln-partition="dp=2 pp=2 micro-batches=2" --verify-diagnostics | FileCheck %s

// A class token broadcast to the batch and concatenated in front of the
// patches (ViT): the concat keeps the batch split and the broadcast token
// takes its block, so every micro-batch runs on its own rows; the output
// keeps the micro-batch's rows (the runtime places them) and gathers dp.
// CHECK-LABEL: func.func @main
// CHECK-SAME: -> tensor<4x5x16xf32>
// CHECK: %[[M:.*]] = dist.shard %arg0 <micro, dim = 0, parts = 2, outer = 1, inner = 4> : tensor<8x4x16xf32> -> tensor<4x4x16xf32>
// CHECK: %[[P:.*]] = dist.shard %[[M]] <dp, dim = 0, parts = 2, outer = 1, inner = 1> : tensor<4x4x16xf32> -> tensor<2x4x16xf32>
// CHECK: %[[T:.*]] = graph.expand {{.*}} -> tensor<8x1x16xf32>
// CHECK: %[[TM:.*]] = dist.shard %[[T]] <micro, {{.*}}> : tensor<8x1x16xf32> -> tensor<4x1x16xf32>
// CHECK: %[[TP:.*]] = dist.shard %[[TM]] <dp, {{.*}}> : tensor<4x1x16xf32> -> tensor<2x1x16xf32>
// CHECK: %[[C:.*]] = graph.concat %[[TP]], %[[P]] {axis = 1 : i64} : (tensor<2x1x16xf32>, tensor<2x4x16xf32>) -> tensor<2x5x16xf32>
// CHECK: %[[G:.*]] = dist.all_gather %[[C]] <dp, dim = 0, parts = 2, outer = 1, inner = 1> : tensor<2x5x16xf32> -> tensor<4x5x16xf32>
// CHECK: return %[[G]] : tensor<4x5x16xf32>
func.func @main(%x: tensor<8x4x16xf32> {graph.name = "x"}) -> tensor<8x5x16xf32> {
  %cls = graph.constant dense<1.0> : tensor<1x1x16xf32>
  %shape = graph.constant dense<[8, 1, 16]> : tensor<3xi64>
  %t = graph.expand %cls, %shape : (tensor<1x1x16xf32>, tensor<3xi64>) -> tensor<8x1x16xf32>
  %c = graph.concat %t, %x {axis = 1 : i64} : (tensor<8x1x16xf32>, tensor<8x4x16xf32>) -> tensor<8x5x16xf32>
  return %c : tensor<8x5x16xf32>
}

// -----

// A reduction over the batch needs every row: micro-batches cannot give it.
func.func @main(%x: tensor<8x4xf32> {graph.name = "x"}) -> tensor<1x4xf32> {
  // expected-error @+1 {{micro-batches: this op needs the whole batch}}
  %m = graph.reduce_mean %x {axes = array<i64: 0>} : tensor<8x4xf32> -> tensor<1x4xf32>
  return %m : tensor<1x4xf32>
}
