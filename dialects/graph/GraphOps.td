//===- GraphOps.td - Kiln graph dialect ops ------------------*- tablegen -*-===//
//
// Ops with ONNX meaning over ranked tensors. Each op infers its result shape
// (InferShapedTypeOpInterface through an adaptor), verifies its operands, and
// folds where folding is real. Attributes use the newest ONNX spelling; the
// importer normalizes older opsets onto it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_GRAPH_OPS
#define KILN_GRAPH_OPS

include "dialects/graph/GraphDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Op classes
//===----------------------------------------------------------------------===//

// The declared result types agree with the inferred ones: same number of
// results, rank and element type, and equal sizes where both are static (a
// declared type may be more refined than the inferred one, never
// conflicting). Inference itself checks the operands and attributes, so this
// trait is the verifier of every shaped op.
def Graph_ResultsMatchInference : NativeOpTrait<"ResultsMatchInference"> {
  let cppNamespace = "::kiln::graph";
}

// Every graph op infers its result shapes from its operands and attributes,
// and is verified against that inference.
class Graph_ShapedOp<string mnemonic, list<Trait> traits = []> :
    Graph_Op<mnemonic, !listconcat(traits, [Pure, InferShapedTypeOpAdaptor,
                                            Graph_ResultsMatchInference])>;

// The signature of inferReturnTypeComponents for extraClassDefinition.
defvar Graph_InferSignature = [{
  ::llvm::LogicalResult $cppClass::inferReturnTypeComponents(
      ::mlir::MLIRContext *, std::optional<::mlir::Location> location,
      Adaptor adaptor,
      ::llvm::SmallVectorImpl<::mlir::ShapedTypeComponents> &inferred)
}];

// y = f(x), elementwise; the result has the operand's shape.
class Graph_UnaryOp<string mnemonic, list<Trait> traits = []> :
    Graph_ShapedOp<mnemonic, traits> {
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output)
  }];
  let extraClassDefinition = Graph_InferSignature # [{ {
    return ::kiln::graph::inferSameShape(location, adaptor.getInput(), inferred);
  }
  }];
}

// Unary float op with one optional parameter `alpha` (and `beta`).
class Graph_UnaryAlphaOp<string mnemonic, string alphaDefault,
                         list<Trait> traits = []> :
    Graph_UnaryOp<mnemonic, traits> {
  let arguments = (ins AnyRankedTensor:$input,
                   DefaultValuedAttr<F32Attr, alphaDefault>:$alpha);
}

// z = f(x, y) with numpy broadcasting of x and y.
class Graph_BinaryOp<string mnemonic, list<Trait> traits = []> :
    Graph_ShapedOp<mnemonic, traits> {
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDefinition = Graph_InferSignature # [{ {
    return ::kiln::graph::inferBroadcastShape(location, adaptor.getLhs(),
                                              adaptor.getRhs(), {}, inferred);
  }
  }];
}

// Broadcasting comparison; the result element type is i1.
class Graph_CompareOp<string mnemonic, list<Trait> traits = []> :
    Graph_BinaryOp<mnemonic, traits> {
  let results = (outs RankedTensorOf<[I1]>:$output);
  let extraClassDefinition = Graph_InferSignature # [{ {
    return ::kiln::graph::inferBroadcastShape(
        location, adaptor.getLhs(), adaptor.getRhs(),
        ::mlir::IntegerType::get(adaptor.getLhs().getContext(), 1), inferred);
  }
  }];
}

// Reduction over `axes` (all axes when absent, unless noop_with_empty_axes).
class Graph_ReduceOp<string mnemonic, list<Trait> traits = []> :
    Graph_ShapedOp<mnemonic, traits> {
  let arguments = (ins AnyRankedTensor:$input,
                   OptionalAttr<DenseI64ArrayAttr>:$axes,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                   DefaultValuedAttr<BoolAttr, "false">:$noop_with_empty_axes);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output)
  }];
  let extraClassDefinition = Graph_InferSignature # [{ {
    return ::kiln::graph::inferReductionShape(
        location, adaptor.getInput(), adaptor.getAxes(), adaptor.getKeepdims(),
        adaptor.getNoopWithEmptyAxes(), inferred);
  }
  }];
}

//===----------------------------------------------------------------------===//
// Elementwise math
//===----------------------------------------------------------------------===//

