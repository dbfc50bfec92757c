//===- ImportQuant.cpp - Linear quantization ONNX ops ---------------------===//
//
// QuantizeLinear and DequantizeLinear become graph.quantize and
// graph.dequantize with their scale and zero point made broadcastable to
// the input:
//
//   per tensor   scale ()                      as it is
//   per axis     scale (C), C = x.shape[axis]  reshaped to (1, .., C, .., 1)
//   blocked      scale (.., ceil(D / B), ..)   gathered at i / B along axis
//                                              (range(0, D) / B when D is
//                                              dynamic)
//
// DynamicQuantizeLinear and QLinearMatMul are written in those ops and the
// graph's arithmetic:
//
//   DynamicQuantizeLinear(x):
//     lo = min(0, reduce_min(x)), hi = max(0, reduce_max(x))
//     scale = (hi == lo ? 1 : hi - lo) / 255
//     zero_point = cast<ui8>(round(clamp(-lo / scale, 0, 255)))
//     y = quantize(x, scale, zero_point)
//   QLinearMatMul(a, sa, za, b, sb, zb, sy, zy):
//     y = quantize(matmul(a - za, b - zb) * (sa * sb / sy), 1, zy)
//
// where the matmul runs in f32 on the integer differences, exactly while
// its sums stay below 2^24.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"
#include "frontends/onnx/OpTable.h"
#include "frontends/onnx/TensorImporter.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

using namespace mlir;

