// RUN: kiln-opt %s -split-input-file -convert-graph-to-kernel | FileCheck %s

// A reshape to sizes known only at run time (another input's shape) checks
// there that the element count stays; the view reads no further than x.

// CHECK-LABEL: func.func @main(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: memref<?x?x3xf32> {{.*}}, %[[M:[a-z0-9]+]]: memref<?x?xf32> {graph.dim_names = ["A", "C"]
// CHECK-DAG:     %[[C:.*]] = kernel.dim %[[M]][1] : memref<?x?xf32>
// CHECK-DAG:     %[[A:.*]] = kernel.dim %[[M]][0] : memref<?x?xf32>
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[B:.*]] = kernel.dim %[[X]][1] : memref<?x?x3xf32>
// CHECK-DAG:     %[[S:.*]] = kernel.dim %[[X]][0] : memref<?x?x3xf32>
// CHECK:         %[[SB:.*]] = arith.muli %[[S]], %[[B]] : index
// CHECK-NEXT:    %[[HELD:.*]] = arith.muli %[[SB]], %[[C3]] : index
// CHECK-NEXT:    %[[VIEWED:.*]] = arith.muli %[[A]], %[[C]] : index
// CHECK-NEXT:    kernel.assert_dim %[[HELD]], %[[VIEWED]] {what = "element count"}
// CHECK-NEXT:    kernel.view %[[X]](%[[A]], %[[C]]) : memref<?x?x3xf32> to memref<?x?xf32>
func.func @main(%x: tensor<?x?x3xf32> {graph.name = "x", graph.dim_names = ["S", "B", ""]},
                %m: tensor<?x?xf32> {graph.name = "m", graph.dim_names = ["A", "C"]})
    -> (tensor<?x?xf32> {graph.name = "y"}) {
  %shape = graph.shape %m : tensor<?x?xf32> -> tensor<2xi64>
  %y = graph.reshape %x, %shape : (tensor<?x?x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// A reshape whose sizes are products of the input's own dims keeps the
// element count by construction: no check.

// CHECK-LABEL: func.func @main(
// CHECK-NOT:     kernel.assert_dim
// CHECK:         kernel.view
// CHECK-NOT:     kernel.assert_dim
// CHECK:         return
func.func @main(%x: tensor<?x?x3xf32> {graph.name = "x", graph.dim_names = ["S", "B", ""]})
    -> (tensor<?x3xf32> {graph.name = "y"}) {
  %shape = graph.shape %x : tensor<?x?x3xf32> -> tensor<3xi64>
  %i0 = graph.constant dense<[0]> : tensor<1xi64>
  %i1 = graph.constant dense<[1]> : tensor<1xi64>
  %s = graph.gather %shape[%i0] : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
  %b = graph.gather %shape[%i1] : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
  %rows = graph.mul %s, %b : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %three = graph.constant dense<[3]> : tensor<1xi64>
  %new = graph.concat %rows, %three {axis = 0} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %y = graph.reshape %x, %new : (tensor<?x?x3xf32>, tensor<2xi64>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
