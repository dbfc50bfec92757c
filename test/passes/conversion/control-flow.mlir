// RUN: kiln-opt %s -split-input-file -convert-graph-to-kernel -canonicalize | FileCheck %s

// If: the condition is loaded on the host; each branch copies what it
// yields into the result (here the output argument).
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[C:.*]]: memref<i1> {graph.name = "c"}, %[[X:.*]]: memref<2xf32> {graph.name = "x"}, %[[Y:.*]]: memref<2xf32> {graph.name = "y", kernel.output}, %[[Z:.*]]: memref<2xf32> {graph.name = "z", kernel.output}, %[[S:.*]]: memref<3x2xf32> {graph.name = "s", kernel.output})
// CHECK: %[[M:.*]] = kernel.weight "constant" : memref<i64> = dense<3>
// CHECK: %[[COND:.*]] = kernel.load_scalar %[[C]] : memref<i1> -> i1
// CHECK: %[[NEG:.*]] = kernel.alloc : memref<2xf32>
// CHECK: scf.if %[[COND]] {
// CHECK: kernel.elementwise ins(%[[X]] : memref<2xf32>) outs(%[[NEG]] : memref<2xf32>)
// CHECK: kernel.copy %[[NEG]], %[[Y]]
// CHECK: } else {
// CHECK-NEXT: kernel.copy %[[X]], %[[Y]]
// CHECK-NEXT: }
// Loop: the carried value lives in the output z, which starts as x; the
// iteration number and the condition have buffers of their own; the body's
// buffers are allocated in front of the loop; the scan output takes one row
// per iteration, and the trip count is checked against its length.
// CHECK: kernel.copy %[[X]], %[[Z]]
// CHECK: %[[ITER:.*]] = kernel.alloc : memref<i64>
// CHECK: %[[CARRIED_COND:.*]] = kernel.alloc : memref<i1>
// CHECK: kernel.copy %[[C]], %[[CARRIED_COND]]
// CHECK: %[[TRIP:.*]] = kernel.load_scalar %[[M]] : memref<i64> -> i64
// CHECK: %[[TANH:.*]] = kernel.alloc : memref<2xf32>
// CHECK: %[[N:.*]] = scf.while (%[[I:.*]] = %{{.*}}) : (i64) -> i64 {
// CHECK: %[[GO:.*]] = kernel.load_scalar %[[CARRIED_COND]] : memref<i1> -> i1
// CHECK: %[[LT:.*]] = arith.cmpi slt, %[[I]], %[[TRIP]] : i64
// CHECK: %[[BOTH:.*]] = arith.andi %[[GO]], %[[LT]] : i1
// CHECK: scf.condition(%[[BOTH]]) %[[I]] : i64
// CHECK: } do {
// CHECK: ^bb0(%[[J:.*]]: i64):
// CHECK: kernel.store_scalar %[[J]], %[[ITER]] : i64, memref<i64>
// CHECK: kernel.elementwise ins(%[[Z]] : memref<2xf32>) outs(%[[TANH]] : memref<2xf32>)
// CHECK: kernel.insert_row %[[Z]], %[[S]][%[[J]]] : memref<2xf32>, memref<3x2xf32>, i64
// CHECK: kernel.copy %[[TANH]], %[[Z]]
// CHECK: scf.yield
// CHECK: kernel.check_trip_count %[[N]] {expected = 3 : i64} : i64
// CHECK-NOT: graph.
func.func @main(%c: tensor<i1> {graph.name = "c"}, %x: tensor<2xf32> {graph.name = "x"}) -> (tensor<2xf32> {graph.name = "y"}, tensor<2xf32> {graph.name = "z"}, tensor<3x2xf32> {graph.name = "s"}) {
  %y = graph.if %c : tensor<i1> -> tensor<2xf32> {
    %n = graph.neg %x : tensor<2xf32> -> tensor<2xf32>
    graph.yield %n : tensor<2xf32>
  } else {
    graph.yield %x : tensor<2xf32>
  }
  %m = graph.constant dense<3> : tensor<i64>
  %z, %s = graph.loop max_trip_count(%m : tensor<i64>) cond(%c : tensor<i1>) carried(%x : tensor<2xf32>) -> tensor<2xf32>, tensor<3x2xf32> {
  ^bb0(%i: tensor<i64>, %ci: tensor<i1>, %a: tensor<2xf32>):
    %t = graph.tanh %a : tensor<2xf32> -> tensor<2xf32>
    graph.yield %ci, %t, %a : tensor<i1>, tensor<2xf32>, tensor<2xf32>
  }
  return %y, %z, %s : tensor<2xf32>, tensor<2xf32>, tensor<3x2xf32>
}

