// RUN: kiln-opt %s -convert-graph-to-kernel | FileCheck %s

// Unsigned integers are signless in kernel bodies; division, remainder,
// min / max and ordered comparisons take their unsigned forms, addition
// and equality are the same bits either way.

// CHECK-LABEL: func.func @main(
// CHECK:         kernel.elementwise ins({{.*}} : memref<4xui8>, memref<4xui8>) outs({{.*}} : memref<4xui8>)
// CHECK-NEXT:    ^bb0(%[[A:.*]]: i8, %[[B:.*]]: i8):
// CHECK-NEXT:      arith.addi %[[A]], %[[B]] : i8
// CHECK:         arith.divui %{{.*}}, %{{.*}} : i32
// CHECK:         arith.remui %{{.*}}, %{{.*}} : i32
// CHECK:         arith.maxui %{{.*}}, %{{.*}} : i16
// CHECK:         arith.cmpi ugt, %{{.*}}, %{{.*}} : i64
// CHECK:         arith.cmpi ule, %{{.*}}, %{{.*}} : i64
// CHECK:         arith.cmpi eq, %{{.*}}, %{{.*}} : i64
func.func @main(%a: tensor<4xui8> {graph.name = "a"}, %b: tensor<4xui8> {graph.name = "b"},
                %c: tensor<4xui32> {graph.name = "c"}, %d: tensor<4xui32> {graph.name = "d"},
                %e: tensor<4xui16> {graph.name = "e"}, %f: tensor<4xui16> {graph.name = "f"},
                %g: tensor<4xui64> {graph.name = "g"}, %h: tensor<4xui64> {graph.name = "h"})
    -> (tensor<4xui8> {graph.name = "sum"}, tensor<4xui32> {graph.name = "quotient"},
        tensor<4xui32> {graph.name = "remainder"}, tensor<4xui16> {graph.name = "max"},
        tensor<4xi1> {graph.name = "greater"}, tensor<4xi1> {graph.name = "less_equal"},
        tensor<4xi1> {graph.name = "equal"}) {
  %sum = graph.add %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %quotient = graph.div %c, %d : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  %remainder = graph.mod %c, %d : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  %max = graph.max %e, %f : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xui16>
  %greater = graph.greater %g, %h : (tensor<4xui64>, tensor<4xui64>) -> tensor<4xi1>
  %less_equal = graph.less_or_equal %g, %h : (tensor<4xui64>, tensor<4xui64>) -> tensor<4xi1>
  %equal = graph.equal %g, %h : (tensor<4xui64>, tensor<4xui64>) -> tensor<4xi1>
  return %sum, %quotient, %remainder, %max, %greater, %less_equal, %equal
      : tensor<4xui8>, tensor<4xui32>, tensor<4xui32>, tensor<4xui16>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}