namespace kiln::onnxfe {
namespace {

namespace g = ::kiln::graph;

Type elementTypeOf(Value value) {
  return cast<ShapedType>(value.getType()).getElementType();
}

/// `value` cast to `elementType` (itself when it already is).
FailureOr<Value> castTo(NodeImporter &n, Value value, Type elementType) {
  if (elementTypeOf(value) == elementType)
    return value;
  auto type = cast<RankedTensorType>(value.getType()).clone(elementType);
  return n.createValue<g::CastOp>(type, {value});
}

/// The float both `a` and `b` convert to exactly: the wider, f32 for f16
/// against bf16.
Type getCommonFloat(Type a, Type b) {
  if (a == b)
    return a;
  unsigned aWidth = a.getIntOrFloatBitWidth(),
           bWidth = b.getIntOrFloatBitWidth();
  if (aWidth == bWidth)
    return Float32Type::get(a.getContext());
  return aWidth > bWidth ? a : b;
}

/// The index of each entry of `input` along `axis` into a blocked scale:
/// i / blockSize for i in [0, D), a constant when D is static, else
/// range(0, D) / blockSize with D read from the input's shape.
FailureOr<Value> getBlockIndices(NodeImporter &n, Value input, int64_t axis,
                                 int64_t blockSize) {
  int64_t dim = cast<RankedTensorType>(input.getType()).getDimSize(axis);
  if (!ShapedType::isDynamic(dim)) {
    SmallVector<int64_t> indices;
    for (int64_t i = 0; i < dim; ++i)
      indices.push_back(i / blockSize);
    return n.createI64Tensor(indices);
  }
  Builder &b = n.getBuilder();
  Type i64 = b.getI64Type();
  FailureOr<Value> size = n.createValue<g::ShapeOp>(
      RankedTensorType::get({1}, i64), {input},
      {n.namedAttr("start", b.getI64IntegerAttr(axis)),
       n.namedAttr("end", b.getI64IntegerAttr(axis + 1))});
  if (failed(size))
    return failure();
  FailureOr<Value> positions = n.createValue<g::RangeOp>(
      {}, {n.createScalar(i64, 0), *size, n.createScalar(i64, 1)});
  if (failed(positions))
    return failure();
  return n.createValue<g::DivOp>({},
                                 {*positions, n.createScalar(i64, blockSize)});
}

/// The scale or zero point `param` of an input `input` made broadcastable
/// to it (see the file comment). `axis` (opset 13 on; 1 by default) is
/// checked only where it matters: a one-element 1-d param is per tensor
/// whatever the axis, as in ONNX's reference.
FailureOr<Value> broadcastQuantParam(NodeImporter &n, Value param, Value input,
                                     int64_t blockSize, StringRef what) {
  auto paramType = cast<RankedTensorType>(param.getType());
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t rank = inputType.getRank();
  int64_t axis = n.getOpset() >= 13 ? n.getInt("axis", 1) : 1;
  if (paramType.getRank() == 0)
    return param;
  // A 1-d param of dynamic size where no axis could hold it must be the
  // one-element kind; the reshape checks that when the model runs.
  bool perTensor = paramType.getRank() == 1 &&
                   (paramType.getDimSize(0) == 1 ||
                    (paramType.isDynamicDim(0) && !g::isValidAxis(axis, rank)));
  if (blockSize == 0 && perTensor)
    return n.createValue<g::ReshapeOp>({}, {param, n.createI64Tensor({})});
  if (!g::isValidAxis(axis, rank))
    return n.emitError() << "axis " << axis << " is out of range for rank "
                         << rank;
  axis = g::normalizeAxis(axis, rank);
  if (blockSize > 0) {
    if (paramType.getRank() != rank)
      return n.emitError() << n.getOpType() << " with block_size needs a "
                           << what << " of the input's rank " << rank;
    FailureOr<Value> indices = getBlockIndices(n, input, axis, blockSize);
    if (failed(indices))
      return failure();
    return n.createValue<g::GatherOp>(
        {}, {param, *indices},
        {n.namedAttr("axis", n.getBuilder().getI64IntegerAttr(axis))});
  }
  if (paramType.getRank() != 1)
    return n.emitError() << n.getOpType() << " needs a scalar or 1-d " << what
                         << ", got rank " << paramType.getRank();
  SmallVector<int64_t> shape(rank, 1);
  shape[axis] = -1;
  return n.createValue<g::ReshapeOp>({}, {param, n.createI64Tensor(shape)});
}

/// The element type a data type attribute names; fails with a refusal for
/// types Kiln lacks.
FailureOr<Type> getDataTypeAttr(NodeImporter &n, StringRef name) {
  int64_t code = n.getInt(name, 0);
  Type type = convertElementType(static_cast<int32_t>(code), n.getContext());
  if (!type)
    return n.emitError() << n.getOpType() << " " << name
                         << " has unsupported type "
                         << getDataTypeName(static_cast<int32_t>(code));
  return type;
}

/// The operands of graph.quantize / graph.dequantize: `x`, then `scale`
/// and the zero point (when given) made broadcastable to `x`.
FailureOr<SmallVector<Value>> getQuantOperands(NodeImporter &n, Value x,
                                               Value scale, Value zeroPoint,
                                               int64_t blockSize) {
  FailureOr<Value> broadcastScale =
      broadcastQuantParam(n, scale, x, blockSize, "scale");
  if (failed(broadcastScale))
    return failure();
  SmallVector<Value> operands = {x, *broadcastScale};
  if (zeroPoint) {
    FailureOr<Value> broadcastZeroPoint =
        broadcastQuantParam(n, zeroPoint, x, blockSize, "zero point");
    if (failed(broadcastZeroPoint))
      return failure();
    operands.push_back(*broadcastZeroPoint);
  }
  return operands;
}

/// QuantizeLinear: 13 adds `axis`, 19 `saturate` and float8 results, 21
/// `block_size`, `output_dtype` and 4-bit results, 23 `precision` and
/// float4, 25 2-bit results; 24 and 28 add element types Kiln lacks
/// (float8e8m0 scales, float6).
LogicalResult importQuantizeLinear(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> scale = n.getRequiredInput(1);
  if (failed(input) || failed(scale))
    return failure();
  Value zeroPoint = n.getInput(2);
  int64_t opset = n.getOpset();
  bool saturate = opset < 19 || n.getInt("saturate", 1) != 0;
  int64_t blockSize = opset >= 21 ? n.getInt("block_size", 0) : 0;
  if (blockSize < 0)
    return n.emitError() << "block_size " << blockSize << " is negative";

  // The result type: the zero point's, else output_dtype, else uint8.
  Type resultType = IntegerType::get(n.getContext(), 8, IntegerType::Unsigned);
  if (opset >= 21 && n.getInt("output_dtype", 0) != 0) {
    FailureOr<Type> type = getDataTypeAttr(n, "output_dtype");
    if (failed(type))
      return failure();
    if (zeroPoint && elementTypeOf(zeroPoint) != *type)
      return n.emitError() << "output_dtype " << *type
                           << " differs from the zero point's type "
                           << elementTypeOf(zeroPoint);
    resultType = *type;
  }
  if (zeroPoint)
    resultType = elementTypeOf(zeroPoint);

  // x / scale is computed in `precision`, else in the wider of the two
  // (an integer x in the scale's type).
  Type inputType = elementTypeOf(*input), scaleType = elementTypeOf(*scale);
  if (!isa<FloatType>(scaleType))
    return n.emitError() << n.getOpType() << " with a scale of type "
                         << scaleType << " is not supported";
  Type computeType = isa<FloatType>(inputType)
                         ? getCommonFloat(inputType, scaleType)
                         : scaleType;
  if (opset >= 23 && n.getInt("precision", 0) != 0) {
    FailureOr<Type> type = getDataTypeAttr(n, "precision");
    if (failed(type))
      return failure();
    computeType = *type;
  }
  FailureOr<Value> x = castTo(n, *input, computeType);
  FailureOr<Value> s = castTo(n, *scale, computeType);
  if (failed(x) || failed(s))
    return failure();
  FailureOr<SmallVector<Value>> operands =
      getQuantOperands(n, *x, *s, zeroPoint, blockSize);
  if (failed(operands))
    return failure();
  auto type = cast<RankedTensorType>(x->getType()).clone(resultType);
  SmallVector<NamedAttribute> attrs;
  if (!saturate)
    attrs.push_back(n.namedAttr("saturate", n.getBuilder().getBoolAttr(false)));
  return n.createOutput<g::QuantizeOp>(*operands, attrs, type);
}

/// DequantizeLinear: 13 adds `axis`, 19 float8 inputs and f16 / bf16
/// scales, 21 `block_size` and 4-bit inputs, 23 `output_dtype` and float4,
/// 25 2-bit inputs; 24 and 28 add element types Kiln lacks.
LogicalResult importDequantizeLinear(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> scale = n.getRequiredInput(1);
  if (failed(input) || failed(scale))
    return failure();
  Value zeroPoint = n.getInput(2);
  int64_t opset = n.getOpset();
  int64_t blockSize = opset >= 21 ? n.getInt("block_size", 0) : 0;
  if (blockSize < 0)
    return n.emitError() << "block_size " << blockSize << " is negative";
  Type resultType = elementTypeOf(*scale);
  if (opset >= 23 && n.getInt("output_dtype", 0) != 0) {
    FailureOr<Type> type = getDataTypeAttr(n, "output_dtype");
    if (failed(type))
      return failure();
    resultType = *type;
  }
  FailureOr<SmallVector<Value>> operands =
      getQuantOperands(n, *input, *scale, zeroPoint, blockSize);
  if (failed(operands))
    return failure();
  auto type = cast<RankedTensorType>(input->getType()).clone(resultType);
  return n.createOutput<g::DequantizeOp>(*operands, {}, type);
}

/// DynamicQuantizeLinear: uint8 with the scale and zero point of the
/// input's range (see the file comment).
LogicalResult importDynamicQuantizeLinear(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  Type f32 = elementTypeOf(*input);
  if (!f32.isF32())
    return n.emitError() << "DynamicQuantizeLinear supports f32 only";
  auto ui8 = IntegerType::get(n.getContext(), 8, IntegerType::Unsigned);
  Builder &b = n.getBuilder();
  auto all = n.namedAttr("keepdims", b.getBoolAttr(false));
  Value zero = n.createScalar(f32, 0.0);
  FailureOr<Value> max = n.createValue<g::ReduceMaxOp>({}, {*input}, {all});
  FailureOr<Value> min = n.createValue<g::ReduceMinOp>({}, {*input}, {all});
  if (failed(max) || failed(min))
    return failure();
  FailureOr<Value> hi = n.createValue<g::MaxOp>({}, {*max, zero});
  FailureOr<Value> lo = n.createValue<g::MinOp>({}, {*min, zero});
  if (failed(hi) || failed(lo))
    return failure();
  FailureOr<Value> range = n.createValue<g::SubOp>({}, {*hi, *lo});
  if (failed(range))
    return failure();
  FailureOr<Value> empty = n.createValue<g::EqualOp>({}, {*range, zero});
  if (failed(empty))
    return failure();
  FailureOr<Value> width =
      n.createValue<g::WhereOp>({}, {*empty, n.createScalar(f32, 1.0), *range});
  if (failed(width))
    return failure();
  FailureOr<Value> scale =
      n.createValue<g::DivOp>({}, {*width, n.createScalar(f32, 255.0)});
  if (failed(scale))
    return failure();
  // zero_point = round(clamp(0 - lo / scale, 0, 255)).
  FailureOr<Value> ratio = n.createValue<g::DivOp>({}, {*lo, *scale});
  if (failed(ratio))
    return failure();
  FailureOr<Value> initial = n.createValue<g::SubOp>({}, {zero, *ratio});
  if (failed(initial))
    return failure();
  FailureOr<Value> low = n.createValue<g::MaxOp>({}, {*initial, zero});
  if (failed(low))
    return failure();
  FailureOr<Value> clamped =
      n.createValue<g::MinOp>({}, {*low, n.createScalar(f32, 255.0)});
  if (failed(clamped))
    return failure();
  FailureOr<Value> rounded = n.createValue<g::RoundOp>({}, {*clamped});
  if (failed(rounded))
    return failure();
  FailureOr<Value> zeroPoint = castTo(n, *rounded, ui8);
  if (failed(zeroPoint))
    return failure();
  auto type = cast<RankedTensorType>(input->getType()).clone(ui8);
  FailureOr<Value> y =
      n.createValue<g::QuantizeOp>(type, {*input, *scale, *zeroPoint});
  if (failed(y))
    return failure();
  n.setOutput(0, *y);
  n.setOutput(1, *scale);
  n.setOutput(2, *zeroPoint);
  return success();
}

/// One scalar operand of QLinearMatMul (rank 0 or one element): per-row
/// and per-column scales are not supported.
FailureOr<Value> getScalarInput(NodeImporter &n, unsigned index) {
  Value value = n.getInput(index);
  if (!value)
    return value;
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() == 0)
    return value;
  // A 1-d one of dynamic size is reshaped too: the reshape checks it holds
  // one element when the model runs.
  if (type.getRank() != 1 || (!type.isDynamicDim(0) && type.getDimSize(0) != 1))
    return n.emitError() << "QLinearMatMul with per-axis scales or zero "
                            "points is not supported";
  return n.createValue<g::ReshapeOp>({}, {value, n.createI64Tensor({})});
}

/// `value` - `zeroPoint` in f32 (`value` alone without a zero point).
FailureOr<Value> centered(NodeImporter &n, Value value, Value zeroPoint) {
  Type f32 = Float32Type::get(n.getContext());
  FailureOr<Value> wide = castTo(n, value, f32);
  if (failed(wide) || !zeroPoint)
    return wide;
  FailureOr<Value> offset = castTo(n, zeroPoint, f32);
  if (failed(offset))
    return failure();
  return n.createValue<g::SubOp>({}, {*wide, *offset});
}

/// QLinearMatMul (10, 21 adds float8 types): see the file comment.
LogicalResult importQLinearMatMul(NodeImporter &n) {
  FailureOr<Value> a = n.getRequiredInput(0);
  FailureOr<Value> b = n.getRequiredInput(3);
  if (failed(a) || failed(b))
    return failure();
  SmallVector<Value> scalars;
  for (unsigned index : {1u, 2u, 4u, 5u, 6u, 7u}) {
    FailureOr<Value> value = getScalarInput(n, index);
    if (failed(value))
      return failure();
    scalars.push_back(*value);
  }
  Value aScale = scalars[0], aZero = scalars[1], bScale = scalars[2],
        bZero = scalars[3], yScale = scalars[4], yZero = scalars[5];
  if (!aScale || !bScale || !yScale)
    return n.emitError() << "QLinearMatMul requires a_scale, b_scale and "
                            "y_scale";
  for (Value value : {*a, *b})
    if (!isa<IntegerType>(elementTypeOf(value)))
      return n.emitError() << "QLinearMatMul on " << elementTypeOf(value)
                           << " is not supported";
  FailureOr<Value> lhs = centered(n, *a, aZero);
  FailureOr<Value> rhs = centered(n, *b, bZero);
  if (failed(lhs) || failed(rhs))
    return failure();
  FailureOr<Value> product = n.createValue<g::MatMulOp>({}, {*lhs, *rhs});
  if (failed(product))
    return failure();
  // The requantization factor, in the scales' type as the reference has it.
  FailureOr<Value> scales = n.createValue<g::MulOp>({}, {aScale, bScale});
  if (failed(scales))
    return failure();
  FailureOr<Value> factor = n.createValue<g::DivOp>({}, {*scales, yScale});
  if (failed(factor))
    return failure();
  Type f32 = Float32Type::get(n.getContext());
  FailureOr<Value> wideFactor = castTo(n, *factor, f32);
  if (failed(wideFactor))
    return failure();
  FailureOr<Value> scaled =
      n.createValue<g::MulOp>({}, {*product, *wideFactor});
  if (failed(scaled))
    return failure();
  Type resultType = yZero ? elementTypeOf(yZero) : elementTypeOf(*a);
  SmallVector<Value> operands = {*scaled, n.createScalar(f32, 1.0)};
  if (yZero)
    operands.push_back(yZero);
  auto type = cast<RankedTensorType>(scaled->getType()).clone(resultType);
  return n.createOutput<g::QuantizeOp>(operands, {}, type);
}

} // namespace

void registerQuantOps(OpTable &table) {
  table.add("QuantizeLinear", {10, 13, 19, 21, 23, 24, 25, 28},
            importQuantizeLinear);
  table.add("DequantizeLinear", {10, 13, 19, 21, 23, 24, 25, 28},
            importDequantizeLinear);
  table.add("DynamicQuantizeLinear", {11}, importDynamicQuantizeLinear);
  table.add("QLinearMatMul", {10, 21}, importQLinearMatMul);
}

} // namespace kiln::onnxfe
