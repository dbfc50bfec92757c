//===- ImportMath.cpp - Elementwise ONNX ops ------------------------------===//
//
// Unary and binary elementwise ops, comparisons, activations, Clip, Where,
// Cast, the variadic Max / Min / Sum / Mean, the Bitwise ops, and Swish and
// SwiGLU (built from sigmoid and mul). Before opset 7 binary ops
// broadcast only when `broadcast` is set, aligning the second operand at
// `axis` of the first; numpy broadcasting covers the rest of that meaning
// once the second operand has trailing unit dims appended.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"
#include "frontends/onnx/OpTable.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/IR/TypeUtilities.h"

#include <limits>

using namespace mlir;

namespace kiln::onnxfe {
namespace {

namespace g = ::kiln::graph;

/// `rhs` with unit dims appended so that numpy broadcasting aligns it at
/// `axis` of `lhs`, as `broadcast=1, axis=k` did before opset 7.
FailureOr<Value> alignLegacyBroadcast(NodeImporter &n, Value lhs, Value rhs) {
  if (n.getOpset() >= 7 || n.getInt("broadcast", 0) == 0 || !n.hasAttr("axis"))
    return rhs;
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  int64_t axis = n.getInt("axis", 0);
  if (axis < 0)
    axis += lhsType.getRank();
  int64_t trailing = lhsType.getRank() - axis - rhsType.getRank();
  if (axis < 0 || trailing < 0)
    return n.emitError() << "broadcast axis " << n.getInt("axis", 0)
                         << " does not fit operands of rank "
                         << lhsType.getRank() << " and " << rhsType.getRank();
  if (trailing == 0)
    return rhs;
  SmallVector<int64_t> axes, shape(rhsType.getShape());
  for (int64_t i = 0; i < trailing; ++i) {
    axes.push_back(rhsType.getRank() + i);
    shape.push_back(1);
  }
  return n.createValue<g::UnsqueezeOp>(
      RankedTensorType::get(shape, rhsType.getElementType()), {rhs},
      {n.namedAttr("axes", n.getBuilder().getDenseI64ArrayAttr(axes))});
}

template <typename OpTy> LogicalResult importUnary(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  return n.createOutput<OpTy>({*input}, {}, input->getType());
}

template <typename OpTy> LogicalResult importBinary(NodeImporter &n) {
  FailureOr<Value> lhs = n.getRequiredInput(0);
  FailureOr<Value> rhs = n.getRequiredInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  FailureOr<Value> aligned = alignLegacyBroadcast(n, *lhs, *rhs);
  if (failed(aligned))
    return failure();
  return n.createOutput<OpTy>({*lhs, *aligned});
}

/// Mod: `fmod` selects C's fmod over Python's sign-of-divisor remainder.
/// Before opset 28 fmod=0 is for integers only; opset 28 defines it for
/// floats too, as a - floor(a / b) * b, which graph.mod computes only for
/// integers. For floats it is built from C's fmod:
///   r = fmod(a, b); mod(a, b) = r != 0 && (r < 0) != (b < 0) ? r + b : r
/// which also gives ONNX's special cases (NaN for an infinite a or a zero
/// b; a, or b when the signs differ, for an infinite b).
LogicalResult importMod(NodeImporter &n) {
  FailureOr<Value> lhs = n.getRequiredInput(0);
  FailureOr<Value> rhs = n.getRequiredInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  Builder &b = n.getBuilder();
  bool fmod = n.getInt("fmod", 0) != 0;
  Type elementType = cast<ShapedType>(lhs->getType()).getElementType();
  if (fmod || !isa<FloatType>(elementType))
    return n.createOutput<g::ModOp>({*lhs, *rhs},
                                    {n.namedAttr("fmod", b.getBoolAttr(fmod))});

  FailureOr<Value> rem = n.createValue<g::ModOp>(
      {}, {*lhs, *rhs}, {n.namedAttr("fmod", b.getBoolAttr(true))});
  if (failed(rem))
    return failure();
  Value zero = n.createScalar(elementType, 0);
  FailureOr<Value> isZero = n.createValue<g::EqualOp>({}, {*rem, zero});
  FailureOr<Value> remNegative = n.createValue<g::LessOp>({}, {*rem, zero});
  FailureOr<Value> rhsNegative = n.createValue<g::LessOp>({}, {*rhs, zero});
  if (failed(isZero) || failed(remNegative) || failed(rhsNegative))
    return failure();
  FailureOr<Value> nonZero = n.createValue<g::NotOp>({}, {*isZero});
  FailureOr<Value> signsDiffer =
      n.createValue<g::XorOp>({}, {*remNegative, *rhsNegative});
  if (failed(nonZero) || failed(signsDiffer))
    return failure();
  FailureOr<Value> fix = n.createValue<g::AndOp>({}, {*nonZero, *signsDiffer});
  FailureOr<Value> shifted = n.createValue<g::AddOp>({}, {*rem, *rhs});
  if (failed(fix) || failed(shifted))
    return failure();
  return n.createOutput<g::WhereOp>({*fix, *shifted, *rem});
}

/// max(a, b, c) -> max(max(a, b), c); one input is the input itself.
template <typename OpTy>
FailureOr<Value> foldVariadic(NodeImporter &n, Type lastHint) {
  if (n.getNumInputs() == 0)
    return n.emitError() << n.getOpType() << " needs at least one input";
  FailureOr<Value> result = n.getRequiredInput(0);
  for (unsigned i = 1, e = n.getNumInputs(); i < e && succeeded(result); ++i) {
    FailureOr<Value> next = n.getRequiredInput(i);
    if (failed(next))
      return failure();
    result =
        n.createValue<OpTy>(i + 1 == e ? lastHint : Type(), {*result, *next});
  }
  return result;
}

template <typename OpTy> LogicalResult importVariadic(NodeImporter &n) {
  FailureOr<Value> result = foldVariadic<OpTy>(n, n.getOutputHint(0));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// mean(x1, ..., xn) -> (x1 + ... + xn) / n
LogicalResult importMean(NodeImporter &n) {
  FailureOr<Value> sum = foldVariadic<g::AddOp>(n, n.getOutputHint(0));
  if (failed(sum))
    return failure();
  if (n.getNumInputs() == 1) {
    n.setOutput(0, *sum);
    return success();
  }
  Type elementType = cast<ShapedType>(sum->getType()).getElementType();
  Value count = n.createScalar(elementType, n.getNumInputs());
  return n.createOutput<g::DivOp>({*sum, count}, {}, sum->getType());
}

/// An f32 attribute `name` of the graph op, from the ONNX attribute of the
/// same meaning (with its ONNX default).
NamedAttribute floatAttr(NodeImporter &n, StringRef name, float defaultValue) {
  return n.namedAttr(
      name, n.getBuilder().getF32FloatAttr(n.getFloat(name, defaultValue)));
}

LogicalResult importLeakyRelu(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  return n.createOutput<g::LeakyReluOp>(
      {*input}, {floatAttr(n, "alpha", 0.01f)}, input->getType());
}

LogicalResult importElu(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  return n.createOutput<g::EluOp>({*input}, {floatAttr(n, "alpha", 1.0f)},
                                  input->getType());
}

LogicalResult importHardSigmoid(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  return n.createOutput<g::HardSigmoidOp>(
      {*input}, {floatAttr(n, "alpha", 0.2f), floatAttr(n, "beta", 0.5f)},
      input->getType());
}

LogicalResult importSelu(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  return n.createOutput<g::SeluOp>(
      {*input},
      {floatAttr(n, "alpha", 1.67326319217681884765625f),
       floatAttr(n, "gamma", 1.05070102214813232421875f)},
      input->getType());
}

/// thresholded_relu(x) -> where(x > alpha, x, 0)
LogicalResult importThresholdedRelu(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  Type elementType = cast<ShapedType>(input->getType()).getElementType();
  Value alpha = n.createScalar(elementType, n.getFloat("alpha", 1.0f));
  Value zero = n.createScalar(elementType, 0);
  FailureOr<Value> above = n.createValue<g::GreaterOp>({}, {*input, alpha});
  if (failed(above))
    return failure();
  return n.createOutput<g::WhereOp>({*above, *input, zero}, {},
                                    input->getType());
}

/// Before opset 7 a 1-d slope of C values applies per channel (dim 1):
/// it gets trailing unit dims so that numpy broadcasting does the same.
FailureOr<Value> alignLegacySlope(NodeImporter &n, Value input, Value slope) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto slopeType = cast<RankedTensorType>(slope.getType());
  if (n.getOpset() >= 7 || slopeType.getRank() != 1 ||
      inputType.getRank() < 3 || slopeType.getDimSize(0) == 1)
    return slope;
  SmallVector<int64_t> axes, shape(slopeType.getShape());
  for (int64_t i = 1; i < inputType.getRank() - 1; ++i) {
    axes.push_back(i);
    shape.push_back(1);
  }
  return n.createValue<g::UnsqueezeOp>(
      RankedTensorType::get(shape, slopeType.getElementType()), {slope},
      {n.namedAttr("axes", n.getBuilder().getDenseI64ArrayAttr(axes))});
}

/// prelu(x, slope) -> where(x < 0, x * slope, x), slope broadcast to x.
LogicalResult importPRelu(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> slope = n.getRequiredInput(1);
  if (failed(input) || failed(slope))
    return failure();
  slope = alignLegacySlope(n, *input, *slope);
  if (failed(slope))
    return failure();
  Type elementType = cast<ShapedType>(input->getType()).getElementType();
  Value zero = n.createScalar(elementType, 0);
  FailureOr<Value> isNegative = n.createValue<g::LessOp>({}, {*input, zero});
  FailureOr<Value> scaled = n.createValue<g::MulOp>({}, {*input, *slope});
  if (failed(isNegative) || failed(scaled))
    return failure();
  return n.createOutput<g::WhereOp>({*isNegative, *scaled, *input});
}

/// Clip before opset 11 bounds by `min` / `max` attributes; from 11 on by
/// optional scalar inputs.
LogicalResult importClip(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  Value min, max;
  if (n.getOpset() < 11) {
    Type elementType = cast<ShapedType>(input->getType()).getElementType();
    if (n.hasAttr("min"))
      min = n.createScalar(elementType, n.getFloat("min", 0));
    if (n.hasAttr("max"))
      max = n.createScalar(elementType, n.getFloat("max", 0));
  } else {
    min = n.getInput(1);
    max = n.getInput(2);
  }
  SmallVector<Value> operands = {*input};
  if (min)
    operands.push_back(min);
  if (max)
    operands.push_back(max);
  int32_t segments[] = {1, min ? 1 : 0, max ? 1 : 0};
  return n.createOutput<g::ClipOp>(
      operands,
      {n.namedAttr("operandSegmentSizes",
                   n.getBuilder().getDenseI32ArrayAttr(segments))},
      input->getType());
}

LogicalResult importWhere(NodeImporter &n) {
  FailureOr<Value> condition = n.getRequiredInput(0);
  FailureOr<Value> x = n.getRequiredInput(1);
  FailureOr<Value> y = n.getRequiredInput(2);
  if (failed(condition) || failed(x) || failed(y))
    return failure();
  return n.createOutput<g::WhereOp>({*condition, *x, *y});
}

/// graph.cast of `input` to `elementType`, with Cast's `saturate` (opset
/// 19 on; it matters for float8 results only). `round_mode` (opset 24)
/// matters for float8e8m0 results alone, a type Kiln refuses.
LogicalResult createCast(NodeImporter &n, Value input, Type elementType) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto fallback = RankedTensorType::get(inputType.getShape(), elementType);
  Type hint = n.getOutputHint(0);
  // The target type is what the node says; a hint of another element type
  // is ignored.
  if (hint && cast<ShapedType>(hint).getElementType() != elementType)
    hint = {};
  if (n.getOpset() >= 24)
    n.ignoreAttr("round_mode", onnx::AttributeProto::STRING);
  SmallVector<NamedAttribute> attrs;
  if (n.getOpset() >= 19 && n.getInt("saturate", 1) == 0)
    attrs.push_back(n.namedAttr("saturate", n.getBuilder().getBoolAttr(false)));
  FailureOr<Value> result = n.createValue<g::CastOp>(
      NodeImporter::joinHints(hint, fallback), {input}, attrs);
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// Cast: `to` is a data type number, or its name before opset 6.
/// BitCast: the bits of each element as the type `to`, of the same size.
LogicalResult importBitCast(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  int64_t dataType = n.getInt("to", 0);
  Type elementType =
      convertElementType(static_cast<int32_t>(dataType), n.getContext());
  if (!elementType)
    return n.emitError() << "BitCast to unsupported type "
                         << getDataTypeName(static_cast<int32_t>(dataType));
  auto inputType = cast<RankedTensorType>(input->getType());
  return n.createOutput<g::BitcastOp>(
      {*input}, {}, inputType.clone(elementType));
}

LogicalResult importCast(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  const onnx::AttributeProto *to = n.findAttr("to");
  if (!to)
    return n.emitError() << "Cast requires attribute 'to'";
  onnx::AttributeProto::AttributeType type = getAttributeType(*to);
  if (type != onnx::AttributeProto::INT &&
      type != onnx::AttributeProto::STRING)
    return n.emitError() << "attribute 'to' of Cast must be INT (or a "
                            "STRING before opset 6)";
  int32_t dataType = to->i();
  if (type == onnx::AttributeProto::STRING) {
    onnx::TensorProto::DataType parsed;
    if (!onnx::TensorProto::DataType_Parse(to->s(), &parsed))
      return n.emitError() << "Cast to unknown type '" << to->s() << "'";
    dataType = parsed;
  }
  Type elementType = convertElementType(dataType, n.getContext());
  if (!elementType)
    return n.emitError() << "Cast to unsupported type "
                         << getDataTypeName(dataType);
  return createCast(n, *input, elementType);
}

/// CastLike: cast to the element type of input 1.
LogicalResult importCastLike(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> like = n.getRequiredInput(1);
  if (failed(input) || failed(like))
    return failure();
  return createCast(n, *input,
                    cast<ShapedType>(like->getType()).getElementType());
}

/// IsNaN: the result is i1, so the input's type is no hint.
LogicalResult importIsNaN(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  return n.createOutput<g::IsNaNOp>({*input});
}

LogicalResult importIsInf(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  Builder &builder = n.getBuilder();
  return n.createOutput<g::IsInfOp>(
      {*input},
      {n.namedAttr("detect_positive",
                   builder.getBoolAttr(n.getInt("detect_positive", 1) != 0)),
       n.namedAttr("detect_negative",
                   builder.getBoolAttr(n.getInt("detect_negative", 1) != 0))});
}

LogicalResult importShrink(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  return n.createOutput<g::ShrinkOp>(
      {*input}, {floatAttr(n, "bias", 0.0f), floatAttr(n, "lambd", 0.5f)},
      input->getType());
}

/// BitShift; 28 adds signed integers (an arithmetic right shift).
LogicalResult importBitShift(NodeImporter &n) {
  FailureOr<Value> lhs = n.getRequiredInput(0);
  FailureOr<Value> rhs = n.getRequiredInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  if (!n.hasAttr("direction"))
    return n.emitError() << "BitShift requires attribute 'direction'";
  return n.createOutput<g::BitShiftOp>(
      {*lhs, *rhs},
      {n.namedAttr("direction", n.getBuilder().getStringAttr(
                                    n.getString("direction", "")))});
}

/// Celu divides by alpha: 0 is refused.
LogicalResult importCelu(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  NamedAttribute alpha = floatAttr(n, "alpha", 1.0f);
  if (cast<FloatAttr>(alpha.getValue()).getValueAsDouble() == 0)
    return n.emitError() << "Celu alpha must not be 0";
  return n.createOutput<g::CeluOp>({*input}, {alpha}, input->getType());
}

/// Gelu: `approximate` is "none" or "tanh".
LogicalResult importGelu(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  std::string approximate = n.getString("approximate", "none");
  if (approximate != "none" && approximate != "tanh")
    return n.emitError() << "Gelu approximate must be \"none\" or \"tanh\"";
  return n.createOutput<g::GeluOp>(
      {*input},
      {n.namedAttr("approximate", n.getBuilder().getStringAttr(approximate))},
      input->getType());
}

/// swish(x) -> x * sigmoid(alpha * x), as ONNX's function body builds it;
/// the result has hint `resultHint`.
FailureOr<Value> buildSwish(NodeImporter &n, Value x, Type resultHint) {
  if (!isa<FloatType>(cast<ShapedType>(x.getType()).getElementType()))
    return n.emitError() << n.getOpType() << " needs a float input";
  float alpha = n.getFloat("alpha", 1.0f);
  Value scaled = x;
  if (alpha != 1.0f) {
    Type elementType = cast<ShapedType>(x.getType()).getElementType();
    FailureOr<Value> product =
        n.createValue<g::MulOp>({}, {x, n.createScalar(elementType, alpha)});
    if (failed(product))
      return failure();
    scaled = *product;
  }
  FailureOr<Value> gate = n.createValue<g::SigmoidOp>({}, {scaled});
  if (failed(gate))
    return failure();
  return n.createValue<g::MulOp>(resultHint, {x, *gate});
}

LogicalResult importSwish(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = buildSwish(n, *input, n.getOutputHint(0));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// swiglu(a, b) -> swish(a) * b; a and b have one shape (no broadcasting).
LogicalResult importSwiGLU(NodeImporter &n) {
  FailureOr<Value> gate = n.getRequiredInput(0);
  FailureOr<Value> value = n.getRequiredInput(1);
  if (failed(gate) || failed(value))
    return failure();
  auto gateType = cast<RankedTensorType>(gate->getType());
  auto valueType = cast<RankedTensorType>(value->getType());
  if (gateType.getRank() != valueType.getRank() ||
      failed(verifyCompatibleShape(gateType.getShape(), valueType.getShape())))
    return n.emitError() << "SwiGLU inputs must have one shape, got "
                         << gateType << " and " << valueType;
  FailureOr<Value> swish = buildSwish(n, *gate, {});
  if (failed(swish))
    return failure();
  return n.createOutput<g::MulOp>({*swish, *value}, {}, gateType);
}

} // namespace

void registerMathOps(OpTable &table) {
  // Binary arithmetic: legacy broadcasting before 7, numpy from 7 on; later
  // versions add element types.
  table.add("Add", {1, 6, 7, 13, 14}, importBinary<g::AddOp>);
  table.add("Sub", {1, 6, 7, 13, 14}, importBinary<g::SubOp>);
  table.add("Mul", {1, 6, 7, 13, 14}, importBinary<g::MulOp>);
  table.add("Div", {1, 6, 7, 13, 14}, importBinary<g::DivOp>);
  table.add("Pow", {1, 7, 12, 13, 15}, importBinary<g::PowOp>);
  table.add("Mod", {10, 13, 28}, importMod);
  table.add("And", {1, 7}, importBinary<g::AndOp>);
  table.add("Or", {1, 7}, importBinary<g::OrOp>);
  table.add("Xor", {1, 7}, importBinary<g::XorOp>);
  table.add("Equal", {1, 7, 11, 13, 19}, importBinary<g::EqualOp>);
  table.add("Less", {1, 7, 9, 13}, importBinary<g::LessOp>);
  table.add("Greater", {1, 7, 9, 13}, importBinary<g::GreaterOp>);
  table.add("LessOrEqual", {12, 16}, importBinary<g::LessOrEqualOp>);
  table.add("GreaterOrEqual", {12, 16}, importBinary<g::GreaterOrEqualOp>);

  // Variadic: equal shapes before 8, numpy broadcasting from 8 on.
  table.add("Max", {1, 6, 8, 12, 13}, importVariadic<g::MaxOp>);
  table.add("Min", {1, 6, 8, 12, 13}, importVariadic<g::MinOp>);
  table.add("Sum", {1, 6, 8, 13}, importVariadic<g::AddOp>);
  table.add("Mean", {1, 6, 8, 13}, importMean);

  // Unary; versions before 6 differ only in `consumed_inputs`, later ones
  // in element types.
  table.add("Sqrt", {1, 6, 13}, importUnary<g::SqrtOp>);
  table.add("Exp", {1, 6, 13}, importUnary<g::ExpOp>);
  table.add("Log", {1, 6, 13}, importUnary<g::LogOp>);
  table.add("Tanh", {1, 6, 13}, importUnary<g::TanhOp>);
  table.add("Erf", {9, 13}, importUnary<g::ErfOp>);
  table.add("Neg", {1, 6, 13}, importUnary<g::NegOp>);
  table.add("Abs", {1, 6, 13}, importUnary<g::AbsOp>);
  table.add("Reciprocal", {1, 6, 13}, importUnary<g::ReciprocalOp>);
  table.add("Floor", {1, 6, 13}, importUnary<g::FloorOp>);
  table.add("Ceil", {1, 6, 13}, importUnary<g::CeilOp>);
  table.add("Round", {11, 22}, importUnary<g::RoundOp>);
  table.add("Sign", {9, 13}, importUnary<g::SignOp>);
  table.add("Sin", {7, 22}, importUnary<g::SinOp>);
  table.add("Cos", {7, 22}, importUnary<g::CosOp>);
  table.add("Not", {1}, importUnary<g::NotOp>);
  // The bitwise ops on integers are graph.and / or / xor / not.
  table.add("BitwiseAnd", {18}, importBinary<g::AndOp>);
  table.add("BitwiseOr", {18}, importBinary<g::OrOp>);
  table.add("BitwiseXor", {18}, importBinary<g::XorOp>);
  table.add("BitwiseNot", {18}, importUnary<g::NotOp>);
  table.add("Relu", {1, 6, 13, 14}, importUnary<g::ReluOp>);
  table.add("Sigmoid", {1, 6, 13}, importUnary<g::SigmoidOp>);
  table.add("Softplus", {1, 22}, importUnary<g::SoftplusOp>);
  table.add("Softsign", {1, 22}, importUnary<g::SoftsignOp>);
  table.add("HardSwish", {14, 22}, importUnary<g::HardSwishOp>);

  // Activations with parameters.
  table.add("LeakyRelu", {1, 6, 16}, importLeakyRelu);
  table.add("Elu", {1, 6, 22}, importElu);
  table.add("HardSigmoid", {1, 6, 22}, importHardSigmoid);
  table.add("Selu", {1, 6, 22}, importSelu);
  table.add("PRelu", {1, 6, 7, 9, 16}, importPRelu);
  table.add("ThresholdedRelu", {10, 22}, importThresholdedRelu);
  // Trigonometry, float predicates and the activations of exported models;
  // later versions add element types.
  table.add("Tan", {7, 22}, importUnary<g::TanOp>);
  table.add("Asin", {7, 22}, importUnary<g::AsinOp>);
  table.add("Acos", {7, 22}, importUnary<g::AcosOp>);
  table.add("Atan", {7, 22}, importUnary<g::AtanOp>);
  table.add("Sinh", {9, 22}, importUnary<g::SinhOp>);
  table.add("Cosh", {9, 22}, importUnary<g::CoshOp>);
  table.add("Asinh", {9, 22}, importUnary<g::AsinhOp>);
  table.add("Acosh", {9, 22}, importUnary<g::AcoshOp>);
  table.add("Atanh", {9, 22}, importUnary<g::AtanhOp>);
  table.add("IsNaN", {9, 13, 20}, importIsNaN);
  table.add("IsInf", {10, 20}, importIsInf);
  table.add("Shrink", {9}, importShrink);
  table.add("BitShift", {11, 28}, importBitShift);
  table.add("Celu", {12, 28}, importCelu);
  table.add("Mish", {18, 22}, importUnary<g::MishOp>);
  table.add("Gelu", {20}, importGelu);
  table.add("Swish", {24}, importSwish);
  table.add("SwiGLU", {28}, importSwiGLU);

  table.add("Clip", {1, 6, 11, 12, 13}, importClip);
  table.add("Where", {9, 16}, importWhere);
  table.add("Cast", {1, 6, 9, 13, 19, 21, 23, 24, 25, 28}, importCast);
  table.add("BitCast", {26}, importBitCast);
  table.add("CastLike", {15, 19, 21, 23, 24, 25}, importCastLike);
}

} // namespace kiln::onnxfe
