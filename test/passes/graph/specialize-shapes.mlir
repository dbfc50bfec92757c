// RUN: kiln-opt %s --kiln-specialize-shapes="shapes=x=1x3x224x224,mask=1x?" | FileCheck %s
// RUN: not kiln-opt %s --kiln-specialize-shapes="shapes=y=1x3x224x224" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not kiln-opt %s --kiln-specialize-shapes="shapes=x=1x3x224" 2>&1 | FileCheck %s --check-prefix=RANK
// RUN: not kiln-opt %s --kiln-specialize-shapes="shapes=x=1x4x224x224" 2>&1 | FileCheck %s --check-prefix=CONFLICT
// RUN: not kiln-opt %s --kiln-specialize-shapes="shapes=x=1xthree" 2>&1 | FileCheck %s --check-prefix=MALFORMED
// RUN: echo 'func.func @f() { return }' | not kiln-opt --kiln-specialize-shapes="shapes=x=1" 2>&1 | FileCheck %s --check-prefix=NOMAIN

// Inputs are found by graph.name; `?` keeps a dim dynamic; a returned
// argument gives the result its new type; names of dims made static are
// cleared; the body stays.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x224x224xf32> {graph.dim_names = ["", "", "", ""], graph.name = "x"},
// CHECK-SAME: %[[M:.*]]: tensor<1x?xi1> {graph.dim_names = ["", "seq"], graph.name = "mask"})
// CHECK-SAME: -> (tensor<1x3x224x224xf32> {graph.name = "y"}, tensor<1x?xi1> {graph.name = "m"})
// CHECK: graph.relu %[[X]] : tensor<1x3x224x224xf32> -> tensor<?x3x?x?xf32>
// CHECK: return %[[X]], %[[M]]
func.func @main(%x: tensor<?x3x?x?xf32> {graph.dim_names = ["batch", "", "h", "w"], graph.name = "x"},
                %mask: tensor<?x?xi1> {graph.dim_names = ["batch", "seq"], graph.name = "mask"})
    -> (tensor<?x3x?x?xf32> {graph.name = "y"}, tensor<?x?xi1> {graph.name = "m"}) {
  %0 = graph.relu %x : tensor<?x3x?x?xf32> -> tensor<?x3x?x?xf32>
  return %x, %mask : tensor<?x3x?x?xf32>, tensor<?x?xi1>
}

// UNKNOWN: error: no input named 'y'
// RANK: error: input 'x' has rank 4, the shape gives 3
// CONFLICT: error: input 'x' has size 3 in dim 1, the shape gives 4
// MALFORMED: error: malformed shape 'x=1xthree', expected name=d0xd1x...
// NOMAIN: error: no function @main to specialize
