// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// The network ops of exported models print and parse back to themselves.

// CHECK-LABEL: func.func @top_k
func.func @top_k(%x: tensor<3x4xf32>, %k: tensor<1xi64>) {
  // CHECK: graph.top_k %{{.*}}, %{{.*}} {axis = 0 : i64, largest = false} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<?x4xf32>, tensor<?x4xi64>)
  %v, %i = graph.top_k %x, %k {axis = 0 : i64, largest = false} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<?x4xf32>, tensor<?x4xi64>)
  return
}
