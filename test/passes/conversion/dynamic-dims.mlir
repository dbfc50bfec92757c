// RUN: kiln-opt %s -convert-graph-to-kernel | FileCheck %s

// Dynamic dims lower to index values: one kernel.dim per symbolic name
// (`seq` of x and m is one value), the reshape's shape chain
// (Shape -> Gather -> Mul -> Concat) becomes arith on those values, two
// anonymous dims meet in a run-time checked kernel.broadcast_dim, a tensor
// of sizes that is an output is written with kernel.fill_sizes, and the
// dynamic output's dims are given by kernel.output_dims. Tensors of sizes
// that only feed sizes leave nothing behind.

// CHECK-LABEL: func.func @main(
// CHECK-SAME:      %[[X:.*]]: memref<?x?x8xf32> {{.*}}, %[[M:.*]]: memref<?x8xf32> {{.*}}, %[[B:.*]]: memref<?x8xf32> {{.*}}, %[[Y:.*]]: memref<?x8xf32> {{.*}}, %[[S:.*]]: memref<2xi64>
// CHECK-DAG:     %[[ANON:.*]] = kernel.dim %[[B]][0] : memref<?x8xf32>
// CHECK-DAG:     %[[SEQ:.*]] = kernel.dim %[[X]][1] : memref<?x?x8xf32>
// CHECK-DAG:     %[[BATCH:.*]] = kernel.dim %[[X]][0] : memref<?x?x8xf32>
// CHECK-NOT:     kernel.dim
// CHECK:         %[[SUM:.*]] = kernel.alloc(%[[BATCH]], %[[SEQ]]) : memref<?x?x8xf32>
// CHECK:         kernel.elementwise ins(%[[X]], %[[M]] : memref<?x?x8xf32>, memref<?x8xf32>) outs(%[[SUM]] : memref<?x?x8xf32>)
// CHECK-NOT:     kernel.fill_sizes
// CHECK:         %[[ROWS:.*]] = arith.muli %[[BATCH]], %[[SEQ]] : index
// CHECK-NEXT:    %[[FLAT:.*]] = kernel.view %[[SUM]](%[[ROWS]]) : memref<?x?x8xf32> to memref<?x8xf32>
// CHECK-NEXT:    %[[CHECKED:.*]] = kernel.broadcast_dim %[[ROWS]], %[[ANON]]
// CHECK-NEXT:    kernel.elementwise ins(%[[FLAT]], %[[B]] : memref<?x8xf32>, memref<?x8xf32>) outs(%[[Y]] : memref<?x8xf32>)
// CHECK:         kernel.fill_sizes %[[S]](%[[BATCH]], %[[SEQ]]) : memref<2xi64>
// CHECK-NEXT:    kernel.output_dims %[[Y]](%[[CHECKED]]) : memref<?x8xf32>
// CHECK-NEXT:    return
func.func @main(%x: tensor<?x?x8xf32> {graph.name = "x", graph.dim_names = ["batch", "seq", ""]},
                %m: tensor<?x8xf32> {graph.name = "m", graph.dim_names = ["seq", ""]},
                %b: tensor<?x8xf32> {graph.name = "b", graph.dim_names = ["", ""]})
    -> (tensor<?x8xf32> {graph.name = "y"}, tensor<2xi64> {graph.name = "s"}) {
  %sum = graph.add %x, %m : (tensor<?x?x8xf32>, tensor<?x8xf32>) -> tensor<?x?x8xf32>
  %shape = graph.shape %sum : tensor<?x?x8xf32> -> tensor<3xi64>
  %i0 = graph.constant dense<[0]> : tensor<1xi64>
  %i1 = graph.constant dense<[1]> : tensor<1xi64>
  %d0 = graph.gather %shape[%i0] : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
  %d1 = graph.gather %shape[%i1] : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
  %rows = graph.mul %d0, %d1 : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %eight = graph.constant dense<[8]> : tensor<1xi64>
  %new = graph.concat %rows, %eight {axis = 0} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %flat = graph.reshape %sum, %new : (tensor<?x?x8xf32>, tensor<2xi64>) -> tensor<?x8xf32>
  %y = graph.add %flat, %b : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
  %s = graph.concat %d0, %d1 {axis = 0} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  return %y, %s : tensor<?x8xf32>, tensor<2xi64>
}