// -----

// Carried values passed on to each other go through temporaries; without
// cond the body's condition is not read.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%{{.*}}: memref<2xf32> {graph.name = "x"}, %{{.*}}: memref<2xf32> {graph.name = "w"}, %[[A:.*]]: memref<2xf32> {graph.name = "a", kernel.output}, %[[B:.*]]: memref<2xf32> {graph.name = "b", kernel.output})
// CHECK: %[[T0:.*]] = kernel.alloc : memref<2xf32>
// CHECK: %[[T1:.*]] = kernel.alloc : memref<2xf32>
// CHECK: scf.while
// CHECK-NOT: kernel.load_scalar
// CHECK: scf.condition
// CHECK: kernel.copy %[[B]], %[[T0]]
// CHECK-NEXT: kernel.copy %[[A]], %[[T1]]
// CHECK-NEXT: kernel.copy %[[T0]], %[[A]]
// CHECK-NEXT: kernel.copy %[[T1]], %[[B]]
func.func @main(%x: tensor<2xf32> {graph.name = "x"}, %w: tensor<2xf32> {graph.name = "w"}) -> (tensor<2xf32> {graph.name = "a"}, tensor<2xf32> {graph.name = "b"}) {
  %m = graph.constant dense<4> : tensor<i64>
  %a, %b = graph.loop max_trip_count(%m : tensor<i64>) carried(%x, %w : tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>, tensor<2xf32> {
  ^bb0(%i: tensor<i64>, %ci: tensor<i1>, %p: tensor<2xf32>, %q: tensor<2xf32>):
    graph.yield %ci, %q, %p : tensor<i1>, tensor<2xf32>, tensor<2xf32>
  }
  return %a, %b : tensor<2xf32>, tensor<2xf32>
}

// -----

// Scan over a dynamic dim: scf.for to its size; the input is read from the
// end, one row per iteration, and the output written row by row.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%{{.*}}: memref<2xf32> {graph.name = "s0"}, %[[X:.*]]: memref<?x2xf32> {{.*}}, %[[S:.*]]: memref<2xf32> {graph.name = "s", kernel.output}, %[[Z:.*]]: memref<?x2xf32> {graph.name = "z", kernel.output})
// CHECK: %[[T:.*]] = kernel.dim %[[X]][0] : memref<?x2xf32>
// CHECK: %[[SLICE:.*]] = kernel.alloc : memref<2xf32>
// CHECK: %[[SUM:.*]] = kernel.alloc : memref<2xf32>
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %[[T]] step %{{.*}} {
// CHECK-NEXT: kernel.extract_row %[[X]][%[[I]]], %[[SLICE]] {reverse} : memref<?x2xf32>, memref<2xf32>, index
// CHECK-NEXT: kernel.elementwise ins(%[[S]], %[[SLICE]] : memref<2xf32>, memref<2xf32>) outs(%[[SUM]] : memref<2xf32>)
// CHECK: kernel.insert_row %[[SUM]], %[[Z]][%[[I]]] : memref<2xf32>, memref<?x2xf32>, index
// CHECK-NEXT: kernel.copy %[[SUM]], %[[S]]
// CHECK: kernel.output_dims %[[Z]](%[[T]])
func.func @main(%s0: tensor<2xf32> {graph.name = "s0"}, %x: tensor<?x2xf32> {graph.name = "x", graph.dim_names = ["T", ""]}) -> (tensor<2xf32> {graph.name = "s"}, tensor<?x2xf32> {graph.name = "z"}) {
  %s, %z = graph.scan %s0, %x : (tensor<2xf32>, tensor<?x2xf32>) -> (tensor<2xf32>, tensor<?x2xf32>) {
  ^bb0(%si: tensor<2xf32>, %xi: tensor<2xf32>):
    %n = graph.add %si, %xi : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    graph.yield %n, %n : tensor<2xf32>, tensor<2xf32>
  } {num_scan_inputs = 1 : i64, scan_input_directions = array<i64: 1>, scan_output_directions = array<i64: 0>}
  return %s, %z : tensor<2xf32>, tensor<?x2xf32>
}
