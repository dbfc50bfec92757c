// RUN: kiln-opt %s --split-input-file --kiln-fuse-attention | FileCheck %s

// BERT's form: q and kᵀ each scaled by 1/sqrt(sqrt(D)), kᵀ the reshape /
// transpose / reshape of k, an additive mask broadcast over the heads.
// CHECK-LABEL: func.func @bert
// CHECK-SAME: (%[[Q:.*]]: tensor<1x12x128x64xf32>, %[[K:.*]]: tensor<1x12x128x64xf32>, %[[V:.*]]: tensor<1x12x128x64xf32>, %[[M:.*]]: tensor<1x1x128x128xf32>)
// CHECK: %[[Y:.*]] = graph.attention %[[Q]], %[[K]], %[[V]], %[[M]] {scale = 0.124999993 : f32}
// CHECK-NOT: graph.softmax
// CHECK-NOT: graph.matmul
// CHECK: return %[[Y]]
func.func @bert(%q: tensor<1x12x128x64xf32>, %k: tensor<1x12x128x64xf32>, %v: tensor<1x12x128x64xf32>, %mask: tensor<1x1x128x128xf32>) -> tensor<1x12x128x64xf32> {
  %c = graph.constant dense<0.353553385> : tensor<1xf32>
  %s3 = graph.constant dense<[-1, 128, 64]> : tensor<3xi64>
  %s4 = graph.constant dense<[1, 12, 64, 128]> : tensor<4xi64>
  %k3 = graph.reshape %k, %s3 : (tensor<1x12x128x64xf32>, tensor<3xi64>) -> tensor<12x128x64xf32>
  %kt3 = graph.transpose %k3 {perm = array<i64: 0, 2, 1>} : tensor<12x128x64xf32> -> tensor<12x64x128xf32>
  %kt = graph.reshape %kt3, %s4 : (tensor<12x64x128xf32>, tensor<4xi64>) -> tensor<1x12x64x128xf32>
  %qs = graph.mul %q, %c : (tensor<1x12x128x64xf32>, tensor<1xf32>) -> tensor<1x12x128x64xf32>
  %kts = graph.mul %kt, %c : (tensor<1x12x64x128xf32>, tensor<1xf32>) -> tensor<1x12x64x128xf32>
  %s = graph.matmul %qs, %kts : (tensor<1x12x128x64xf32>, tensor<1x12x64x128xf32>) -> tensor<1x12x128x128xf32>
  %sm = graph.add %s, %mask : (tensor<1x12x128x128xf32>, tensor<1x1x128x128xf32>) -> tensor<1x12x128x128xf32>
  %p = graph.softmax %sm : tensor<1x12x128x128xf32> -> tensor<1x12x128x128xf32>
  %y = graph.matmul %p, %v : (tensor<1x12x128x128xf32>, tensor<1x12x128x64xf32>) -> tensor<1x12x128x64xf32>
  return %y : tensor<1x12x128x64xf32>
}

// -----

