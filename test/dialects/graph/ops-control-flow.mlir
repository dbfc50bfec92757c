// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// If, Loop and Scan print and parse back to themselves, regions included.

// A branch reads a value of the enclosing function directly.
// CHECK-LABEL: func.func @if
// CHECK: %[[R:.*]] = graph.if %{{.*}} : tensor<i1> -> tensor<2xf32> {
// CHECK-NEXT: graph.neg
// CHECK-NEXT: graph.yield %{{.*}} : tensor<2xf32>
// CHECK-NEXT: } else {
// CHECK-NEXT: graph.yield %{{.*}} : tensor<2xf32>
// CHECK-NEXT: }
func.func @if(%c: tensor<i1>, %x: tensor<2xf32>) -> tensor<2xf32> {
  %r = graph.if %c : tensor<i1> -> tensor<2xf32> {
    %n = graph.neg %x : tensor<2xf32> -> tensor<2xf32>
    graph.yield %n : tensor<2xf32>
  } else {
    graph.yield %x : tensor<2xf32>
  }
  return %r : tensor<2xf32>
}

// A loop with both optional inputs, a carried value and a scan output.
// CHECK-LABEL: func.func @loop
// CHECK: graph.loop max_trip_count(%{{.*}} : tensor<i64>) cond(%{{.*}} : tensor<i1>) carried(%{{.*}} : tensor<2xf32>) -> tensor<2xf32>, tensor<?x2xf32> {
// CHECK-NEXT: ^bb0(%{{.*}}: tensor<i64>, %[[C:.*]]: tensor<i1>, %[[A:.*]]: tensor<2xf32>):
// CHECK: graph.yield %[[C]], %{{.*}}, %[[A]] : tensor<i1>, tensor<2xf32>, tensor<2xf32>
func.func @loop(%m: tensor<i64>, %c: tensor<i1>, %x: tensor<2xf32>) -> (tensor<2xf32>, tensor<?x2xf32>) {
  %y, %s = graph.loop max_trip_count(%m : tensor<i64>) cond(%c : tensor<i1>) carried(%x : tensor<2xf32>) -> tensor<2xf32>, tensor<?x2xf32> {
  ^bb0(%i: tensor<i64>, %ci: tensor<i1>, %a: tensor<2xf32>):
    %n = graph.neg %a : tensor<2xf32> -> tensor<2xf32>
    graph.yield %ci, %n, %a : tensor<i1>, tensor<2xf32>, tensor<2xf32>
  }
  return %y, %s : tensor<2xf32>, tensor<?x2xf32>
}

// Neither a trip count nor a condition: the body's condition decides.
// CHECK-LABEL: func.func @loop_bare
// CHECK: graph.loop carried(%{{.*}} : tensor<2xf32>) -> tensor<2xf32> {
func.func @loop_bare(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = graph.loop carried(%x : tensor<2xf32>) -> tensor<2xf32> {
  ^bb0(%i: tensor<i64>, %ci: tensor<i1>, %a: tensor<2xf32>):
    graph.yield %ci, %a : tensor<i1>, tensor<2xf32>
  }
  return %y : tensor<2xf32>
}

// A scan with one state and one scan input read from the end.
// CHECK-LABEL: func.func @scan
// CHECK: graph.scan %{{.*}}, %{{.*}} : (tensor<2xf32>, tensor<3x2xf32>) -> (tensor<2xf32>, tensor<3x2xf32>) {
// CHECK: } {num_scan_inputs = 1 : i64, scan_input_directions = array<i64: 1>, scan_output_directions = array<i64: 0>}
func.func @scan(%s0: tensor<2xf32>, %x: tensor<3x2xf32>) -> (tensor<2xf32>, tensor<3x2xf32>) {
  %s, %z = graph.scan %s0, %x : (tensor<2xf32>, tensor<3x2xf32>) -> (tensor<2xf32>, tensor<3x2xf32>) {
  ^bb0(%si: tensor<2xf32>, %xi: tensor<2xf32>):
    %n = graph.add %si, %xi : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    graph.yield %n, %n : tensor<2xf32>, tensor<2xf32>
  } {num_scan_inputs = 1 : i64, scan_input_directions = array<i64: 1>, scan_output_directions = array<i64: 0>}
  return %s, %z : tensor<2xf32>, tensor<3x2xf32>
}
