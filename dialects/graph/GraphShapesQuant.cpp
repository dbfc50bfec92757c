//===- GraphShapesQuant.cpp - Inference and verifiers of quantize ops ----===//
//
// graph.quantize and graph.dequantize have their input's shape; the scale
// and zero point must broadcast to it without widening it. The verifiers
// check the element types, which inference (that never sees the result
// type) cannot.
//
//===----------------------------------------------------------------------===//

#include "dialects/graph/GraphShapesCommon.h"

using namespace mlir;

namespace kiln::graph {

using namespace shapes;

namespace {

/// Checks that `operand` (the scale or zero point) broadcasts to `input`'s
/// shape and infers that shape.
LogicalResult inferQuantShape(std::optional<Location> location, Value input,
                              Value scale, Value zeroPoint,
                              Components &inferred) {
  for (auto [operand, what] : {std::make_pair(scale, "scale"),
                               std::make_pair(zeroPoint, "zero point")}) {
    if (!operand)
      continue;
    FailureOr<SmallVector<int64_t>> shape =
        broadcastShapes(shapeOf(input), shapeOf(operand));
    if (failed(shape) || shape->size() != shapeOf(input).size() ||
        llvm::any_of(llvm::zip_equal(*shape, shapeOf(input)), [](auto pair) {
          auto [joined, dim] = pair;
          return !ShapedType::isDynamic(dim) && joined != dim;
        }))
      return emitOptionalError(location, "the ", what,
                               " does not broadcast to the input");
  }
  inferred.emplace_back(shapeOf(input));
  return success();
}

/// An element type that holds quantized values: an integer of 2 to 32 bits
/// or a float of at most 8.
bool isQuantizedType(Type type) {
  if (auto intType = dyn_cast<IntegerType>(type))
    return intType.getWidth() >= 2 && intType.getWidth() <= 32;
  return isa<FloatType>(type) && type.getIntOrFloatBitWidth() <= 8;
}

/// A float that scales quantized values: f16, bf16, f32 or f64.
bool isScaleType(Type type) {
  return isa<FloatType>(type) && type.getIntOrFloatBitWidth() >= 16;
}

} // namespace

LogicalResult
QuantizeOp::inferReturnTypeComponents(MLIRContext *,
                                      std::optional<Location> location,
                                      Adaptor adaptor, Components &inferred) {
  return inferQuantShape(location, adaptor.getInput(), adaptor.getScale(),
                         adaptor.getZeroPoint(), inferred);
}

LogicalResult QuantizeOp::verify() {
  Type inputType = getInput().getType().getElementType();
  Type outputType = getOutput().getType().getElementType();
  if (!isScaleType(inputType))
    return emitOpError("input element type ")
           << inputType << " is not a float of 16 bits or more";
  if (elementTypeOf(getScale()) != inputType)
    return emitOpError("scale element type ")
           << elementTypeOf(getScale()) << " differs from the input's "
           << inputType;
  if (!isQuantizedType(outputType) || outputType.getIntOrFloatBitWidth() > 16)
    return emitOpError("result element type ")
           << outputType << " is not a quantized type";
  if (getZeroPoint() && elementTypeOf(getZeroPoint()) != outputType)
    return emitOpError("zero point element type ")
           << elementTypeOf(getZeroPoint()) << " differs from the result's "
           << outputType;
  return success();
}

LogicalResult
DequantizeOp::inferReturnTypeComponents(MLIRContext *,
                                        std::optional<Location> location,
                                        Adaptor adaptor, Components &inferred) {
  return inferQuantShape(location, adaptor.getInput(), adaptor.getScale(),
                         adaptor.getZeroPoint(), inferred);
}

LogicalResult DequantizeOp::verify() {
  Type inputType = getInput().getType().getElementType();
  Type outputType = getOutput().getType().getElementType();
  if (!isQuantizedType(inputType))
    return emitOpError("input element type ")
           << inputType << " is not a quantized type";
  if (!isScaleType(elementTypeOf(getScale())))
    return emitOpError("scale element type ")
           << elementTypeOf(getScale()) << " is not a float of 16 bits or more";
  if (getZeroPoint() && elementTypeOf(getZeroPoint()) != inputType)
    return emitOpError("zero point element type ")
           << elementTypeOf(getZeroPoint()) << " differs from the input's "
           << inputType;
  if (!isScaleType(outputType))
    return emitOpError("result element type ")
           << outputType << " is not a float of 16 bits or more";
  return success();
}

} // namespace kiln::graph
