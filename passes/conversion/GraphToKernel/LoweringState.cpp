//===- LoweringState.cpp - State of the graph -> kernel lowering -*- C++ -*-===//
//
// Buffers of graph values: allocs, views and weights.
//
//===----------------------------------------------------------------------===//

#include "passes/conversion/GraphToKernel/LoweringState.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Location.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::graph_to_kernel;

MemRefType kiln::graph_to_kernel::getBufferType(Type tensorType) {
  auto type = cast<RankedTensorType>(tensorType);
  return MemRefType::get(type.getShape(), type.getElementType());
}

LoweringState::LoweringState(func::FuncOp func)
    : builder(func.getContext()), entry(&func.getBody().front()) {
  builder.setInsertionPoint(entry->getTerminator());
}

void LoweringState::map(Value value, Value buffer) {
  mapping.map(value, buffer);
}

FailureOr<Value> LoweringState::getBuffer(Value value) {
  if (Value buffer = mapping.lookupOrNull(value))
    return buffer;
  auto constant = value.getDefiningOp<graph::ConstantOp>();
  if (!constant)
    return emitError(value.getLoc(), "value has no buffer: its producer was "
                                     "not lowered");
  Value weight = createWeight(constant, constant.getValue());
  mapping.map(value, weight);
  return weight;
}

Value LoweringState::createAlloc(Location loc, Type tensorType) {
  return kernel::AllocOp::create(builder, loc, getBufferType(tensorType),
                                 ValueRange());
}

/// The memref type of `dims` (constants are static dims) and the sizes of
/// its dynamic dims.
static MemRefType getDimsType(Type elementType, ArrayRef<Value> dims,
                              SmallVectorImpl<Value> &dynamicSizes) {
  SmallVector<int64_t> shape;
  for (Value dim : dims) {
    if (std::optional<int64_t> size = getConstantIntValue(dim)) {
      shape.push_back(*size);
      continue;
    }
    shape.push_back(ShapedType::kDynamic);
    dynamicSizes.push_back(dim);
  }
  return MemRefType::get(shape, elementType);
}

Value LoweringState::createAlloc(Location loc, Type elementType,
                                 ArrayRef<Value> dims) {
  SmallVector<Value> dynamicSizes;
  MemRefType type = getDimsType(elementType, dims, dynamicSizes);
  return kernel::AllocOp::create(builder, loc, type, dynamicSizes);
}

Value LoweringState::createView(Location loc, Value buffer,
                                ArrayRef<int64_t> shape) {
  auto type = cast<MemRefType>(buffer.getType());
  if (type.getShape() == shape)
    return buffer;
  auto viewType = MemRefType::get(shape, type.getElementType());
  return kernel::ViewOp::create(builder, loc, viewType, buffer, ValueRange());
}

Value LoweringState::createView(Location loc, Value buffer,
                                ArrayRef<Value> dims) {
  auto type = cast<MemRefType>(buffer.getType());
  SmallVector<Value> dynamicSizes;
  MemRefType viewType = getDimsType(type.getElementType(), dims, dynamicSizes);
  if (viewType == type && llvm::equal(getBufferDims(buffer), dims))
    return buffer;
  return kernel::ViewOp::create(builder, loc, viewType, buffer, dynamicSizes);
}

Value LoweringState::createResultBuffer(Value value,
                                        std::optional<ArrayRef<Value>> dims) {
  auto type = cast<RankedTensorType>(value.getType());
  Value buffer;
  if (type.hasStaticShape()) {
    buffer = createAlloc(value.getLoc(), type);
  } else if (dims) {
    buffer = createAlloc(value.getLoc(), type.getElementType(), *dims);
  } else {
    FailureOr<SmallVector<Value>> reified = reifyResultDims(value, *this);
    if (failed(reified))
      return Value();
    buffer = createAlloc(value.getLoc(), type.getElementType(), *reified);
  }
  map(value, buffer);
  return buffer;
}

/// The first name a location carries, looking into fused locations.
static std::optional<StringRef> getLocationName(Location loc) {
  if (auto named = dyn_cast<NameLoc>(loc))
    return named.getName().getValue();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::optional<StringRef> name = getLocationName(inner))
        return name;
  return std::nullopt;
}

std::string LoweringState::getUniqueWeightName(Operation *constant,
                                               ElementsAttr value) {
  std::string base = "constant";
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
    base = resource.getRawHandle().getKey().str();
  else if (std::optional<StringRef> name = getLocationName(constant->getLoc()))
    base = name->str();
  std::string name = base;
  for (unsigned suffix = 1; !weightNames.insert(name).second; ++suffix)
    name = base + "_" + std::to_string(suffix);
  return name;
}

Value LoweringState::createWeight(Operation *constant, ElementsAttr value,
                                  dist::SplitAttr split, Type blockType) {
  // Constants with one value (one resource) share one weight.
  std::pair<Attribute, Attribute> key(value, split);
  if (Value weight = weightsByValue.lookup(key))
    return weight;
  std::string name = getUniqueWeightName(constant, value);
  auto type = getBufferType(split ? blockType
                                  : constant->getResult(0).getType());
  OpBuilder weightBuilder(builder.getContext());
  if (lastWeight)
    weightBuilder.setInsertionPointAfter(lastWeight);
  else
    weightBuilder.setInsertionPointToStart(entry);
  auto weight = kernel::WeightOp::create(weightBuilder, constant->getLoc(),
                                         type, name, value, split);
  lastWeight = weight;
  weightsByValue[key] = weight;
  return weight;
}
