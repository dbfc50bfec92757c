// RUN: kiln-opt %s -convert-graph-to-kernel | FileCheck %s

// rnn (and gru, lstm) with the sequence length and batch at run time: Y is
// (seq, dirs, batch, hidden), Y_h (dirs, batch, hidden), seq and batch
// from X; the kernel reads them from the tensors it receives.

// CHECK-LABEL: func.func @main(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: memref<?x?x3xf32> {{.*}}, %[[Y:[a-z0-9]+]]: memref<?x1x?x2xf32> {{.*}}, %[[YH:[a-z0-9]+]]: memref<1x?x2xf32>
// CHECK-DAG:     %[[B:.*]] = kernel.dim %[[X]][1] : memref<?x?x3xf32>
// CHECK-DAG:     %[[S:.*]] = kernel.dim %[[X]][0] : memref<?x?x3xf32>
// CHECK:         kernel.library_call "rnn" ins(%[[X]], {{.*}}) outs(%[[Y]], %[[YH]] : memref<?x1x?x2xf32>, memref<1x?x2xf32>)
// CHECK:         kernel.output_dims %[[Y]](%[[S]], %[[B]]) : memref<?x1x?x2xf32>
// CHECK-NEXT:    kernel.output_dims %[[YH]](%[[B]]) : memref<1x?x2xf32>
func.func @main(%x: tensor<?x?x3xf32> {graph.name = "x", graph.dim_names = ["S", "B", ""]},
                %w: tensor<1x2x3xf32> {graph.name = "w"},
                %r: tensor<1x2x2xf32> {graph.name = "r"})
    -> (tensor<?x1x?x2xf32> {graph.name = "y"}, tensor<1x?x2xf32> {graph.name = "yh"}) {
  %y, %yh = graph.rnn %x, %w, %r {activation_alpha = array<f32: 0.0>, activation_beta = array<f32: 0.0>, activations = ["Tanh"], hidden_size = 2 : i64} : (tensor<?x?x3xf32>, tensor<1x2x3xf32>, tensor<1x2x2xf32>) -> tensor<?x1x?x2xf32>, tensor<1x?x2xf32>
  return %y, %yh : tensor<?x1x?x2xf32>, tensor<1x?x2xf32>
}
