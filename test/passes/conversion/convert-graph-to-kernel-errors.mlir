// RUN: kiln-opt %s -split-input-file -convert-graph-to-kernel -verify-diagnostics

// A tile whose repeats are data, not sizes.
func.func @main(%x: tensor<?x4xf32> {graph.name = "x"}, %r: tensor<2xi64>) -> tensor<?x?xf32> {
  // expected-error @below {{'graph.tile' does not support dynamic dims with repeats that do not follow from the inputs' shapes: give --shape for the model's inputs}}
  %t = graph.tile %x, %r : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %t : tensor<?x?xf32>
}

// -----

// A reshape to a shape read from data: its dims are not sizes of inputs.
func.func @main(%x: tensor<4xf32>, %s: tensor<2xi64>) -> tensor<?x?xf32> {
  // expected-error @below {{'graph.reshape' does not support dynamic dims with a shape that does not follow from the inputs' shapes: give --shape for the model's inputs}}
  %r = graph.reshape %x, %s : (tensor<4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// The slice library call needs its parameters at compile time.
func.func @main(%x: tensor<4xf32>, %starts: tensor<1xi64>) -> tensor<2xf32> {
  %ends = graph.constant dense<[4]> : tensor<1xi64>
  // expected-error @below {{slice needs constant starts and ends}}
  %y = graph.slice %x[%starts, %ends] : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// Float math on integers has no lowering.
func.func @main(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @below {{cannot lower 'graph.sqrt' on element type 'i32': it needs a float}}
  %y = graph.sqrt %x : tensor<4xi32> -> tensor<4xi32>
  return %y : tensor<4xi32>
}

// -----

// Ops whose body has no unsigned form refuse unsigned integers.
func.func @main(%x: tensor<4xui8>, %y: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @below {{cannot lower 'graph.pow' on unsigned element type 'ui8': elementwise kernels compute on signless integers}}
  %z = graph.pow %x, %y : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %z : tensor<4xui8>
}

// -----

// Only @main is lowered.
// expected-error @below {{convert-graph-to-kernel expects a func.func @main with a body}}
module {
  func.func @model(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}


// -----

// keep_aspect_ratio_policy makes the factors of a dynamic resize depend on
// a ratio of run-time dims.
func.func @main(%x: tensor<?x?xf32> {graph.name = "x", graph.dim_names = ["r", "c"]})
    -> (tensor<?x?xf32> {graph.name = "y"}) {
  // expected-error @below {{'graph.resize' does not support dynamic dims with keep_aspect_ratio_policy 'not_larger': give --shape for the model's inputs}}
  %y = graph.resize %x {sizes = array<i64: 3, 5>, keep_aspect_ratio_policy = "not_larger"} : tensor<?x?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
