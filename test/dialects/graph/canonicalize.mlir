// RUN: kiln-opt %s --canonicalize --split-input-file | FileCheck %s

// Integer add of a tensor and a broadcast scalar.
// CHECK-LABEL: func.func @add_constants
// CHECK-NEXT: %[[C:.*]] = graph.constant dense<[4, 5]> : tensor<2xi64>
// CHECK-NEXT: return %[[C]]
func.func @add_constants() -> tensor<2xi64> {
  %a = graph.constant dense<[1, 2]> : tensor<2xi64>
  %b = graph.constant dense<3> : tensor<i64>
  %0 = graph.add %a, %b : (tensor<2xi64>, tensor<i64>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// Broadcasting of a column against a row.
// CHECK-LABEL: func.func @mul_outer
// CHECK-NEXT: %[[C:.*]] = graph.constant dense<{{\[\[}}2, 3], [-14, -21]]> : tensor<2x2xi64>
// CHECK-NEXT: return %[[C]]
func.func @mul_outer() -> tensor<2x2xi64> {
  %a = graph.constant dense<[[1], [-7]]> : tensor<2x1xi64>
  %b = graph.constant dense<[2, 3]> : tensor<2xi64>
  %0 = graph.mul %a, %b : (tensor<2x1xi64>, tensor<2xi64>) -> tensor<2x2xi64>
  return %0 : tensor<2x2xi64>
}

// -----

// Integer division truncates toward zero; sub and float div fold too.
// CHECK-LABEL: func.func @sub_div
// CHECK-DAG: graph.constant dense<[-3, 2]> : tensor<2xi64>
// CHECK-DAG: graph.constant dense<[-9, 4]> : tensor<2xi64>
// CHECK-DAG: graph.constant dense<[5.000000e-01, 1.500000e+00]> : tensor<2xf32>
// CHECK-NOT: graph.div
// CHECK-NOT: graph.sub
func.func @sub_div() -> (tensor<2xi64>, tensor<2xi64>, tensor<2xf32>) {
  %a = graph.constant dense<[-7, 7]> : tensor<2xi64>
  %b = graph.constant dense<[2, 3]> : tensor<2xi64>
  %0 = graph.div %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %1 = graph.sub %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %f = graph.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %two = graph.constant dense<2.0> : tensor<f32>
  %2 = graph.div %f, %two : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  return %0, %1, %2 : tensor<2xi64>, tensor<2xi64>, tensor<2xf32>
}

// -----

// Integer division by zero is left for run time.
// CHECK-LABEL: func.func @negative_div_by_zero
// CHECK: graph.div
func.func @negative_div_by_zero() -> tensor<2xi64> {
  %a = graph.constant dense<[1, 2]> : tensor<2xi64>
  %b = graph.constant dense<[1, 0]> : tensor<2xi64>
  %0 = graph.div %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// Comparisons give i1.
// CHECK-LABEL: func.func @compare
// CHECK-DAG: graph.constant dense<[false, true, false]> : tensor<3xi1>
// CHECK-DAG: graph.constant dense<[true, false, false]> : tensor<3xi1>
// CHECK-DAG: graph.constant dense<[false, false, true]> : tensor<3xi1>
// CHECK-DAG: graph.constant dense<[false, true]> : tensor<2xi1>
func.func @compare() -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<2xi1>) {
  %a = graph.constant dense<[1, 2, 3]> : tensor<3xi64>
  %b = graph.constant dense<2> : tensor<1xi64>
  %0 = graph.equal %a, %b : (tensor<3xi64>, tensor<1xi64>) -> tensor<3xi1>
  %1 = graph.less %a, %b : (tensor<3xi64>, tensor<1xi64>) -> tensor<3xi1>
  %2 = graph.greater %a, %b : (tensor<3xi64>, tensor<1xi64>) -> tensor<3xi1>
  %f = graph.constant dense<[1.0, 2.5]> : tensor<2xf32>
  %g = graph.constant dense<2.5> : tensor<f32>
  %3 = graph.equal %f, %g : (tensor<2xf32>, tensor<f32>) -> tensor<2xi1>
  return %0, %1, %2, %3 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<2xi1>
}

// -----

// Logic, Mod (Python's and C's), Max / Min and Where on constants: the shape
// arithmetic of exported attention (grouped-query head counts).
// CHECK-LABEL: func.func @logic_mod_where
// CHECK-DAG: graph.constant dense<[false, true, false]> : tensor<3xi1>
// CHECK-DAG: graph.constant dense<[true, true, false]> : tensor<3xi1>
// CHECK-DAG: graph.constant dense<[true, false, false]> : tensor<3xi1>
// CHECK-DAG: graph.constant dense<[true, false, true]> : tensor<3xi1>
// CHECK-DAG: graph.constant dense<[1, 0, -1, -2]> : tensor<4xi64>
// CHECK-DAG: graph.constant dense<[1, 0, 3, -2]> : tensor<4xi64>
// CHECK-DAG: graph.constant dense<[3, 7, 3, 3]> : tensor<4xi64>
// CHECK-DAG: graph.constant dense<[3, -7, 3, -7]> : tensor<4xi64>
// CHECK-DAG: graph.constant dense<[10, 20, 7]> : tensor<3xi64>
// CHECK-NOT: graph.and
// CHECK-NOT: graph.or
// CHECK-NOT: graph.xor
// CHECK-NOT: graph.not
// CHECK-NOT: graph.mod
// CHECK-NOT: graph.where
func.func @logic_mod_where() -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>,
                                 tensor<3xi1>, tensor<4xi64>, tensor<4xi64>,
                                 tensor<4xi64>, tensor<4xi64>, tensor<3xi64>) {
  %t = graph.constant dense<[true, true, false]> : tensor<3xi1>
  %u = graph.constant dense<[false, true, false]> : tensor<3xi1>
  %and = graph.and %t, %u : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %or = graph.or %t, %u : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %xor = graph.xor %t, %u : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %not = graph.not %u : tensor<3xi1> -> tensor<3xi1>
  %a = graph.constant dense<[7, -7, 7, -7]> : tensor<4xi64>
  %b = graph.constant dense<[3, 7, -4, -5]> : tensor<4xi64>
  %mod = graph.mod %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %fmod = graph.mod %a, %b {fmod = true} : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %three = graph.constant dense<3> : tensor<1xi64>
  %max = graph.max %b, %three : (tensor<4xi64>, tensor<1xi64>) -> tensor<4xi64>
  %min = graph.min %a, %three : (tensor<4xi64>, tensor<1xi64>) -> tensor<4xi64>
  %x = graph.constant dense<[10, 20, 30]> : tensor<3xi64>
  %y = graph.constant dense<7> : tensor<i64>
  %where = graph.where %t, %x, %y : (tensor<3xi1>, tensor<3xi64>, tensor<i64>) -> tensor<3xi64>
  return %and, %or, %xor, %not, %mod, %fmod, %max, %min, %where
      : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<4xi64>,
        tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<3xi64>
}

// -----

// Expand of a constant is the broadcast constant (a shape repeated, as the
// exporter builds a Conv's zero bias from the weight's shape).
// CHECK-LABEL: func.func @expand_constant
// CHECK-DAG: graph.constant dense<64> : tensor<3xi64>
// CHECK-DAG: graph.constant dense<{{\[}}[1, 2], [1, 2]]> : tensor<2x2xi64>
// CHECK-NOT: graph.expand
func.func @expand_constant() -> (tensor<3xi64>, tensor<2x2xi64>) {
  %n = graph.constant dense<[64]> : tensor<1xi64>
  %three = graph.constant dense<[3]> : tensor<1xi64>
  %a = graph.expand %n, %three : (tensor<1xi64>, tensor<1xi64>) -> tensor<3xi64>
  %row = graph.constant dense<[1, 2]> : tensor<2xi64>
  %shape = graph.constant dense<[2, 2]> : tensor<2xi64>
  %b = graph.expand %row, %shape : (tensor<2xi64>, tensor<2xi64>) -> tensor<2x2xi64>
  return %a, %b : tensor<3xi64>, tensor<2x2xi64>
}

// -----

// x + 0, x - 0, x * 1 and x / 1 are x.
// CHECK-LABEL: func.func @identities
// CHECK-SAME: (%[[X:.*]]: tensor<4xi64>, %[[F:.*]]: tensor<4xf32>)
// CHECK-NOT: graph.add
// CHECK-NOT: graph.sub
// CHECK-NOT: graph.mul
// CHECK-NOT: graph.div
// CHECK: return %[[X]], %[[X]], %[[F]], %[[F]], %[[F]]
func.func @identities(%x: tensor<4xi64>, %f: tensor<4xf32>)
    -> (tensor<4xi64>, tensor<4xi64>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %zero = graph.constant dense<0> : tensor<i64>
  %0 = graph.add %x, %zero : (tensor<4xi64>, tensor<i64>) -> tensor<4xi64>
  %1 = graph.sub %0, %zero : (tensor<4xi64>, tensor<i64>) -> tensor<4xi64>
  %one = graph.constant dense<1.0> : tensor<4xf32>
  %2 = graph.mul %f, %one : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = graph.div %f, %one : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %nz = graph.constant dense<-0.0> : tensor<f32>
  %4 = graph.add %f, %nz : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0, %1, %2, %3, %4 : tensor<4xi64>, tensor<4xi64>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// x + 0.0 is not x when x is -0.0.
// CHECK-LABEL: func.func @negative_add_positive_zero
// CHECK: graph.add
func.func @negative_add_positive_zero(%f: tensor<4xf32>) -> tensor<4xf32> {
  %zero = graph.constant dense<0.0> : tensor<f32>
  %0 = graph.add %f, %zero : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// x + 0 that broadcasts x to a larger shape is not x.
// CHECK-LABEL: func.func @negative_add_zero_broadcast
// CHECK: graph.add
func.func @negative_add_zero_broadcast(%x: tensor<4xi64>) -> tensor<2x4xi64> {
  %zero = graph.constant dense<0> : tensor<2x4xi64>
  %0 = graph.add %x, %zero : (tensor<4xi64>, tensor<2x4xi64>) -> tensor<2x4xi64>
  return %0 : tensor<2x4xi64>
}

// -----

// Tensors beyond the fold limit are not computed at compile time.
// CHECK-LABEL: func.func @negative_large
// CHECK: graph.add
func.func @negative_large() -> tensor<8192xi32> {
  %a = graph.constant dense<1> : tensor<8192xi32>
  %0 = graph.add %a, %a : (tensor<8192xi32>, tensor<8192xi32>) -> tensor<8192xi32>
  return %0 : tensor<8192xi32>
}

// -----

// A result type that is not static yet does not fold.
// CHECK-LABEL: func.func @negative_dynamic_result
// CHECK: graph.add
func.func @negative_dynamic_result() -> tensor<?xi64> {
  %a = graph.constant dense<[1, 2]> : tensor<2xi64>
  %0 = graph.add %a, %a : (tensor<2xi64>, tensor<2xi64>) -> tensor<?xi64>
  return %0 : tensor<?xi64>
}

// -----

// Negation of ints and floats.
// CHECK-LABEL: func.func @neg
// CHECK-DAG: graph.constant dense<[-1, 2]> : tensor<2xi32>
// CHECK-DAG: graph.constant dense<[-1.500000e+00, 0.000000e+00]> : tensor<2xf32>
func.func @neg() -> (tensor<2xi32>, tensor<2xf32>) {
  %a = graph.constant dense<[1, -2]> : tensor<2xi32>
  %0 = graph.neg %a : tensor<2xi32> -> tensor<2xi32>
  %f = graph.constant dense<[1.5, -0.0]> : tensor<2xf32>
  %1 = graph.neg %f : tensor<2xf32> -> tensor<2xf32>
  return %0, %1 : tensor<2xi32>, tensor<2xf32>
}

// -----

// Cast truncates floats toward zero, maps to i1 by != 0, and is the
// identity on its own type.
// CHECK-LABEL: func.func @cast
// CHECK-SAME: (%[[X:.*]]: tensor<2xf32>)
// CHECK-DAG: graph.constant dense<[-2, 2]> : tensor<2xi64>
// CHECK-DAG: graph.constant dense<[true, false]> : tensor<2xi1>
// CHECK-DAG: graph.constant dense<[-2.000000e+00, 3.000000e+00]> : tensor<2xf16>
// CHECK-NOT: graph.cast
// CHECK: return %{{.*}}, %{{.*}}, %{{.*}}, %[[X]]
func.func @cast(%x: tensor<2xf32>) -> (tensor<2xi64>, tensor<2xi1>, tensor<2xf16>, tensor<2xf32>) {
  %f = graph.constant dense<[-2.7, 2.7]> : tensor<2xf32>
  %0 = graph.cast %f : tensor<2xf32> -> tensor<2xi64>
  %i = graph.constant dense<[-3, 0]> : tensor<2xi32>
  %1 = graph.cast %i : tensor<2xi32> -> tensor<2xi1>
  %j = graph.constant dense<[-2, 3]> : tensor<2xi64>
  %2 = graph.cast %j : tensor<2xi64> -> tensor<2xf16>
  %3 = graph.cast %x : tensor<2xf32> -> tensor<2xf32>
  return %0, %1, %2, %3 : tensor<2xi64>, tensor<2xi1>, tensor<2xf16>, tensor<2xf32>
}

// -----

// Shape of a static tensor, with negative end, and Gather from it.
// CHECK-LABEL: func.func @shape_gather
// CHECK-DAG: %[[S:.*]] = graph.constant dense<3> : tensor<1xi64>
// CHECK-DAG: %[[G:.*]] = graph.constant dense<4> : tensor<i64>
// CHECK-NOT: graph.shape
// CHECK-NOT: graph.gather
// CHECK: return %[[S]], %[[G]]
func.func @shape_gather(%x: tensor<2x3x4xf32>) -> (tensor<1xi64>, tensor<i64>) {
  %s = graph.shape %x {start = 1, end = -1} : tensor<2x3x4xf32> -> tensor<1xi64>
  %full = graph.shape %x : tensor<2x3x4xf32> -> tensor<3xi64>
  %i = graph.constant dense<-1> : tensor<i64>
  %g = graph.gather %full[%i] : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  return %s, %g : tensor<1xi64>, tensor<i64>
}

// -----

// Gather along axis 1 of a matrix with 2-d indices.
// CHECK-LABEL: func.func @gather_axis1
// CHECK-NEXT: graph.constant dense<{{\[\[\[}}3, 1], [2, 2]], {{\[\[}}6, 4], [5, 5]]]> : tensor<2x2x2xi64>
func.func @gather_axis1() -> tensor<2x2x2xi64> {
  %m = graph.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %i = graph.constant dense<[[2, 0], [1, -2]]> : tensor<2x2xi64>
  %0 = graph.gather %m[%i] {axis = 1} : (tensor<2x3xi64>, tensor<2x2xi64>) -> tensor<2x2x2xi64>
  return %0 : tensor<2x2x2xi64>
}

// -----

// A dynamic dim keeps Shape from folding.
// CHECK-LABEL: func.func @negative_shape_dynamic
// CHECK: graph.shape
func.func @negative_shape_dynamic(%x: tensor<?x3xf32>) -> tensor<2xi64> {
  %0 = graph.shape %x : tensor<?x3xf32> -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// The static dims of a partly dynamic tensor fold.
// CHECK-LABEL: func.func @shape_static_part
// CHECK: graph.constant dense<3> : tensor<1xi64>
// CHECK-NOT: graph.shape
func.func @shape_static_part(%x: tensor<?x3xf32>) -> tensor<1xi64> {
  %0 = graph.shape %x {start = -1} : tensor<?x3xf32> -> tensor<1xi64>
  return %0 : tensor<1xi64>
}

// -----

// Identity, dropout and a reshape to the same type forward their input.
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]]
func.func @forward(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = graph.identity %x : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = graph.dropout %x : tensor<2x3xf32> -> tensor<2x3xf32>
  %s = graph.constant dense<[2, 3]> : tensor<2xi64>
  %2 = graph.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Identity that refines its type is kept: its result differs from its input.
// CHECK-LABEL: func.func @negative_identity_cast
// CHECK: graph.identity
func.func @negative_identity_cast(%x: tensor<2x3xf32>) -> tensor<?x3xf32> {
  %0 = graph.identity %x : tensor<2x3xf32> -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// Reshape, squeeze and unsqueeze of constants.
// CHECK-LABEL: func.func @reshape_constants
// CHECK-DAG: graph.constant dense<{{\[\[}}1, 2], [3, 4]]> : tensor<2x2xi64>
// CHECK-DAG: graph.constant dense<[1, 2, 3, 4]> : tensor<4xi64>
// CHECK-DAG: graph.constant dense<{{\[\[\[}}1, 2, 3, 4]]]> : tensor<1x1x4xi64>
// CHECK-NOT: graph.reshape
// CHECK-NOT: graph.squeeze
// CHECK-NOT: graph.unsqueeze
func.func @reshape_constants() -> (tensor<2x2xi64>, tensor<4xi64>, tensor<1x1x4xi64>) {
  %c = graph.constant dense<[[1, 2, 3, 4]]> : tensor<1x4xi64>
  %s = graph.constant dense<[2, 2]> : tensor<2xi64>
  %0 = graph.reshape %c, %s : (tensor<1x4xi64>, tensor<2xi64>) -> tensor<2x2xi64>
  %1 = graph.squeeze %c : tensor<1x4xi64> -> tensor<4xi64>
  %2 = graph.unsqueeze %c {axes = array<i64: 0>} : tensor<1x4xi64> -> tensor<1x1x4xi64>
  return %0, %1, %2 : tensor<2x2xi64>, tensor<4xi64>, tensor<1x1x4xi64>
}

// -----

// reshape(reshape(x)) reshapes x once.
// CHECK-LABEL: func.func @reshape_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[S:.*]] = graph.constant dense<[4, 6]>
// CHECK-NEXT: %[[R:.*]] = graph.reshape %[[X]], %[[S]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<4x6xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_reshape(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %s0 = graph.constant dense<[6, 4]> : tensor<2xi64>
  %s1 = graph.constant dense<[4, 6]> : tensor<2xi64>
  %0 = graph.reshape %x, %s0 : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %1 = graph.reshape %0, %s1 : (tensor<6x4xf32>, tensor<2xi64>) -> tensor<4x6xf32>
  return %1 : tensor<4x6xf32>
}

// -----

// A 0 in the outer shape copies a dim of the inner reshape: both stay.
// CHECK-LABEL: func.func @negative_reshape_reshape_copy
// CHECK: graph.reshape
// CHECK: graph.reshape
func.func @negative_reshape_reshape_copy(%x: tensor<2x3x4xf32>) -> tensor<6x2x2xf32> {
  %s0 = graph.constant dense<[6, 4]> : tensor<2xi64>
  %s1 = graph.constant dense<[0, 2, 2]> : tensor<3xi64>
  %0 = graph.reshape %x, %s0 : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %1 = graph.reshape %0, %s1 : (tensor<6x4xf32>, tensor<3xi64>) -> tensor<6x2x2xf32>
  return %1 : tensor<6x2x2xf32>
}

// -----

// transpose(transpose(x)) composes the permutations; an identity one folds.
// CHECK-LABEL: func.func @transpose_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[T:.*]] = graph.transpose %[[X]] {perm = array<i64: 1, 2, 0>} : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
// CHECK-NEXT: return %[[T]], %[[X]]
func.func @transpose_transpose(%x: tensor<2x3x4xf32>) -> (tensor<3x4x2xf32>, tensor<2x3x4xf32>) {
  %0 = graph.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  %1 = graph.transpose %0 {perm = array<i64: 2, 0, 1>} : tensor<4x2x3xf32> -> tensor<3x4x2xf32>
  %2 = graph.transpose %x {perm = array<i64: 1, 0, 2>} : tensor<2x3x4xf32> -> tensor<3x2x4xf32>
  %3 = graph.transpose %2 {perm = array<i64: 1, 0, 2>} : tensor<3x2x4xf32> -> tensor<2x3x4xf32>
  return %1, %3 : tensor<3x4x2xf32>, tensor<2x3x4xf32>
}

// -----

// Transpose of a constant.
// CHECK-LABEL: func.func @transpose_constant
// CHECK-NEXT: graph.constant dense<{{\[\[}}1, 4], [2, 5], [3, 6]]> : tensor<3x2xi64>
func.func @transpose_constant() -> tensor<3x2xi64> {
  %m = graph.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %0 = graph.transpose %m {perm = array<i64: 1, 0>} : tensor<2x3xi64> -> tensor<3x2xi64>
  return %0 : tensor<3x2xi64>
}

// -----

// Concat of constants along the last axis; concat of one input is it.
// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK: %[[C:.*]] = graph.constant dense<{{\[\[}}1, 5], [2, 6]]> : tensor<2x2xi64>
// CHECK-NEXT: return %[[C]], %[[X]]
func.func @concat(%x: tensor<4xf32>) -> (tensor<2x2xi64>, tensor<4xf32>) {
  %a = graph.constant dense<[[1], [2]]> : tensor<2x1xi64>
  %b = graph.constant dense<[[5], [6]]> : tensor<2x1xi64>
  %0 = graph.concat %a, %b {axis = -1} : (tensor<2x1xi64>, tensor<2x1xi64>) -> tensor<2x2xi64>
  %1 = graph.concat %x {axis = 0} : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<2x2xi64>, tensor<4xf32>
}

// -----

// Slice of a constant with a negative step and clamped bounds.
// CHECK-LABEL: func.func @slice_constant
// CHECK-NEXT: graph.constant dense<{{\[\[}}3, 1], [6, 4]]> : tensor<2x2xi64>
func.func @slice_constant() -> tensor<2x2xi64> {
  %m = graph.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %st = graph.constant dense<[-1]> : tensor<1xi64>
  %en = graph.constant dense<[-100]> : tensor<1xi64>
  %ax = graph.constant dense<[1]> : tensor<1xi64>
  %stp = graph.constant dense<[-2]> : tensor<1xi64>
  %0 = graph.slice %m[%st, %en axes %ax steps %stp] : (tensor<2x3xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x2xi64>
  return %0 : tensor<2x2xi64>
}

// -----

// A slice that keeps every dim whole is its input.
// CHECK-LABEL: func.func @slice_whole
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @slice_whole(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %st = graph.constant dense<[0]> : tensor<1xi64>
  %en = graph.constant dense<[9223372036854775807]> : tensor<1xi64>
  %0 = graph.slice %x[%st, %en] : (tensor<2x3xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Reversing a dim keeps its size, but not its contents.
// CHECK-LABEL: func.func @negative_slice_reverse
// CHECK: graph.slice
func.func @negative_slice_reverse(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %st = graph.constant dense<[-1]> : tensor<1xi64>
  %en = graph.constant dense<[-9223372036854775807]> : tensor<1xi64>
  %stp = graph.constant dense<[-1]> : tensor<1xi64>
  %ax = graph.constant dense<[1]> : tensor<1xi64>
  %0 = graph.slice %x[%st, %en axes %ax steps %stp] : (tensor<2x3xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Range of ints and floats; ConstantOfShape of a constant shape.
// CHECK-LABEL: func.func @range_fill
// CHECK-DAG: graph.constant dense<[0, 3, 6, 9]> : tensor<4xi64>
// CHECK-DAG: graph.constant dense<[5.000000e-01, 1.000000e+00, 1.500000e+00, 2.000000e+00]> : tensor<4xf32>
// CHECK-DAG: graph.constant dense<7> : tensor<2x3xi32>
// CHECK-NOT: graph.range
// CHECK-NOT: graph.constant_of_shape
func.func @range_fill() -> (tensor<4xi64>, tensor<4xf32>, tensor<2x3xi32>) {
  %s = graph.constant dense<0> : tensor<i64>
  %l = graph.constant dense<10> : tensor<i64>
  %d = graph.constant dense<3> : tensor<i64>
  %0 = graph.range %s, %l, %d : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<4xi64>
  %fs = graph.constant dense<0.5> : tensor<f32>
  %fl = graph.constant dense<2.5> : tensor<f32>
  %1 = graph.range %fs, %fl, %fs : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  %shape = graph.constant dense<[2, 3]> : tensor<2xi64>
  %2 = graph.constant_of_shape %shape, dense<7> : tensor<1xi32> : (tensor<2xi64>) -> tensor<2x3xi32>
  return %0, %1, %2 : tensor<4xi64>, tensor<4xf32>, tensor<2x3xi32>
}

// -----

// A fill whose result type is not static yet stays.
// CHECK-LABEL: func.func @negative_fill_dynamic
// CHECK: graph.constant_of_shape
func.func @negative_fill_dynamic(%shape: tensor<2xi64>) -> tensor<?x?xi32> {
  %0 = graph.constant_of_shape %shape, dense<7> : tensor<1xi32> : (tensor<2xi64>) -> tensor<?x?xi32>
  return %0 : tensor<?x?xi32>
}

// -----

// Size of a static shape: the product (and sum) of an integer constant
// reduced to one element; keepdims leaves a 1-element result too.
// CHECK-LABEL: func.func @reduce_int_constants
// CHECK-DAG: %[[P:.*]] = graph.constant dense<120> : tensor<i64>
// CHECK-DAG: %[[S:.*]] = graph.constant dense<14> : tensor<1x1xi32>
// CHECK: return %[[P]], %[[S]]
func.func @reduce_int_constants() -> (tensor<i64>, tensor<1x1xi32>) {
  %shape = graph.constant dense<[2, 3, 4, 5]> : tensor<4xi64>
  %p = graph.reduce_prod %shape {keepdims = false} : tensor<4xi64> -> tensor<i64>
  %m = graph.constant dense<[[2, 3, 4, 5]]> : tensor<1x4xi32>
  %s = graph.reduce_sum %m {axes = array<i64: 1>} : tensor<1x4xi32> -> tensor<1x1xi32>
  return %p, %s : tensor<i64>, tensor<1x1xi32>
}

// -----

// A reduction that keeps more than one element, and one of floats, stay.
// CHECK-LABEL: func.func @negative_reduce_constants
// CHECK: graph.reduce_prod
// CHECK: graph.reduce_sum
func.func @negative_reduce_constants() -> (tensor<2xi64>, tensor<f32>) {
  %m = graph.constant dense<[[2, 3], [4, 5]]> : tensor<2x2xi64>
  %p = graph.reduce_prod %m {axes = array<i64: 0>, keepdims = false} : tensor<2x2xi64> -> tensor<2xi64>
  %f = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %s = graph.reduce_sum %f {keepdims = false} : tensor<2xf32> -> tensor<f32>
  return %p, %s : tensor<2xi64>, tensor<f32>
}
