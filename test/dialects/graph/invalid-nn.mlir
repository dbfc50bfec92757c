// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Network ops of exported models (GraphShapesNN.cpp): one case per error.

// k must be one value.
func.func @top_k_k_not_scalar(%x: tensor<3x4xf32>) {
  %k = graph.constant dense<[1, 2]> : tensor<2xi64>
  // expected-error @+1 {{'graph.top_k' op k must be a scalar (rank 0 or one element)}}
  %v, %i = graph.top_k %x, %k : (tensor<3x4xf32>, tensor<2xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>)
  return
}

// -----

// k at most the axis size.
func.func @top_k_k_too_large(%x: tensor<3x4xf32>) {
  %k = graph.constant dense<5> : tensor<1xi64>
  // expected-error @+1 {{'graph.top_k' op k 5 is larger than the axis size 4}}
  %v, %i = graph.top_k %x, %k : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x5xf32>, tensor<3x5xi64>)
  return
}

// -----

// k is not negative.
func.func @top_k_k_negative(%x: tensor<3x4xf32>) {
  %k = graph.constant dense<-1> : tensor<1xi64>
  // expected-error @+1 {{'graph.top_k' op k -1 is negative}}
  %v, %i = graph.top_k %x, %k : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>)
  return
}

// -----

// The axis is in range.
func.func @top_k_axis(%x: tensor<3x4xf32>, %k: tensor<1xi64>) {
  // expected-error @+1 {{'graph.top_k' op axis 2 is out of range [-2, 2)}}
  %v, %i = graph.top_k %x, %k {axis = 2 : i64} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>)
  return
}
