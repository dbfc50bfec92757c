//===- WeightData.cpp - The bytes of a model's weights ----------*- C++ -*-===//
//
// Every kernel.weight holds its value as a dense_resource blob or a dense
// attribute; weights.safetensors stores them row-major, little-endian, i1 as
// one byte per element. Dense attributes store splats once and i1 as bits,
// so they are expanded here.
//
//===----------------------------------------------------------------------===//

#include "passes/codegen/Codegen.h"
#include "passes/codegen/EmitCommon.h"
#include "passes/codegen/ModelSignature.h"

#include "dialects/kernel/KernelOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

namespace kiln {
namespace {

/// The bytes of the weight's whole value (all blocks of a split weight).
FailureOr<std::vector<char>> getWeightBytes(kernel::WeightOp op) {
  auto type = cast<ShapedType>(op.getValue().getType());
  Type elementType = type.getElementType();
  int64_t numElements = type.getNumElements();
  int64_t elementBytes = codegen::getElementBytes(elementType);
  size_t expected = static_cast<size_t>(numElements * elementBytes);
  ElementsAttr value = op.getValue();

  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return op.emitError("weight '")
             << op.getName() << "' has no data: its resource blob is missing";
    ArrayRef<char> data = blob->getData();
    if (data.size() != expected)
      return op.emitError("weight '")
             << op.getName() << "' holds " << data.size() << " bytes, " << type
             << " needs " << expected;
    return std::vector<char>(data.begin(), data.end());
  }

  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense)
    return op.emitError("weight '")
           << op.getName() << "' is neither dense nor dense_resource";
  if (dense.getNumElements() != numElements)
    return op.emitError("weight '")
           << op.getName() << "' holds " << dense.getNumElements()
           << " elements, " << type << " needs " << numElements;
  std::vector<char> bytes;
  bytes.reserve(expected);
  if (elementType.isInteger(1)) {
    for (bool bit : dense.getValues<bool>())
      bytes.push_back(bit ? 1 : 0);
    return bytes;
  }
  ArrayRef<char> raw = dense.getRawData();
  if (dense.isSplat()) {
    for (int64_t i = 0; i < numElements; ++i)
      bytes.insert(bytes.end(), raw.begin(), raw.begin() + elementBytes);
    return bytes;
  }
  if (raw.size() != expected)
    return op.emitError("weight '")
           << op.getName() << "' holds " << raw.size() << " bytes, " << type
           << " needs " << expected;
  bytes.assign(raw.begin(), raw.end());
  return bytes;
}

} // namespace

FailureOr<std::vector<WeightData>> collectWeights(ModuleOp module) {
  FailureOr<SmallVector<codegen::ModelSignature>> entries =
      codegen::getModelSignatures(module);
  if (failed(entries))
    return failure();
  FailureOr<codegen::EntryWeights> entryWeights =
      codegen::collectEntryWeights(*entries);
  if (failed(entryWeights))
    return failure();
  std::vector<WeightData> weights;
  for (kernel::WeightOp op : entryWeights->weights) {
    auto type = cast<MemRefType>(op.getType());
    std::optional<int32_t> dtype = codegen::getOnnxDType(type.getElementType());
    if (!dtype)
      return op.emitError("weight '")
             << op.getName() << "' has element type " << type.getElementType()
             << ", which safetensors files of Kiln cannot hold";
    FailureOr<std::vector<char>> bytes = getWeightBytes(op);
    if (failed(bytes))
      return failure();
    std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
    dist::SplitAttr split = op.getSplitAttr();
    if (!split) {
      weights.push_back(
          WeightData{op.getName().str(), *dtype, shape, std::move(*bytes)});
      continue;
    }
    // Each coordinate's block, as "<name>@<c>": the whole value is
    // [before][outer][parts][block][after] along the split dim.
    int64_t elementBytes = codegen::getElementBytes(type.getElementType());
    int64_t before = split.getOuter(), after = split.getInner();
    for (int64_t d = 0; d < split.getDim(); ++d)
      before *= shape[d];
    for (int64_t d = split.getDim() + 1; d < type.getRank(); ++d)
      after *= shape[d];
    // shape is the block's: its split dim holds outer x factor/parts x inner.
    int64_t run = shape[split.getDim()] /
                  (split.getOuter() * split.getInner()) * after * elementBytes;
    for (int64_t c = 0; c < split.getParts(); ++c) {
      std::vector<char> block;
      block.reserve(before * run);
      for (int64_t o = 0; o < before; ++o) {
        auto start = bytes->begin() + (o * split.getParts() + c) * run;
        block.insert(block.end(), start, start + run);
      }
      weights.push_back(WeightData{op.getName().str() + "@" + std::to_string(c),
                                   *dtype, shape, std::move(block)});
    }
  }
  return weights;
}

} // namespace kiln
