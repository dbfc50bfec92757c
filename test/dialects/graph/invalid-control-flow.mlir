// RUN: kiln-opt %s --split-input-file --verify-diagnostics

// Branches that yield different static shapes.
func.func @if_shapes(%c: tensor<i1>, %x: tensor<2xf32>, %z: tensor<3xf32>) {
  // expected-error @+1 {{'graph.if' op output #0 is 'tensor<2xf32>' in the then branch and 'tensor<3xf32>' in the else branch}}
  %r = graph.if %c : tensor<i1> -> tensor<2xf32> {
    graph.yield %x : tensor<2xf32>
  } else {
    graph.yield %z : tensor<3xf32>
  }
  return
}

// -----

// A condition of more than one element.
func.func @if_cond(%c: tensor<2xi1>, %x: tensor<2xf32>) {
  // expected-error @+1 {{'graph.if' op condition must hold one element, got 'tensor<2xi1>'}}
  %r = graph.if %c : tensor<2xi1> -> tensor<2xf32> {
    graph.yield %x : tensor<2xf32>
  } else {
    graph.yield %x : tensor<2xf32>
  }
  return
}

// -----

// A body without the iteration number and condition.
func.func @loop_arguments(%x: tensor<2xf32>) {
  // expected-error @+1 {{'graph.loop' op body takes 1 arguments, expected 2 + 1 carried}}
  %y = graph.loop carried(%x : tensor<2xf32>) -> tensor<2xf32> {
  ^bb0(%a: tensor<2xf32>):
    graph.yield %a, %a : tensor<2xf32>, tensor<2xf32>
  }
  return
}

// -----

// A carried value whose shape changes in one iteration.
func.func @loop_grows(%x: tensor<2xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'graph.loop' op carried value #0 changes type from 'tensor<2xf32>' to 'tensor<4xf32>' in one iteration}}
  %y = graph.loop carried(%x : tensor<2xf32>) -> tensor<2xf32> {
  ^bb0(%i: tensor<i64>, %ci: tensor<i1>, %a: tensor<2xf32>):
    graph.yield %ci, %w : tensor<i1>, tensor<4xf32>
  }
  return
}

// -----

// A condition that is not a bool.
func.func @loop_cond(%x: tensor<2xf32>) {
  // expected-error @+1 {{'graph.loop' op the body must yield a condition of one i1, got 'tensor<2xf32>'}}
  %y = graph.loop carried(%x : tensor<2xf32>) -> tensor<2xf32> {
  ^bb0(%i: tensor<i64>, %ci: tensor<i1>, %a: tensor<2xf32>):
    graph.yield %a, %a : tensor<2xf32>, tensor<2xf32>
  }
  return
}

// -----

// A scan input slice of the wrong shape.
func.func @scan_slice(%s0: tensor<2xf32>, %x: tensor<3x2xf32>) {
  // expected-error @+1 {{'graph.scan' op scan input #0 of type 'tensor<3x2xf32>' enters the body as 'tensor<3xf32>'}}
  %s = graph.scan %s0, %x : (tensor<2xf32>, tensor<3x2xf32>) -> (tensor<2xf32>) {
  ^bb0(%si: tensor<2xf32>, %xi: tensor<3xf32>):
    graph.yield %si : tensor<2xf32>
  } {num_scan_inputs = 1 : i64}
  return
}

// -----

// Directions of the wrong length.
func.func @scan_directions(%s0: tensor<2xf32>, %x: tensor<3x2xf32>) {
  // expected-error @+1 {{'graph.scan' op scan_input_directions has 2 entries for 1 scans}}
  %s = graph.scan %s0, %x : (tensor<2xf32>, tensor<3x2xf32>) -> (tensor<2xf32>) {
  ^bb0(%si: tensor<2xf32>, %xi: tensor<2xf32>):
    graph.yield %si : tensor<2xf32>
  } {num_scan_inputs = 1 : i64, scan_input_directions = array<i64: 0, 1>}
  return
}
