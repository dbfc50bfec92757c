// RUN: kiln-opt %s -convert-graph-to-kernel | FileCheck %s

// With dynamic dims, gather_elements has its indices' dims and cumprod (as
// cumsum) its input's: each output's dims are those of one operand.

// CHECK-LABEL: func.func @main(
// CHECK-SAME:      %[[X:.*]]: memref<?x4xf32> {{.*}}, %[[I:.*]]: memref<?x1xi64> {{.*}}, %[[G:.*]]: memref<?x1xf32> {{.*}}, %[[P:.*]]: memref<?x4xf32>
// CHECK-DAG:     %[[N:.*]] = kernel.dim %[[X]][0] : memref<?x4xf32>
// CHECK-DAG:     %[[M:.*]] = kernel.dim %[[I]][0] : memref<?x1xi64>
// CHECK:         kernel.library_call "gather_elements" ins(%[[X]], %[[I]] : memref<?x4xf32>, memref<?x1xi64>) outs(%[[G]] : memref<?x1xf32>) {axis = 1 : i64}
// CHECK:         kernel.library_call "cumprod" ins(%[[X]] : memref<?x4xf32>) outs(%[[P]] : memref<?x4xf32>) {axis = 0 : i64, exclusive = false, reverse = false}
// CHECK:         kernel.output_dims %[[G]](%[[M]]) : memref<?x1xf32>
// CHECK-NEXT:    kernel.output_dims %[[P]](%[[N]]) : memref<?x4xf32>
func.func @main(%x: tensor<?x4xf32> {graph.name = "x", graph.dim_names = ["n", ""]},
                %i: tensor<?x1xi64> {graph.name = "i", graph.dim_names = ["m", ""]})
    -> (tensor<?x1xf32> {graph.name = "g"}, tensor<?x4xf32> {graph.name = "p"}) {
  %g = graph.gather_elements %x[%i] {axis = 1 : i64} : (tensor<?x4xf32>, tensor<?x1xi64>) -> tensor<?x1xf32>
  %p = graph.cumprod %x {axis = 0 : i64} : tensor<?x4xf32> -> tensor<?x4xf32>
  return %g, %p : tensor<?x1xf32>, tensor<?x4xf32>
}
