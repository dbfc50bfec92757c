// RUN: kiln-opt %s -convert-graph-to-kernel | FileCheck %s

// Shape arithmetic through Mod, Equal, Where and Cast (as exporters write a
// grouped-query head ratio) becomes index arithmetic: booleans are the index
// values 0 and 1, Mod takes the divisor's sign, and Where is a select.

// CHECK-LABEL: func.func @main(
// CHECK:         %[[N:.*]] = kernel.dim %{{.*}}[0] : memref<?x4xf32>
// CHECK:         %[[REM:.*]] = arith.remsi %[[N]], %{{.*}} : index
// CHECK:         arith.select %{{.*}}, %{{.*}}, %[[REM]] : index
// CHECK:         arith.cmpi eq,
// CHECK:         %[[EVEN:.*]] = arith.index_castui %{{.*}} : i1 to index
// CHECK:         %[[HALF:.*]] = arith.divsi %[[N]], %{{.*}} : index
// CHECK:         %[[IS:.*]] = arith.cmpi ne, %[[EVEN]], %{{.*}} : index
// CHECK:         %[[K:.*]] = arith.select %[[IS]], %[[HALF]], %{{.*}} : index
// CHECK-NOT:     kernel.fill_sizes
// CHECK:         kernel.elementwise outs(%[[Y:.*]] : memref<?x4xf32>)
// CHECK:         kernel.output_dims %[[Y]](%[[K]]) : memref<?x4xf32>
func.func @main(%x: tensor<?x4xf32> {graph.name = "x", graph.dim_names = ["n", ""]})
    -> (tensor<?x4xf32> {graph.name = "y"}) {
  %shape = graph.shape %x : tensor<?x4xf32> -> tensor<2xi64>
  %i0 = graph.constant dense<[0]> : tensor<1xi64>
  %n = graph.gather %shape[%i0] : (tensor<2xi64>, tensor<1xi64>) -> tensor<1xi64>
  %two = graph.constant dense<[2]> : tensor<1xi64>
  %zero = graph.constant dense<[0]> : tensor<1xi64>
  %one = graph.constant dense<[1]> : tensor<1xi64>
  %rem = graph.mod %n, %two : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %even = graph.equal %rem, %zero : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi1>
  %half = graph.div %n, %two : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %k = graph.where %even, %half, %one : (tensor<1xi1>, tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %four = graph.constant dense<[4]> : tensor<1xi64>
  %new = graph.concat %k, %four {axis = 0} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %y = graph.constant_of_shape %new, dense<1.0> : tensor<1xf32> : (tensor<2xi64>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