def Graph_AddOp : Graph_BinaryOp<"add", [Commutative]> {
  let summary = "elementwise addition with broadcasting";
  let description = [{
    ```mlir
    %z = graph.add %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let hasFolder = 1;
}
def Graph_SubOp : Graph_BinaryOp<"sub"> {
  let summary = "elementwise subtraction with broadcasting";
  let hasFolder = 1;
}
def Graph_MulOp : Graph_BinaryOp<"mul", [Commutative]> {
  let summary = "elementwise multiplication with broadcasting";
  let hasFolder = 1;
}
def Graph_DivOp : Graph_BinaryOp<"div"> {
  let summary = "elementwise division with broadcasting";
  let description = [{
    Integer division truncates toward zero, as ONNX specifies.
  }];
  let hasFolder = 1;
}
def Graph_PowOp : Graph_BinaryOp<"pow"> {
  // Inference is written in GraphShapes.cpp.
  let extraClassDefinition = "";
  let summary = "elementwise power with broadcasting";
  let description = [{
    The exponent may have another element type than the base; the result has
    the base's element type.
  }];
}
def Graph_MaxOp : Graph_BinaryOp<"max", [Commutative]> {
  let summary = "elementwise maximum of two tensors with broadcasting";
  let hasFolder = 1;
}
def Graph_MinOp : Graph_BinaryOp<"min", [Commutative]> {
  let summary = "elementwise minimum of two tensors with broadcasting";
  let hasFolder = 1;
}
def Graph_ModOp : Graph_BinaryOp<"mod"> {
  let summary = "elementwise remainder with broadcasting";
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs,
                   DefaultValuedAttr<BoolAttr, "false">:$fmod);
  let hasFolder = 1;
}
def Graph_AndOp : Graph_BinaryOp<"and", [Commutative]> {
  let summary = "elementwise and with broadcasting: logical on i1, bitwise on integers";
  let arguments = (ins RankedTensorOf<[AnyInteger]>:$lhs,
                   RankedTensorOf<[AnyInteger]>:$rhs);
  let results = (outs RankedTensorOf<[AnyInteger]>:$output);
  let hasFolder = 1;
}
def Graph_OrOp : Graph_BinaryOp<"or", [Commutative]> {
  let summary = "elementwise or with broadcasting: logical on i1, bitwise on integers";
  let arguments = (ins RankedTensorOf<[AnyInteger]>:$lhs,
                   RankedTensorOf<[AnyInteger]>:$rhs);
  let results = (outs RankedTensorOf<[AnyInteger]>:$output);
  let hasFolder = 1;
}
def Graph_XorOp : Graph_BinaryOp<"xor", [Commutative]> {
  let summary = "elementwise xor with broadcasting: logical on i1, bitwise on integers";
  let arguments = (ins RankedTensorOf<[AnyInteger]>:$lhs,
                   RankedTensorOf<[AnyInteger]>:$rhs);
  let results = (outs RankedTensorOf<[AnyInteger]>:$output);
  let hasFolder = 1;
}
def Graph_EqualOp : Graph_CompareOp<"equal", [Commutative]> {
  let summary = "elementwise x == y with broadcasting";
  let hasFolder = 1;
}
def Graph_LessOp : Graph_CompareOp<"less"> {
  let summary = "elementwise x < y with broadcasting";
  let hasFolder = 1;
}
def Graph_LessOrEqualOp : Graph_CompareOp<"less_or_equal"> {
  let summary = "elementwise x <= y with broadcasting";
}
def Graph_GreaterOp : Graph_CompareOp<"greater"> {
  let summary = "elementwise x > y with broadcasting";
  let hasFolder = 1;
}
def Graph_GreaterOrEqualOp : Graph_CompareOp<"greater_or_equal"> {
  let summary = "elementwise x >= y with broadcasting";
}

def Graph_SqrtOp : Graph_UnaryOp<"sqrt"> { let summary = "elementwise square root"; }
def Graph_ExpOp : Graph_UnaryOp<"exp"> { let summary = "elementwise e^x"; }
def Graph_LogOp : Graph_UnaryOp<"log"> { let summary = "elementwise natural logarithm"; }
def Graph_TanhOp : Graph_UnaryOp<"tanh"> { let summary = "elementwise tanh"; }
def Graph_ErfOp : Graph_UnaryOp<"erf"> { let summary = "elementwise error function"; }
def Graph_NegOp : Graph_UnaryOp<"neg"> {
  let summary = "elementwise negation";
  let hasFolder = 1;
}
def Graph_AbsOp : Graph_UnaryOp<"abs"> { let summary = "elementwise absolute value"; }
def Graph_ReciprocalOp : Graph_UnaryOp<"reciprocal"> { let summary = "elementwise 1 / x"; }
def Graph_FloorOp : Graph_UnaryOp<"floor"> { let summary = "elementwise floor"; }
def Graph_CeilOp : Graph_UnaryOp<"ceil"> { let summary = "elementwise ceiling"; }
def Graph_RoundOp : Graph_UnaryOp<"round"> { let summary = "elementwise round half to even"; }
def Graph_SignOp : Graph_UnaryOp<"sign"> { let summary = "elementwise sign"; }
def Graph_SinOp : Graph_UnaryOp<"sin"> { let summary = "elementwise sine"; }
def Graph_CosOp : Graph_UnaryOp<"cos"> { let summary = "elementwise cosine"; }
def Graph_NotOp : Graph_UnaryOp<"not"> {
  let summary = "elementwise not: logical on i1, bitwise on integers";
  let arguments = (ins RankedTensorOf<[AnyInteger]>:$input);
  let results = (outs RankedTensorOf<[AnyInteger]>:$output);
  let hasFolder = 1;
}
def Graph_ReluOp : Graph_UnaryOp<"relu"> { let summary = "elementwise max(x, 0)"; }
def Graph_SigmoidOp : Graph_UnaryOp<"sigmoid"> { let summary = "elementwise 1 / (1 + e^-x)"; }
def Graph_SoftplusOp : Graph_UnaryOp<"softplus"> { let summary = "elementwise log(1 + e^x)"; }
def Graph_SoftsignOp : Graph_UnaryOp<"softsign"> { let summary = "elementwise x / (1 + |x|)"; }
def Graph_HardSwishOp : Graph_UnaryOp<"hard_swish"> {
  let summary = "elementwise x * max(0, min(1, x / 6 + 1 / 2))";
}
def Graph_LeakyReluOp : Graph_UnaryAlphaOp<"leaky_relu", "0.01"> {
  let summary = "elementwise x < 0 ? alpha * x : x";
}
def Graph_EluOp : Graph_UnaryAlphaOp<"elu", "1.0"> {
  let summary = "elementwise x < 0 ? alpha * (e^x - 1) : x";
}
def Graph_HardSigmoidOp : Graph_UnaryOp<"hard_sigmoid"> {
  let summary = "elementwise max(0, min(1, alpha * x + beta))";
  let arguments = (ins AnyRankedTensor:$input,
                   DefaultValuedAttr<F32Attr, "0.2">:$alpha,
                   DefaultValuedAttr<F32Attr, "0.5">:$beta);
}
def Graph_SeluOp : Graph_UnaryOp<"selu"> {
  let summary = "elementwise gamma * (x > 0 ? x : alpha * (e^x - 1))";
  let arguments = (ins AnyRankedTensor:$input,
                   DefaultValuedAttr<F32Attr, "1.67326319217681884765625">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.05070102214813232421875">:$gamma);
}
def Graph_GeluOp : Graph_UnaryOp<"gelu"> {
  let summary = "elementwise Gaussian error linear unit";
  let description = [{
    `approximate` is "none" (0.5 x (1 + erf(x / sqrt 2))) or "tanh".
  }];
  let arguments = (ins AnyRankedTensor:$input,
                   DefaultValuedAttr<StrAttr, "\"none\"">:$approximate);
}

def Graph_ClipOp : Graph_ShapedOp<"clip", [AttrSizedOperandSegments]> {
  let summary = "elementwise min(max(x, min), max)";
  let description = [{
    `min` and `max` are optional scalar tensors (rank 0 or one element).

    ```mlir
    %y = graph.clip %x min(%lo : tensor<f32>) : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                   Optional<AnyRankedTensor>:$min,
                   Optional<AnyRankedTensor>:$max);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input (`min` `(` $min^ `:` type($min) `)`)? (`max` `(` $max^ `:` type($max) `)`)?
    attr-dict `:` `(` type($input) `)` `->` type($output)
  }];
}

