// RUN: kiln-opt %s --split-input-file --kiln-partition="dp=2 tp=2" --verify-diagnostics

// expected-error @+1 {{dp=2 does not divide the batch: input 'x' dim 0 is 3}}
func.func @main(%x: tensor<3x64xf32> {graph.name = "x"}) -> tensor<3x64xf32> {
  %w = graph.constant dense<1.0> : tensor<64x64xf32>
  %y = graph.matmul %x, %w : (tensor<3x64xf32>, tensor<64x64xf32>) -> tensor<3x64xf32>
  return %y : tensor<3x64xf32>
}

// -----

// expected-error @+1 {{partitioning needs static shapes: input 'x' has type 'tensor<?x64xf32>' (give its dims with --shape)}}
func.func @main(%x: tensor<?x64xf32> {graph.name = "x"}) -> tensor<?x64xf32> {
  return %x : tensor<?x64xf32>
}

// -----

// Three heads cannot be shared by two tp ranks.
func.func @main(%x: tensor<4x48xf32> {graph.name = "x"}) -> tensor<4x3x16xf32> {
  %w = graph.constant dense<1.0> : tensor<48x48xf32>
  %shape = graph.constant dense<[4, 3, 16]> : tensor<3xi64>
  %q = graph.matmul %x, %w : (tensor<4x48xf32>, tensor<48x48xf32>) -> tensor<4x48xf32>
  // expected-error @+1 {{tp=2 does not divide the 3 blocks (attention heads)}}
  %h = graph.reshape %q, %shape : (tensor<4x48xf32>, tensor<3xi64>) -> tensor<4x3x16xf32>
  return %h : tensor<4x3x16xf32>
}

// -----

// expected-error @+1 {{tp=2 splits no weight of this model}}
func.func @main(%x: tensor<4x8xf32> {graph.name = "x"}) -> tensor<4x8xf32> {
  %w = graph.constant dense<1.0> : tensor<8x8xf32>
  %y = graph.matmul %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
