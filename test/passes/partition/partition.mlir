// RUN: kiln-opt %s --split-input-file --kiln-partition="tp=2" --verify-diagnostics | FileCheck %s
// RUN: kiln-opt %s --split-input-file --kiln-partition="dp=2" --verify-diagnostics | FileCheck %s --check-prefix=DP

// An MLP block: the first GEMM's weight is split by columns, the GELU runs on
// each rank's columns, the second GEMM's weight is split by rows and its
// partial sums meet in one all-reduce before the bias.
// CHECK-LABEL: func.func @main
// CHECK: %[[W1:.*]] = dist.shard %{{.*}} <tp, dim = 1, parts = 2, outer = 1, inner = 1> : tensor<64x128xf32> -> tensor<64x64xf32>
// CHECK: %[[H:.*]] = graph.matmul %{{.*}}, %[[W1]] : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
// CHECK: %[[G:.*]] = graph.gelu %[[H]] : tensor<4x64xf32> -> tensor<4x64xf32>
// CHECK: %[[W2:.*]] = dist.shard %{{.*}} <tp, dim = 0, parts = 2, outer = 1, inner = 1> : tensor<128x64xf32> -> tensor<64x64xf32>
// CHECK: %[[P:.*]] = graph.matmul %[[G]], %[[W2]] : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
// CHECK: %[[S:.*]] = dist.all_reduce %[[P]] tp parts 2 : tensor<4x64xf32>
// CHECK: %[[Y:.*]] = graph.add %[[S]], %{{.*}} : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
// CHECK-NOT: dist.
// CHECK: return %[[Y]]
// With dp, the batch is split and the output gathered; weights stay whole.
// DP-LABEL: func.func @main
// DP: %[[X:.*]] = dist.shard %arg0 <dp, dim = 0, parts = 2, outer = 1, inner = 1> : tensor<4x64xf32> -> tensor<2x64xf32>
// DP-NOT: dist.shard
// DP: %[[Y:.*]] = graph.add {{.*}} -> tensor<2x64xf32>
// DP: %[[W:.*]] = dist.all_gather %[[Y]] <dp, dim = 0, parts = 2, outer = 1, inner = 1> : tensor<2x64xf32> -> tensor<4x64xf32>
// DP: return %[[W]]
func.func @main(%x: tensor<4x64xf32> {graph.name = "x"}) -> tensor<4x64xf32> {
  %w1 = graph.constant dense<1.0> : tensor<64x128xf32>
  %w2 = graph.constant dense<2.0> : tensor<128x64xf32>
  %b2 = graph.constant dense<0.5> : tensor<64xf32>
  %h = graph.matmul %x, %w1 : (tensor<4x64xf32>, tensor<64x128xf32>) -> tensor<4x128xf32>
  %g = graph.gelu %h : tensor<4x128xf32> -> tensor<4x128xf32>
  %p = graph.matmul %g, %w2 : (tensor<4x128xf32>, tensor<128x64xf32>) -> tensor<4x64xf32>
  %y = graph.add %p, %b2 : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// A fused QKV projection Split in thirds: each rank takes its block of each
// third (outer = 3), so q, k and v are each split by columns; the heads
// reshape keeps the split on the head dim.
// CHECK-LABEL: func.func @main
// CHECK: dist.shard %{{.*}} <tp, dim = 1, parts = 2, outer = 3, inner = 1> : tensor<32x96xf32> -> tensor<32x48xf32>
// CHECK: graph.split %{{.*}} {axis = 1 : i64, split = array<i64: 16, 16, 16>} : (tensor<4x48xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>)
// CHECK: %[[SHAPE:.*]] = graph.constant dense<[4, 2, 8]> : tensor<3xi64>
// CHECK: graph.reshape %{{.*}}, %[[SHAPE]] : (tensor<4x16xf32>, tensor<3xi64>) -> tensor<4x2x8xf32>
// CHECK: dist.all_gather %{{.*}} <tp, dim = 1, parts = 2, outer = 1, inner = 1> : tensor<4x2x8xf32> -> tensor<4x4x8xf32>
func.func @main(%x: tensor<4x32xf32> {graph.name = "x"}) -> tensor<4x4x8xf32> {
  %w = graph.constant dense<1.0> : tensor<32x96xf32>
  %shape = graph.constant dense<[4, 4, 8]> : tensor<3xi64>
  %qkv = graph.matmul %x, %w : (tensor<4x32xf32>, tensor<32x96xf32>) -> tensor<4x96xf32>
  %qkv3:3 = graph.split %qkv {axis = 1 : i64, split = array<i64: 32, 32, 32>} : (tensor<4x96xf32>) -> (tensor<4x32xf32>, tensor<4x32xf32>, tensor<4x32xf32>)
  %qh = graph.reshape %qkv3#0, %shape : (tensor<4x32xf32>, tensor<3xi64>) -> tensor<4x4x8xf32>
  return %qh : tensor<4x4x8xf32>
}

// -----

// What must not split: a weight below min-split-elements stays whole, and a
// softmax over the split dim needs the whole row (an all-gather first).
// CHECK-LABEL: func.func @main
// CHECK-NOT: dist.shard %{{.*}} : tensor<8x8xf32>
// CHECK: %[[H:.*]] = graph.matmul %{{.*}}, %{{.*}} : (tensor<4x64xf32>, tensor<64x32xf32>) -> tensor<4x32xf32>
// CHECK: %[[W:.*]] = dist.all_gather %[[H]] <tp, dim = 1, parts = 2, outer = 1, inner = 1> : tensor<4x32xf32> -> tensor<4x64xf32>
// CHECK: graph.softmax %[[W]] {axis = 1 : i64} : tensor<4x64xf32> -> tensor<4x64xf32>
// CHECK: graph.matmul %{{.*}}, %{{.*}} : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
func.func @main(%x: tensor<4x64xf32> {graph.name = "x"}, %s: tensor<4x8xf32> {graph.name = "s"}) -> (tensor<4x64xf32>, tensor<4x8xf32>) {
  %w = graph.constant dense<1.0> : tensor<64x64xf32>
  %small = graph.constant dense<1.0> : tensor<8x8xf32>
  %h = graph.matmul %x, %w : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
  %p = graph.softmax %h {axis = 1 : i64} : tensor<4x64xf32> -> tensor<4x64xf32>
  %t = graph.matmul %s, %small : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  return %p, %t : tensor<4x64xf32>, tensor<4x8xf32>
}