def Graph_WhereOp : Graph_ShapedOp<"where"> {
  let summary = "elementwise condition ? x : y with broadcasting of all three";
  let arguments = (ins RankedTensorOf<[I1]>:$condition, AnyRankedTensor:$x,
                   AnyRankedTensor:$y);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $condition `,` $x `,` $y attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Graph_CastOp : Graph_UnaryOp<"cast"> {
  // Inference is written in GraphShapes.cpp.
  let extraClassDefinition = "";
  let summary = "elementwise conversion to the result element type";
  let description = [{
    The target element type is the result's; float to integer truncates
    toward zero (keeping the low bits), and anything to i1 is `x != 0`.
    Conversions to the float8 types round to nearest even; with `saturate`
    (the default) a value beyond the largest finite one, infinity included,
    becomes that largest value, and without it infinity (f8E5M2) or NaN.
    f4E2M1FN, which has neither, always saturates.

    ```mlir
    %y = graph.cast %x : tensor<4xf32> -> tensor<4xi64>
    %z = graph.cast %x {saturate = false} : tensor<4xf32> -> tensor<4xf8E4M3FN>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                   DefaultValuedAttr<BoolAttr, "true">:$saturate);
  let hasFolder = 1;
}

def Graph_BitcastOp : Graph_UnaryOp<"bitcast"> {
  // Inference is written in GraphShapes.cpp.
  let extraClassDefinition = "";
  let summary = "elementwise reinterpretation of the bits as the result type";
  let description = [{
    Each element's bits, read as the result element type, which has the
    same storage size (i1 is stored as one byte, 0 or 1).

    ```mlir
    %y = graph.bitcast %x : tensor<4xf32> -> tensor<4xi32>
    ```
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Neural-network ops
//===----------------------------------------------------------------------===//

def Graph_MatMulOp : Graph_ShapedOp<"matmul"> {
  let summary = "numpy matmul: batched, with broadcasting of batch dimensions";
  let description = [{
    ```mlir
    %c = graph.matmul %a, %b : (tensor<8x4x16xf32>, tensor<16x32xf32>) -> tensor<8x4x32xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_GemmOp : Graph_ShapedOp<"gemm"> {
  let summary = "alpha * op(A) * op(B) + beta * C, C broadcast to (M, N)";
  let arguments = (ins AnyRankedTensor:$a, AnyRankedTensor:$b,
                   Optional<AnyRankedTensor>:$c,
                   DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.0">:$beta,
                   DefaultValuedAttr<BoolAttr, "false">:$transA,
                   DefaultValuedAttr<BoolAttr, "false">:$transB);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_ConvOp : Graph_ShapedOp<"conv"> {
  let summary = "N-d convolution, NC* layout, with groups and dilations";
  let description = [{
    X is (N, C, D1, ..., Dn), W is (M, C / group, k1, ..., kn), B is (M).
    `kernel_shape`, `strides` and `dilations` hold one entry per spatial
    dim, `pads` n begin values then n end values; the importer spells out
    ONNX's defaults. A `kernel_shape` entry is `ShapedType::kDynamic` where
    the node gives none and the weight's dim is dynamic: the window is then
    the weight's size at run time. `auto_pad` is "NOTSET", "VALID",
    "SAME_UPPER" or "SAME_LOWER"; with anything but "NOTSET" the pads are
    derived from the input shape (see resolvePads in GraphUtils.h).
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$weight,
                   Optional<AnyRankedTensor>:$bias,
                   DenseI64ArrayAttr:$kernel_shape,
                   DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$pads,
                   DenseI64ArrayAttr:$dilations,
                   DefaultValuedAttr<I64Attr, "1">:$group,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

// Pooling over NC* tensors; window attributes as for graph.conv. With
// `ceil_mode` the output size rounds up, but the last window starts inside
// the input or its begin padding.
class Graph_PoolOp<string mnemonic> : Graph_ShapedOp<mnemonic> {
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output)
  }];
}

def Graph_MaxPoolOp : Graph_PoolOp<"max_pool"> {
  let summary = "N-d max pooling, NC* layout";
  let arguments = (ins AnyRankedTensor:$input,
                   DenseI64ArrayAttr:$kernel_shape,
                   DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$pads,
                   DenseI64ArrayAttr:$dilations,
                   DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad);
}

def Graph_AveragePoolOp : Graph_PoolOp<"average_pool"> {
  let summary = "N-d average pooling, NC* layout";
  let arguments = (ins AnyRankedTensor:$input,
                   DenseI64ArrayAttr:$kernel_shape,
                   DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$pads,
                   DenseI64ArrayAttr:$dilations,
                   DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                   DefaultValuedAttr<BoolAttr, "false">:$count_include_pad,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad);
}

def Graph_GlobalAveragePoolOp : Graph_PoolOp<"global_average_pool"> {
  let summary = "mean over all spatial dimensions, keeping them as size 1";
  let arguments = (ins AnyRankedTensor:$input);
}

def Graph_GlobalMaxPoolOp : Graph_PoolOp<"global_max_pool"> {
  let summary = "max over all spatial dimensions, keeping them as size 1";
  let arguments = (ins AnyRankedTensor:$input);
}

def Graph_BatchNormOp : Graph_ShapedOp<"batch_norm"> {
  let summary = "inference batch normalization over dimension 1";
  let description = [{
    y = (x - mean) / sqrt(var + epsilon) * scale + bias, with scale, bias,
    mean and var of shape (C).
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$scale,
                   AnyRankedTensor:$bias, AnyRankedTensor:$mean,
                   AnyRankedTensor:$var,
                   DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $var attr-dict `:`
    functional-type(operands, results)
  }];
}

def Graph_LayerNormOp : Graph_ShapedOp<"layer_norm"> {
  let summary = "normalization over the dimensions from `axis` on";
  let description = [{
    y = (x - mean) / sqrt(var + epsilon) * scale + bias, where mean and var
    are taken over dimensions [axis, rank); scale and bias broadcast to them.

    With `with_statistics`, the op also returns `mean` and `inv_std_dev`
    (1 / sqrt(var + epsilon)) as f32 tensors of the input's shape with the
    dims [axis, rank) set to 1 (ONNX's outputs Mean and InvStdDev).
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$scale,
                   Optional<AnyRankedTensor>:$bias,
                   DefaultValuedAttr<I64Attr, "-1">:$axis,
                   DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon,
                   UnitAttr:$with_statistics);
  let results = (outs AnyRankedTensor:$output,
                 Variadic<AnyRankedTensor>:$statistics);
  let extraClassDeclaration = [{
    /// The per-row mean, or null without `with_statistics`.
    ::mlir::Value getMean() {
      return getStatistics().empty() ? ::mlir::Value() : getStatistics()[0];
    }
    /// The per-row 1 / sqrt(var + epsilon), or null without
    /// `with_statistics`.
    ::mlir::Value getInvStdDev() {
      return getStatistics().empty() ? ::mlir::Value() : getStatistics()[1];
    }
  }];
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_SoftmaxOp : Graph_UnaryOp<"softmax"> {
  // Inference is written in GraphShapes.cpp.
  let extraClassDefinition = "";
  let summary = "softmax along one axis (ONNX opset 13 meaning)";
  let arguments = (ins AnyRankedTensor:$input,
                   DefaultValuedAttr<I64Attr, "-1">:$axis);
}

def Graph_LogSoftmaxOp : Graph_UnaryOp<"log_softmax"> {
  // Inference is written in GraphShapes.cpp.
  let extraClassDefinition = "";
  let summary = "log of softmax along one axis (ONNX opset 13 meaning)";
  let arguments = (ins AnyRankedTensor:$input,
                   DefaultValuedAttr<I64Attr, "-1">:$axis);
}

def Graph_AttentionOp : Graph_ShapedOp<"attention"> {
  let summary = "scaled dot-product attention: softmax(q kᵀ · scale + mask) v";
  let description = [{
    y = softmax(q · kᵀ · scale + mask) · v, the softmax over the last axis,
    where q is (B..., S_q, D), k is (B..., S_k, D), v is (B..., S_k, D_v),
    y is (B..., S_q, D_v) and the optional additive `mask` broadcasts to
    the scores (B..., S_q, S_k). The batch dims B... of q, k and v are the
    same. A row whose scores are all -inf gives zeros, as the exports of
    PyTorch's scaled_dot_product_attention guard their softmax with
    where(isnan(p), 0, p). `kiln-fuse-attention` makes this op from the
    matmul, scale, mask and softmax of exported models.

    ```mlir
    %y = graph.attention %q, %k, %v, %mask {scale = 1.250000e-01 : f32}
        : (tensor<1x12x128x64xf32>, tensor<1x12x128x64xf32>,
           tensor<1x12x128x64xf32>, tensor<1x1x128x128xf32>)
        -> tensor<1x12x128x64xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$q, AnyRankedTensor:$k,
                   AnyRankedTensor:$v, Optional<AnyRankedTensor>:$mask,
                   F32Attr:$scale);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $q `,` $k `,` $v (`,` $mask^)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

def Graph_ReduceMeanOp : Graph_ReduceOp<"reduce_mean"> { let summary = "mean over axes"; }
def Graph_ReduceSumOp : Graph_ReduceOp<"reduce_sum"> {
  let summary = "sum over axes";
  let hasFolder = 1;
}
def Graph_ReduceMaxOp : Graph_ReduceOp<"reduce_max"> { let summary = "maximum over axes"; }
def Graph_ReduceMinOp : Graph_ReduceOp<"reduce_min"> { let summary = "minimum over axes"; }
def Graph_ReduceProdOp : Graph_ReduceOp<"reduce_prod"> {
  let summary = "product over axes";
  let hasFolder = 1;
}
def Graph_ReduceSumSquareOp : Graph_ReduceOp<"reduce_sum_square"> { let summary = "sum of squares over axes"; }
def Graph_ReduceL1Op : Graph_ReduceOp<"reduce_l1"> { let summary = "sum of absolute values over axes"; }
def Graph_ReduceL2Op : Graph_ReduceOp<"reduce_l2"> { let summary = "square root of the sum of squares over axes"; }
def Graph_ReduceLogSumExpOp : Graph_ReduceOp<"reduce_log_sum_exp"> { let summary = "log of the sum of exponentials over axes"; }

def Graph_ArgMaxOp : Graph_ShapedOp<"arg_max"> {
  let summary = "index (i64) of the maximum along one axis";
  let arguments = (ins AnyRankedTensor:$input,
                   DefaultValuedAttr<I64Attr, "0">:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                   DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output)
  }];
}

def Graph_ArgMinOp : Graph_ShapedOp<"arg_min"> {
  let summary = "index (i64) of the minimum along one axis";
  let arguments = (ins AnyRankedTensor:$input,
                   DefaultValuedAttr<I64Attr, "0">:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                   DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output)
  }];
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

def Graph_ConstantOp : Graph_Op<"constant",
    [Pure, ConstantLike, AllTypesMatch<["value", "output"]>]> {
  let summary = "a constant tensor";
  let description = [{
    Weights are `dense_resource` blobs, so that large models neither print
    their data inline nor copy it on import.

    ```mlir
    %w = graph.constant dense_resource<w0> : tensor<64x3x7x7xf32>
    %s = graph.constant dense<[1, -1]> : tensor<2xi64>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def Graph_ConstantOfShapeOp : Graph_ShapedOp<"constant_of_shape"> {
  let summary = "a tensor of the given shape filled with one value";
  let arguments = (ins RankedTensorOf<[I64]>:$shape, ElementsAttr:$value);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $shape `,` $value attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Graph_ShapeOp : Graph_ShapedOp<"shape"> {
  let summary = "the shape of a tensor as a 1-d i64 tensor, dims [start, end)";
  let arguments = (ins AnyRankedTensor:$input,
                   DefaultValuedAttr<I64Attr, "0">:$start,
                   OptionalAttr<I64Attr>:$end);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output)
  }];
  let hasFolder = 1;
}

def Graph_IdentityOp : Graph_UnaryOp<"identity"> {
  let summary = "the operand itself";
  let hasFolder = 1;
}

def Graph_ReshapeOp : Graph_ShapedOp<"reshape"> {
  let summary = "reshape to a 1-d i64 shape tensor (0 copies, -1 infers)";
  let arguments = (ins AnyRankedTensor:$input, RankedTensorOf<[I64]>:$shape,
                   DefaultValuedAttr<BoolAttr, "false">:$allowzero);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $shape attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Graph_FlattenOp : Graph_UnaryOp<"flatten"> {
  // Inference is written in GraphShapes.cpp.
  let extraClassDefinition = "";
  let summary = "reshape to 2-d: dims before `axis`, dims from `axis` on";
  let arguments = (ins AnyRankedTensor:$input,
                   DefaultValuedAttr<I64Attr, "1">:$axis);
}

def Graph_SqueezeOp : Graph_UnaryOp<"squeeze"> {
  // Inference is written in GraphShapes.cpp.
  let extraClassDefinition = "";
  let summary = "remove size-1 dimensions (all of them when axes is absent)";
  let arguments = (ins AnyRankedTensor:$input,
                   OptionalAttr<DenseI64ArrayAttr>:$axes);
  let hasFolder = 1;
}

def Graph_UnsqueezeOp : Graph_UnaryOp<"unsqueeze"> {
  // Inference is written in GraphShapes.cpp.
  let extraClassDefinition = "";
  let summary = "insert size-1 dimensions at `axes` of the result";
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$axes);
  let hasFolder = 1;
}

def Graph_TransposeOp : Graph_UnaryOp<"transpose"> {
  // Inference is written in GraphShapes.cpp.
  let extraClassDefinition = "";
  let summary = "permute dimensions: result dim i is input dim perm[i]";
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$perm);
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Graph_ExpandOp : Graph_ShapedOp<"expand"> {
  let summary = "broadcast to a shape given as a 1-d i64 tensor";
  let arguments = (ins AnyRankedTensor:$input, RankedTensorOf<[I64]>:$shape);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $shape attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Graph_ConcatOp : Graph_ShapedOp<"concat"> {
  let summary = "join tensors along `axis`";
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Graph_SplitOp : Graph_ShapedOp<"split"> {
  let summary = "split along `axis` into pieces of the sizes in `split`";
  let description = [{
    `split` holds one size per result. When it is empty, `num_outputs`
    results split the dimension evenly, the last one smaller when the size
    does not divide (ONNX opset 18).
  }];
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis,
                   DenseI64ArrayAttr:$split,
                   OptionalAttr<I64Attr>:$num_outputs);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_SliceOp : Graph_ShapedOp<"slice", [AttrSizedOperandSegments]> {
  let summary = "strided slice; starts, ends, axes, steps are 1-d int tensors";
  let arguments = (ins AnyRankedTensor:$input,
                   RankedTensorOf<[I32, I64]>:$starts, RankedTensorOf<[I32, I64]>:$ends,
                   Optional<RankedTensorOf<[I32, I64]>>:$axes,
                   Optional<RankedTensorOf<[I32, I64]>>:$steps);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `[` $starts `,` $ends (`axes` $axes^)? (`steps` $steps^)? `]`
    attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Graph_GatherOp : Graph_ShapedOp<"gather"> {
  let summary = "take entries along `axis` at integer indices";
  let description = [{
    The result shape is data.shape[:axis] + indices.shape +
    data.shape[axis+1:]; negative indices count from the end.
  }];
  let arguments = (ins AnyRankedTensor:$input, RankedTensorOf<[I32, I64]>:$indices,
                   DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `[` $indices `]` attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Graph_TileOp : Graph_ShapedOp<"tile"> {
  let summary = "repeat the tensor `repeats[i]` times along dimension i";
  let arguments = (ins AnyRankedTensor:$input, RankedTensorOf<[I64]>:$repeats);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $repeats attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_RangeOp : Graph_ShapedOp<"range"> {
  let summary = "start, start + delta, ... up to (not including) limit";
  let arguments = (ins AnyRankedTensor:$start, AnyRankedTensor:$limit,
                   AnyRankedTensor:$delta);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $start `,` $limit `,` $delta attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Graph_DropoutOp : Graph_UnaryOp<"dropout"> {
  let summary = "inference dropout: the operand itself";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Network ops of exported models: selection, transposed convolution,
// resampling, instance normalization (inference in GraphShapesNN.cpp)
//===----------------------------------------------------------------------===//

def Graph_TopKOp : Graph_ShapedOp<"top_k"> {
  let summary = "the k largest (or smallest) entries along one axis";
  let description = [{
    `k` is a one-element i64 tensor; when it is not a `graph.constant` the
    result dim along `axis` is `?`. The results are sorted (largest first,
    or smallest first without `largest`); equal values keep the order of
    their indices. `indices` are i64 positions along `axis`.

    ```mlir
    %v, %i = graph.top_k %x, %k {axis = 1 : i64}
        : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, RankedTensorOf<[I64]>:$k,
                   DefaultValuedAttr<I64Attr, "-1">:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$largest);
  let results = (outs AnyRankedTensor:$values,
                 RankedTensorOf<[I64]>:$indices);
  let assemblyFormat = [{
    $input `,` $k attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_ConvTransposeOp : Graph_ShapedOp<"conv_transpose"> {
  let summary = "N-d transposed convolution, NC* layout, with groups";
  let description = [{
    X is (N, C, D1, ..., Dn), W is (C, M / group, k1, ..., kn), B is (M).
    Each input position scatters its window into the output:

      y[n, m, i * s + k * d - padBegin] += x[n, c, i] * w[c, m', k]

    Window attributes as for graph.conv (the importer spells out the
    defaults), plus `output_padding` (n entries, added at the end of each
    spatial dim) and the optional `output_shape` (n spatial sizes), which
    fixes the output size and derives the pads from it (see
    transposedPadBegin in GraphUtils.h).

    ```mlir
    %y = graph.conv_transpose %x, %w {dilations = array<i64: 1, 1>,
        kernel_shape = array<i64: 3, 3>, output_padding = array<i64: 0, 0>,
        pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
        : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x11x11xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$weight,
                   Optional<AnyRankedTensor>:$bias,
                   DenseI64ArrayAttr:$kernel_shape,
                   DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$pads,
                   DenseI64ArrayAttr:$dilations,
                   DenseI64ArrayAttr:$output_padding,
                   OptionalAttr<DenseI64ArrayAttr>:$output_shape,
                   DefaultValuedAttr<I64Attr, "1">:$group,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_ResizeOp : Graph_ShapedOp<"resize"> {
  let summary = "resampling by nearest, (multi)linear or cubic interpolation";
  let description = [{
    ONNX Resize (opset 19 meaning) with its inputs read at import: exactly
    one of `scales` (one factor per dim; the output dim is
    floor(in * scale)) and `sizes` (one size per dim, -1 keeping the input
    dim). With `sizes`, `keep_aspect_ratio_policy` "not_larger" or
    "not_smaller" scales the dims that have a size by one common factor (the
    smallest or largest size / in), rounding each size half up. `roi` (begins
    then ends, one per dim) is read by "tf_crop_and_resize" only.

    `mode` is "nearest", "linear" or "cubic"; the other attributes carry
    ONNX's names and defaults. Linear and cubic interpolate floats only.

    ```mlir
    %y = graph.resize %x {mode = "linear", scales = array<f32: 1.0, 1.0, 2.0, 2.0>}
        : tensor<1x3x4x4xf32> -> tensor<1x3x8x8xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                   OptionalAttr<DenseF32ArrayAttr>:$scales,
                   OptionalAttr<DenseI64ArrayAttr>:$sizes,
                   OptionalAttr<DenseF32ArrayAttr>:$roi,
                   DefaultValuedAttr<StrAttr, "\"nearest\"">:$mode,
                   DefaultValuedAttr<StrAttr, "\"half_pixel\"">:$coordinate_transformation_mode,
                   DefaultValuedAttr<StrAttr, "\"round_prefer_floor\"">:$nearest_mode,
                   DefaultValuedAttr<F32Attr, "-0.75">:$cubic_coeff_a,
                   DefaultValuedAttr<BoolAttr, "false">:$exclude_outside,
                   DefaultValuedAttr<F32Attr, "0.0">:$extrapolation_value,
                   DefaultValuedAttr<BoolAttr, "false">:$antialias,
                   DefaultValuedAttr<StrAttr, "\"stretch\"">:$keep_aspect_ratio_policy);
  let results = (outs AnyRankedTensor:$output);
  let extraClassDeclaration = [{
    /// The scale factor of each dim, in double precision as ONNX computes
    /// them (size / in for `sizes`): 0 where that in is dynamic (the kernel
    /// divides at run time); fails when keep_aspect_ratio_policy makes a
    /// factor depend on a dynamic dim.
    ::mlir::FailureOr<::llvm::SmallVector<double>> getScaleFactors();
  }];
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output)
  }];
}

// A recurrent layer of ONNX's RNN, GRU or LSTM, in layout 0 (the importer
// transposes layout 1): X is (seq, batch, input), W (dirs, G * hidden,
// input), R (dirs, G * hidden, hidden), B (dirs, 2 * G * hidden),
// sequence_lens (batch) i32, initial_h (dirs, batch, hidden); Y is (seq,
// dirs, batch, hidden), Y_h (dirs, batch, hidden). G is 1, 3 or 4 gates.
// `activations` holds every direction's functions (forward first), with
// one alpha and one beta each (the importer fills in ONNX's defaults).
class Graph_RecurrentOp<string mnemonic, list<Trait> traits = []> :
    Graph_ShapedOp<mnemonic, !listconcat(traits, [AttrSizedOperandSegments])> {
  let assemblyFormat = [{
    $input `,` $weight `,` $recurrence (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`sequence_lens` `(` $sequence_lens^ `:` type($sequence_lens) `)`)?
    (`initial_h` `(` $initial_h^ `:` type($initial_h) `)`)?
    attr-dict `:` `(` type($input) `,` type($weight) `,` type($recurrence) `)`
    `->` type(results)
  }];
}

defvar Graph_RecurrentArgs = (ins AnyRankedTensor:$input,
    AnyRankedTensor:$weight, AnyRankedTensor:$recurrence,
    Optional<AnyRankedTensor>:$bias,
    Optional<RankedTensorOf<[I32]>>:$sequence_lens,
    Optional<AnyRankedTensor>:$initial_h,
    I64Attr:$hidden_size,
    DefaultValuedAttr<StrAttr, "\"forward\"">:$direction,
    StrArrayAttr:$activations,
    DenseF32ArrayAttr:$activation_alpha,
    DenseF32ArrayAttr:$activation_beta,
    OptionalAttr<F32Attr>:$clip);

def Graph_RNNOp : Graph_RecurrentOp<"rnn"> {
  let summary = "simple recurrent layer: H = f(X W^T + H R^T + b)";
  let arguments = Graph_RecurrentArgs;
  let results = (outs AnyRankedTensor:$output, AnyRankedTensor:$output_h);
}

def Graph_GRUOp : Graph_RecurrentOp<"gru"> {
  let summary = "gated recurrent unit layer (gates z, r, h)";
  let description = [{
    With `linear_before_reset`, the reset gate multiplies H R_h^T + Rb_h
    rather than H before the product.
  }];
  let arguments = !con(Graph_RecurrentArgs,
      (ins DefaultValuedAttr<BoolAttr, "false">:$linear_before_reset));
  let results = (outs AnyRankedTensor:$output, AnyRankedTensor:$output_h);
}

def Graph_LSTMOp : Graph_RecurrentOp<"lstm"> {
  let summary = "long short-term memory layer (gates i, o, f, c)";
  let description = [{
    Adds initial_c (dirs, batch, hidden) and the peepholes P (dirs,
    3 * hidden: i, o, f), and the result Y_c. With `input_forget` the forget
    gate is 1 - i.
  }];
  let arguments = !con(Graph_RecurrentArgs,
      (ins Optional<AnyRankedTensor>:$initial_c,
           Optional<AnyRankedTensor>:$peepholes,
           DefaultValuedAttr<BoolAttr, "false">:$input_forget));
  let results = (outs AnyRankedTensor:$output, AnyRankedTensor:$output_h,
                 AnyRankedTensor:$output_c);
  let assemblyFormat = [{
    $input `,` $weight `,` $recurrence (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`sequence_lens` `(` $sequence_lens^ `:` type($sequence_lens) `)`)?
    (`initial_h` `(` $initial_h^ `:` type($initial_h) `)`)?
    (`initial_c` `(` $initial_c^ `:` type($initial_c) `)`)?
    (`peepholes` `(` $peepholes^ `:` type($peepholes) `)`)?
    attr-dict `:` `(` type($input) `,` type($weight) `,` type($recurrence) `)`
    `->` type(results)
  }];
}

//===----------------------------------------------------------------------===//
// More elementwise math: trigonometry, float predicates, shrinking, shifts
//===----------------------------------------------------------------------===//

def Graph_TanOp : Graph_UnaryOp<"tan"> { let summary = "elementwise tangent"; }
def Graph_AsinOp : Graph_UnaryOp<"asin"> { let summary = "elementwise arcsine"; }
def Graph_AcosOp : Graph_UnaryOp<"acos"> { let summary = "elementwise arccosine"; }
def Graph_AtanOp : Graph_UnaryOp<"atan"> { let summary = "elementwise arctangent"; }
def Graph_SinhOp : Graph_UnaryOp<"sinh"> { let summary = "elementwise hyperbolic sine"; }
def Graph_CoshOp : Graph_UnaryOp<"cosh"> { let summary = "elementwise hyperbolic cosine"; }
def Graph_AsinhOp : Graph_UnaryOp<"asinh"> { let summary = "elementwise inverse hyperbolic sine"; }
def Graph_AcoshOp : Graph_UnaryOp<"acosh"> { let summary = "elementwise inverse hyperbolic cosine"; }
def Graph_AtanhOp : Graph_UnaryOp<"atanh"> { let summary = "elementwise inverse hyperbolic tangent"; }

// Elementwise test of a float; the result element type is i1.
class Graph_FloatPredicateOp<string mnemonic, list<Trait> traits = []> :
    Graph_UnaryOp<mnemonic, traits> {
  let results = (outs RankedTensorOf<[I1]>:$output);
  let extraClassDefinition = Graph_InferSignature # [{ {
    return ::kiln::graph::inferFloatPredicateShape(location, adaptor.getInput(),
                                                   inferred);
  }
  }];
}

def Graph_IsNaNOp : Graph_FloatPredicateOp<"is_nan"> {
  let summary = "elementwise x != x";
  let description = [{
    ```mlir
    %y = graph.is_nan %x : tensor<4xf32> -> tensor<4xi1>
    ```
  }];
}
def Graph_IsInfOp : Graph_FloatPredicateOp<"is_inf"> {
  let summary = "elementwise test for +inf (detect_positive), -inf (detect_negative)";
  let arguments = (ins AnyRankedTensor:$input,
                   DefaultValuedAttr<BoolAttr, "true">:$detect_positive,
                   DefaultValuedAttr<BoolAttr, "true">:$detect_negative);
}

def Graph_ShrinkOp : Graph_UnaryOp<"shrink"> {
  let summary = "elementwise x < -lambd ? x + bias : (x > lambd ? x - bias : 0)";
  let description = [{
    On integers the comparison and the arithmetic are done in f64 and the
    result converted back, truncating toward zero.
  }];
  let arguments = (ins AnyRankedTensor:$input,
                   DefaultValuedAttr<F32Attr, "0.0">:$bias,
                   DefaultValuedAttr<F32Attr, "0.5">:$lambd);
}
def Graph_BitShiftOp : Graph_BinaryOp<"bit_shift"> {
  // Inference is written in GraphShapes.cpp.
  let extraClassDefinition = "";
  let summary = "elementwise x << y or x >> y with broadcasting, on integers";
  let description = [{
    `direction` is "LEFT" or "RIGHT". A right shift is logical on unsigned
    integers and arithmetic on signed ones; a shift by a negative amount or
    by the width or more leaves only the sign fill (0, or -1 for a right
    shift of a negative x).
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs,
                   StrAttr:$direction);
}
def Graph_CeluOp : Graph_UnaryAlphaOp<"celu", "1.0"> {
  let summary = "elementwise max(0, x) + min(0, alpha * (e^(x / alpha) - 1))";
}
def Graph_MishOp : Graph_UnaryOp<"mish"> {
  let summary = "elementwise x * tanh(log(1 + e^x))";
}

// Gathers, scatters, masks, scans and padding.
include "dialects/graph/GraphIndexingOps.td"

include "dialects/graph/GraphQuantOps.td"

// If, Loop and Scan, with their regions.
include "dialects/graph/GraphControlFlowOps.td"

#endif // KILN_GRAPH_OPS
