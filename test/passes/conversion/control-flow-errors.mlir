// RUN: kiln-opt %s -split-input-file -convert-graph-to-kernel -verify-diagnostics

// A scan output whose length is the trip count read at run time.
func.func @main(%m: tensor<i64>, %x: tensor<2xf32>) -> tensor<?x2xf32> {
  // expected-error @+1 {{scan output #0 needs a constant trip count or a declared static length (scan outputs of data-dependent length are not supported)}}
  %y, %s = graph.loop max_trip_count(%m : tensor<i64>) carried(%x : tensor<2xf32>) -> tensor<2xf32>, tensor<?x2xf32> {
  ^bb0(%i: tensor<i64>, %ci: tensor<i1>, %a: tensor<2xf32>):
    graph.yield %ci, %a, %a : tensor<i1>, tensor<2xf32>, tensor<2xf32>
  }
  return %s : tensor<?x2xf32>
}
