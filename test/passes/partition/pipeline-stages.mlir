// RUN: kiln-opt %s --split-input-file --kiln-pipeline-stages="pp=3" --verify-diagnostics | FileCheck %s

// Three GEMMs, one per stage. %a crosses two cuts: stage 1 receives it and
// passes it on to stage 2, which reads it; each stage takes the model's
// input first, and each weight goes to the stage that reads it.
// CHECK-LABEL: func.func @stage0
// CHECK-SAME: (%[[X:.*]]: tensor<4x64xf32> {graph.name = "x"}) -> (tensor<4x64xf32> {graph.name = "stage0.out0"}, tensor<4x64xf32> {graph.name = "stage0.out1"})
// CHECK-SAME: kiln.stage = 0
// CHECK: %[[W1:.*]] = graph.constant dense<1.000000e+00>
// CHECK: %[[A:.*]] = graph.matmul %[[X]], %[[W1]]
// CHECK: %[[B:.*]] = graph.relu %[[A]]
// CHECK: return %[[A]], %[[B]]
// CHECK-LABEL: func.func @stage1
// CHECK-SAME: (%{{.*}}: tensor<4x64xf32> {graph.name = "x"}, %[[A1:.*]]: tensor<4x64xf32> {graph.name = "stage0.out0"}, %[[B1:.*]]: tensor<4x64xf32> {graph.name = "stage0.out1"})
// CHECK: %[[W2:.*]] = graph.constant dense<2.000000e+00>
// CHECK: %[[C:.*]] = graph.matmul %[[B1]], %[[W2]]
// CHECK: %[[D:.*]] = graph.relu %[[C]]
// CHECK: return %[[A1]], %[[D]]
// CHECK-LABEL: func.func @stage2
// CHECK-SAME: -> (tensor<4x64xf32> {graph.name = "y"})
// CHECK: graph.constant dense<3.000000e+00>
// CHECK: graph.matmul
// CHECK: graph.add
// CHECK-NOT: func.func @main
func.func @main(%x: tensor<4x64xf32> {graph.name = "x"}) -> (tensor<4x64xf32> {graph.name = "y"}) {
  %w1 = graph.constant dense<1.0> : tensor<64x64xf32>
  %w2 = graph.constant dense<2.0> : tensor<64x64xf32>
  %w3 = graph.constant dense<3.0> : tensor<64x64xf32>
  %a = graph.matmul %x, %w1 : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
  %b = graph.relu %a : tensor<4x64xf32> -> tensor<4x64xf32>
  %c = graph.matmul %b, %w2 : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
  %d = graph.relu %c : tensor<4x64xf32> -> tensor<4x64xf32>
  %e0 = graph.matmul %d, %w3 : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
  %e = graph.add %e0, %a : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  return %e : tensor<4x64xf32>
}

// -----

// expected-error @+1 {{pp=3 is more stages than the model has ops (2)}}
func.func @main(%x: tensor<4x64xf32> {graph.name = "x"}) -> tensor<4x64xf32> {
  %a = graph.relu %x : tensor<4x64xf32> -> tensor<4x64xf32>
  %b = graph.relu %a : tensor<4x64xf32> -> tensor<4x64xf32>
  return %b : tensor<4x64xf32>
}