// GPT-2's form: the mask on the left of the add, the softmax guarded by
// where(is_nan(p), 0, p), kᵀ a transpose of the last two dims.
// CHECK-LABEL: func.func @guarded
// CHECK-SAME: (%[[Q:.*]]: tensor<2x4x16x8xf32>, %[[K:.*]]: tensor<2x4x16x8xf32>, %[[V:.*]]: tensor<2x4x16x8xf32>, %[[M:.*]]: tensor<16x16xf32>)
// CHECK: %[[Y:.*]] = graph.attention %[[Q]], %[[K]], %[[V]], %[[M]] {scale = 1.000000e+00 : f32}
// CHECK-NOT: graph.is_nan
// CHECK: return %[[Y]]
func.func @guarded(%q: tensor<2x4x16x8xf32>, %k: tensor<2x4x16x8xf32>, %v: tensor<2x4x16x8xf32>, %mask: tensor<16x16xf32>) -> tensor<2x4x16x8xf32> {
  %zero = graph.constant dense<0.0> : tensor<f32>
  %kt = graph.transpose %k {perm = array<i64: 0, 1, 3, 2>} : tensor<2x4x16x8xf32> -> tensor<2x4x8x16xf32>
  %s = graph.matmul %q, %kt : (tensor<2x4x16x8xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x16x16xf32>
  %sm = graph.add %mask, %s : (tensor<16x16xf32>, tensor<2x4x16x16xf32>) -> tensor<2x4x16x16xf32>
  %p = graph.softmax %sm {axis = 3 : i64} : tensor<2x4x16x16xf32> -> tensor<2x4x16x16xf32>
  %nan = graph.is_nan %p : tensor<2x4x16x16xf32> -> tensor<2x4x16x16xi1>
  %g = graph.where %nan, %zero, %p : (tensor<2x4x16x16xi1>, tensor<f32>, tensor<2x4x16x16xf32>) -> tensor<2x4x16x16xf32>
  %y = graph.matmul %g, %v : (tensor<2x4x16x16xf32>, tensor<2x4x16x8xf32>) -> tensor<2x4x16x8xf32>
  return %y : tensor<2x4x16x8xf32>
}

// -----

// ONNX Attention as the importer writes it: the scale of k inside its
// transpose.
// CHECK-LABEL: func.func @scale_inside_transpose
// CHECK-SAME: (%[[Q:.*]]: tensor<1x2x16x8xf32>, %[[K:.*]]: tensor<1x2x16x8xf32>, %[[V:.*]]: tensor<1x2x16x8xf32>)
// CHECK: %[[Y:.*]] = graph.attention %[[Q]], %[[K]], %[[V]] {scale = 2.500000e-01 : f32}
// CHECK-NOT: graph.transpose
func.func @scale_inside_transpose(%q: tensor<1x2x16x8xf32>, %k: tensor<1x2x16x8xf32>, %v: tensor<1x2x16x8xf32>) -> tensor<1x2x16x8xf32> {
  %c = graph.constant dense<0.5> : tensor<f32>
  %qs = graph.mul %q, %c : (tensor<1x2x16x8xf32>, tensor<f32>) -> tensor<1x2x16x8xf32>
  %ks = graph.mul %k, %c : (tensor<1x2x16x8xf32>, tensor<f32>) -> tensor<1x2x16x8xf32>
  %kt = graph.transpose %ks {perm = array<i64: 0, 1, 3, 2>} : tensor<1x2x16x8xf32> -> tensor<1x2x8x16xf32>
  %s = graph.matmul %qs, %kt : (tensor<1x2x16x8xf32>, tensor<1x2x8x16xf32>) -> tensor<1x2x16x16xf32>
  %p = graph.softmax %s {axis = -1 : i64} : tensor<1x2x16x16xf32> -> tensor<1x2x16x16xf32>
  %y = graph.matmul %p, %v : (tensor<1x2x16x16xf32>, tensor<1x2x16x8xf32>) -> tensor<1x2x16x8xf32>
  return %y : tensor<1x2x16x8xf32>
}

// -----

// ONNX Attention with an attn_mask as the importer writes it: the rows the
// mask hides entirely are zeroed by where(reduce_max(mask) == -inf, 0, p).
// CHECK-LABEL: func.func @onnx_masked_rows
// CHECK-SAME: (%[[Q:.*]]: tensor<1x2x16x8xf32>, %[[K:.*]]: tensor<1x2x16x8xf32>, %[[V:.*]]: tensor<1x2x16x8xf32>, %[[M:.*]]: tensor<16x16xf32>)
// CHECK: %[[Y:.*]] = graph.attention %[[Q]], %[[K]], %[[V]], %[[M]] {scale = 1.000000e+00 : f32}
// CHECK-NOT: graph.reduce_max
// CHECK: return %[[Y]]
func.func @onnx_masked_rows(%q: tensor<1x2x16x8xf32>, %k: tensor<1x2x16x8xf32>, %v: tensor<1x2x16x8xf32>, %mask: tensor<16x16xf32>) -> tensor<1x2x16x8xf32> {
  %zero = graph.constant dense<0.0> : tensor<f32>
  %ninf = graph.constant dense<0xFF800000> : tensor<f32>
  %kt = graph.transpose %k {perm = array<i64: 0, 1, 3, 2>} : tensor<1x2x16x8xf32> -> tensor<1x2x8x16xf32>
  %s = graph.matmul %q, %kt : (tensor<1x2x16x8xf32>, tensor<1x2x8x16xf32>) -> tensor<1x2x16x16xf32>
  %sm = graph.add %s, %mask : (tensor<1x2x16x16xf32>, tensor<16x16xf32>) -> tensor<1x2x16x16xf32>
  %p = graph.softmax %sm {axis = -1 : i64} : tensor<1x2x16x16xf32> -> tensor<1x2x16x16xf32>
  %max = graph.reduce_max %mask {axes = array<i64: -1>, keepdims = true} : tensor<16x16xf32> -> tensor<16x1xf32>
  %hidden = graph.equal %max, %ninf : (tensor<16x1xf32>, tensor<f32>) -> tensor<16x1xi1>
  %g = graph.where %hidden, %zero, %p : (tensor<16x1xi1>, tensor<f32>, tensor<1x2x16x16xf32>) -> tensor<1x2x16x16xf32>
  %y = graph.matmul %g, %v : (tensor<1x2x16x16xf32>, tensor<1x2x16x8xf32>) -> tensor<1x2x16x8xf32>
  return %y : tensor<1x2x16x8xf32>
}

// -----

// The guard zeroes the rows of another tensor than the mask.
// CHECK-LABEL: func.func @negative_guard_other_mask
// CHECK-NOT: graph.attention
func.func @negative_guard_other_mask(%q: tensor<1x2x16x8xf32>, %k: tensor<1x2x16x8xf32>, %v: tensor<1x2x16x8xf32>, %mask: tensor<16x16xf32>, %other: tensor<16x16xf32>) -> tensor<1x2x16x8xf32> {
  %zero = graph.constant dense<0.0> : tensor<f32>
  %ninf = graph.constant dense<0xFF800000> : tensor<f32>
  %kt = graph.transpose %k {perm = array<i64: 0, 1, 3, 2>} : tensor<1x2x16x8xf32> -> tensor<1x2x8x16xf32>
  %s = graph.matmul %q, %kt : (tensor<1x2x16x8xf32>, tensor<1x2x8x16xf32>) -> tensor<1x2x16x16xf32>
  %sm = graph.add %s, %mask : (tensor<1x2x16x16xf32>, tensor<16x16xf32>) -> tensor<1x2x16x16xf32>
  %p = graph.softmax %sm {axis = -1 : i64} : tensor<1x2x16x16xf32> -> tensor<1x2x16x16xf32>
  %max = graph.reduce_max %other {axes = array<i64: -1>, keepdims = true} : tensor<16x16xf32> -> tensor<16x1xf32>
  %hidden = graph.equal %max, %ninf : (tensor<16x1xf32>, tensor<f32>) -> tensor<16x1xi1>
  %g = graph.where %hidden, %zero, %p : (tensor<16x1xi1>, tensor<f32>, tensor<1x2x16x16xf32>) -> tensor<1x2x16x16xf32>
  %y = graph.matmul %g, %v : (tensor<1x2x16x16xf32>, tensor<1x2x16x8xf32>) -> tensor<1x2x16x8xf32>
  return %y : tensor<1x2x16x8xf32>
}

// -----

// The scale divides the scores, no mask, D_v != D, and kᵀ a tensor of its
// own: the pattern transposes it.
// CHECK-LABEL: func.func @divided_scores
// CHECK-SAME: (%[[Q:.*]]: tensor<3x10x8xf32>, %[[KT:.*]]: tensor<3x8x20xf32>, %[[V:.*]]: tensor<3x20x5xf32>)
// CHECK: %[[K:.*]] = graph.transpose %[[KT]] {perm = array<i64: 0, 2, 1>} : tensor<3x8x20xf32> -> tensor<3x20x8xf32>
// CHECK: %[[Y:.*]] = graph.attention %[[Q]], %[[K]], %[[V]] {scale = 2.500000e-01 : f32} : (tensor<3x10x8xf32>, tensor<3x20x8xf32>, tensor<3x20x5xf32>) -> tensor<3x10x5xf32>
func.func @divided_scores(%q: tensor<3x10x8xf32>, %kt: tensor<3x8x20xf32>, %v: tensor<3x20x5xf32>) -> tensor<3x10x5xf32> {
  %c = graph.constant dense<4.0> : tensor<f32>
  %s = graph.matmul %q, %kt : (tensor<3x10x8xf32>, tensor<3x8x20xf32>) -> tensor<3x10x20xf32>
  %ss = graph.div %s, %c : (tensor<3x10x20xf32>, tensor<f32>) -> tensor<3x10x20xf32>
  %p = graph.softmax %ss : tensor<3x10x20xf32> -> tensor<3x10x20xf32>
  %y = graph.matmul %p, %v : (tensor<3x10x20xf32>, tensor<3x20x5xf32>) -> tensor<3x10x5xf32>
  return %y : tensor<3x10x5xf32>
}

// -----

// Dynamic dims: kᵀ's reshapes take their sizes from graph.shape of k, and
// are recognized from the shape tensors.
// CHECK-LABEL: func.func @dynamic
// CHECK-SAME: (%[[Q:.*]]: tensor<?x12x?x64xf32>, %[[K:.*]]: tensor<?x12x?x64xf32>, %[[V:.*]]: tensor<?x12x?x64xf32>)
// CHECK: graph.attention %[[Q]], %[[K]], %[[V]] {scale = 1.250000e-01 : f32}
func.func @dynamic(%q: tensor<?x12x?x64xf32>, %k: tensor<?x12x?x64xf32>, %v: tensor<?x12x?x64xf32>) -> tensor<?x12x?x64xf32> {
  %c = graph.constant dense<0.125> : tensor<f32>
  %m1 = graph.constant dense<-1> : tensor<1xi64>
  %m2 = graph.constant dense<-2> : tensor<1xi64>
  %max = graph.constant dense<9223372036854775807> : tensor<1xi64>
  %min = graph.constant dense<-9223372036854775808> : tensor<1xi64>
  %shape = graph.shape %k : tensor<?x12x?x64xf32> -> tensor<4xi64>
  %d = graph.slice %shape[%m1, %max] : (tensor<4xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %sk = graph.slice %shape[%m2, %m1] : (tensor<4xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %bh = graph.slice %shape[%min, %m2] : (tensor<4xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %inner = graph.concat %m1, %sk, %d {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<3xi64>
  %k3 = graph.reshape %k, %inner : (tensor<?x12x?x64xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %kt3 = graph.transpose %k3 {perm = array<i64: 0, 2, 1>} : tensor<?x?x?xf32> -> tensor<?x?x?xf32>
  %outer = graph.concat %bh, %d, %sk {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4xi64>
  %kt = graph.reshape %kt3, %outer : (tensor<?x?x?xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  %s = graph.matmul %q, %kt : (tensor<?x12x?x64xf32>, tensor<?x?x?x?xf32>) -> tensor<?x12x?x?xf32>
  %ss = graph.mul %c, %s : (tensor<f32>, tensor<?x12x?x?xf32>) -> tensor<?x12x?x?xf32>
  %p = graph.softmax %ss : tensor<?x12x?x?xf32> -> tensor<?x12x?x?xf32>
  %y = graph.matmul %p, %v : (tensor<?x12x?x?xf32>, tensor<?x12x?x64xf32>) -> tensor<?x12x?x64xf32>
  return %y : tensor<?x12x?x64xf32>
}

// -----

// The softmax runs over the queries, not the keys.
// CHECK-LABEL: func.func @negative_softmax_axis
// CHECK-NOT: graph.attention
// CHECK: graph.softmax
func.func @negative_softmax_axis(%q: tensor<4x16x8xf32>, %kt: tensor<4x8x16xf32>, %v: tensor<4x16x8xf32>) -> tensor<4x16x8xf32> {
  %s = graph.matmul %q, %kt : (tensor<4x16x8xf32>, tensor<4x8x16xf32>) -> tensor<4x16x16xf32>
  %p = graph.softmax %s {axis = 1 : i64} : tensor<4x16x16xf32> -> tensor<4x16x16xf32>
  %y = graph.matmul %p, %v : (tensor<4x16x16xf32>, tensor<4x16x8xf32>) -> tensor<4x16x8xf32>
  return %y : tensor<4x16x8xf32>
}

// -----

// The scale is an input, not a constant: it is left as a mul, so the
// scores are no plain q kᵀ.
// CHECK-LABEL: func.func @negative_scale_not_constant
// CHECK-NOT: graph.attention
// CHECK: graph.softmax
func.func @negative_scale_not_constant(%q: tensor<4x16x8xf32>, %kt: tensor<4x8x16xf32>, %v: tensor<4x16x8xf32>, %c: tensor<f32>) -> tensor<4x16x8xf32> {
  %s = graph.matmul %q, %kt : (tensor<4x16x8xf32>, tensor<4x8x16xf32>) -> tensor<4x16x16xf32>
  %ss = graph.mul %s, %c : (tensor<4x16x16xf32>, tensor<f32>) -> tensor<4x16x16xf32>
  %p = graph.softmax %ss : tensor<4x16x16xf32> -> tensor<4x16x16xf32>
  %y = graph.matmul %p, %v : (tensor<4x16x16xf32>, tensor<4x16x8xf32>) -> tensor<4x16x8xf32>
  return %y : tensor<4x16x8xf32>
}

// -----

// The scores are returned too: they must be stored, so nothing is fused.
// CHECK-LABEL: func.func @negative_scores_other_user
// CHECK-NOT: graph.attention
// CHECK: graph.softmax
func.func @negative_scores_other_user(%q: tensor<4x16x8xf32>, %kt: tensor<4x8x16xf32>, %v: tensor<4x16x8xf32>) -> (tensor<4x16x8xf32>, tensor<4x16x16xf32>) {
  %s = graph.matmul %q, %kt : (tensor<4x16x8xf32>, tensor<4x8x16xf32>) -> tensor<4x16x16xf32>
  %p = graph.softmax %s : tensor<4x16x16xf32> -> tensor<4x16x16xf32>
  %y = graph.matmul %p, %v : (tensor<4x16x16xf32>, tensor<4x16x8xf32>) -> tensor<4x16x8xf32>
  return %y, %s : tensor<4x16x8xf32>, tensor<4x16x16xf32>
}

// -----

// The probabilities are returned too.
// CHECK-LABEL: func.func @negative_probabilities_other_user
// CHECK-NOT: graph.attention
func.func @negative_probabilities_other_user(%q: tensor<4x16x8xf32>, %kt: tensor<4x8x16xf32>, %v: tensor<4x16x8xf32>) -> (tensor<4x16x8xf32>, tensor<4x16x16xf32>) {
  %s = graph.matmul %q, %kt : (tensor<4x16x8xf32>, tensor<4x8x16xf32>) -> tensor<4x16x16xf32>
  %p = graph.softmax %s : tensor<4x16x16xf32> -> tensor<4x16x16xf32>
  %y = graph.matmul %p, %v : (tensor<4x16x16xf32>, tensor<4x16x8xf32>) -> tensor<4x16x8xf32>
  return %y, %p : tensor<4x16x8xf32>, tensor<4x16x16xf32>
}

// -----

// The scale follows the mask, so it would scale the mask too.
// CHECK-LABEL: func.func @negative_scale_after_mask
// CHECK-NOT: graph.attention
func.func @negative_scale_after_mask(%q: tensor<4x16x8xf32>, %kt: tensor<4x8x16xf32>, %v: tensor<4x16x8xf32>, %mask: tensor<16x16xf32>) -> tensor<4x16x8xf32> {
  %c = graph.constant dense<0.5> : tensor<f32>
  %s = graph.matmul %q, %kt : (tensor<4x16x8xf32>, tensor<4x8x16xf32>) -> tensor<4x16x16xf32>
  %sm = graph.add %s, %mask : (tensor<4x16x16xf32>, tensor<16x16xf32>) -> tensor<4x16x16xf32>
  %ss = graph.mul %sm, %c : (tensor<4x16x16xf32>, tensor<f32>) -> tensor<4x16x16xf32>
  %p = graph.softmax %ss : tensor<4x16x16xf32> -> tensor<4x16x16xf32>
  %y = graph.matmul %p, %v : (tensor<4x16x16xf32>, tensor<4x16x8xf32>) -> tensor<4x16x8xf32>
  return %y : tensor<4x16x8xf32>
}

// -----

// q's batch dims broadcast against kᵀ's: the kernel takes one set.
// CHECK-LABEL: func.func @negative_broadcast_batch
// CHECK-NOT: graph.attention
func.func @negative_broadcast_batch(%q: tensor<4x16x8xf32>, %kt: tensor<1x8x16xf32>, %v: tensor<4x16x8xf32>) -> tensor<4x16x8xf32> {
  %s = graph.matmul %q, %kt : (tensor<4x16x8xf32>, tensor<1x8x16xf32>) -> tensor<4x16x16xf32>
  %p = graph.softmax %s : tensor<4x16x16xf32> -> tensor<4x16x16xf32>
  %y = graph.matmul %p, %v : (tensor<4x16x16xf32>, tensor<4x16x8xf32>) -> tensor<4x16x8xf32>
  return %y : tensor<4x16x8xf32>
}

// -----

// f16 attention is left to the unfused ops (the kernel is f32).
// CHECK-LABEL: func.func @negative_f16
// CHECK-NOT: graph.attention
func.func @negative_f16(%q: tensor<4x16x8xf16>, %kt: tensor<4x8x16xf16>, %v: tensor<4x16x8xf16>) -> tensor<4x16x8xf16> {
  %s = graph.matmul %q, %kt : (tensor<4x16x8xf16>, tensor<4x8x16xf16>) -> tensor<4x16x16xf16>
  %p = graph.softmax %s : tensor<4x16x16xf16> -> tensor<4x16x16xf16>
  %y = graph.matmul %p, %v : (tensor<4x16x16xf16>, tensor<4x16x8xf16>) -> tensor<4x16x8xf16>
  return %y : tensor<4x16x8xf16>
}
