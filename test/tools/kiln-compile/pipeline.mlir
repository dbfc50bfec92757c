// RUN: kiln-opt %s --kiln-compile-pipeline="shapes=x=2x4 stop-after=graph" | FileCheck %s --check-prefix=GRAPH
// RUN: kiln-opt %s --kiln-compile-pipeline="shapes=x=2x4" | FileCheck %s --check-prefix=PLAN
// RUN: not kiln-opt %s --kiln-compile-pipeline="stop-after=source" 2>&1 | FileCheck %s --check-prefix=BAD

// kiln-compile's phases as one kiln-opt pipeline: stop-after=graph leaves
// static graph ops; by default it runs up to a planned kernel module.

// GRAPH-LABEL: func.func @main
// GRAPH-SAME:    tensor<2x4xf32>
// GRAPH:         graph.add {{.*}} -> tensor<2x4xf32>
// GRAPH:         graph.relu {{.*}} -> tensor<2x4xf32>

// PLAN-LABEL: func.func @main
// PLAN-SAME:    memref<2x4xf32>
// PLAN-SAME:    kernel.arena_bytes =
// PLAN-NOT:     graph.
// PLAN:         kernel.elementwise

// BAD: stop-after must be graph, kernel or plan, got 'source'

func.func @main(%x: tensor<?x4xf32> {graph.name = "x"},
                %b: tensor<4xf32> {graph.name = "b"})
    -> (tensor<?x4xf32> {graph.name = "y"}) {
  %s = graph.add %x, %b : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %y = graph.relu %s : tensor<?x4xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
