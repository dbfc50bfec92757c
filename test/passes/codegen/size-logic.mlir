// RUN: rm -rf %t.cpu && kiln-compile %s -o %t.cpu --stop-after=source
// RUN: FileCheck %s --input-file=%t.cpu/src/model.cpp
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t.cpu/src/model.cpp
// RUN: rm -rf %t.cuda && kiln-compile %s -o %t.cuda --target=cuda --stop-after=source

// Comparisons, logic and selects of sizes are printed in kilnShapes as
// int64_t 0 / 1 values, beside the checked arithmetic.

// CHECK-LABEL: int kilnShapes(
// CHECK:         sh.[[N:d[0-9]+]] = input_shapes[0][0];
// CHECK:         sh.[[R:d[0-9]+]] = sh.[[N]] % 2;
// CHECK:         sh.[[NEG:d[0-9]+]] = sh.[[R]] < 0;
// CHECK:         sh.[[NZ:d[0-9]+]] = sh.[[R]] != 0;
// CHECK:         sh.[[ADJ:d[0-9]+]] = sh.[[NZ]] & sh.[[NEG]];
// CHECK:         sh.[[MOD:d[0-9]+]] = sh.[[ADJ]] ? sh.{{d[0-9]+}} : sh.[[R]];
// CHECK:         sh.[[EQ:d[0-9]+]] = sh.[[MOD]] == 0;
// CHECK:         sh.[[K:d[0-9]+]] = sh.{{d[0-9]+}} ? sh.{{d[0-9]+}} : 1;
// CHECK:         return 0;
func.func @main(%x: tensor<?x4xf32> {graph.name = "x", graph.dim_names = ["n", ""]})
    -> (tensor<?x4xf32> {graph.name = "y"}) {
  %shape = graph.shape %x : tensor<?x4xf32> -> tensor<2xi64>
  %i0 = graph.constant dense<[0]> : tensor<1xi64>
  %n = graph.gather %shape[%i0] : (tensor<2xi64>, tensor<1xi64>) -> tensor<1xi64>
  %two = graph.constant dense<[2]> : tensor<1xi64>
  %zero = graph.constant dense<[0]> : tensor<1xi64>
  %one = graph.constant dense<[1]> : tensor<1xi64>
  %rem = graph.mod %n, %two : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %even = graph.equal %rem, %zero : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi1>
  %half = graph.div %n, %two : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %k = graph.where %even, %half, %one : (tensor<1xi1>, tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %four = graph.constant dense<[4]> : tensor<1xi64>
  %new = graph.concat %k, %four {axis = 0} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %y = graph.constant_of_shape %new, dense<1.0> : tensor<1xf32> : (tensor<2xi64>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
