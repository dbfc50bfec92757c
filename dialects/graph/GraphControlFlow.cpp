//===- GraphControlFlow.cpp - If, Loop and Scan ---------------------------===//
//
// Verifiers and result inference of the control-flow ops: results follow
// from the types the regions yield and the types carried values start with.
// Every check tolerates a malformed region (a missing terminator, the wrong
// number of block arguments), since models are untrusted.
//
//===----------------------------------------------------------------------===//

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;

namespace kiln::graph {
namespace {

/// The graph.yield ending `region`; null when it has none.
YieldOp getYield(Region &region) {
  if (region.empty() || region.front().empty())
    return {};
  return dyn_cast<YieldOp>(region.front().back());
}

/// Whether `value`'s type has exactly one element (a condition).
bool isSingleElement(Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  return ranked && ranked.hasStaticShape() && ranked.getNumElements() == 1;
}

/// The more refined of two compatible ranked types (static dims of either);
/// null when they differ in element type, rank or a static dim.
RankedTensorType joinTypes(Type lhs, Type rhs) {
  auto a = dyn_cast<RankedTensorType>(lhs);
  auto b = dyn_cast<RankedTensorType>(rhs);
  if (!a || !b || a.getElementType() != b.getElementType() ||
      a.getRank() != b.getRank())
    return {};
  SmallVector<int64_t> dims;
  for (auto [x, y] : llvm::zip_equal(a.getShape(), b.getShape())) {
    std::optional<int64_t> dim = joinDims(x, y);
    if (!dim)
      return {};
    dims.push_back(*dim);
  }
  return RankedTensorType::get(dims, a.getElementType());
}

/// `element` stacked `count` times along a new first dim.
ShapedTypeComponents stack(int64_t count, Type element) {
  auto type = cast<RankedTensorType>(element);
  SmallVector<int64_t> dims{count};
  llvm::append_range(dims, type.getShape());
  return ShapedTypeComponents(dims, type.getElementType());
}

/// Checks that the carried values of a body (block arguments from
/// `firstArg`, yield operands from `firstYield`) keep the types `inits`
/// give them.
LogicalResult verifyCarried(Operation *op, Block &body, unsigned firstArg,
                            YieldOp yield, unsigned firstYield,
                            ValueRange inits) {
  for (auto [i, init] : llvm::enumerate(inits)) {
    Type arg = body.getArgument(firstArg + i).getType();
    if (!joinTypes(init.getType(), arg))
      return op->emitOpError("carried value #")
             << i << " of type " << init.getType() << " enters the body as "
             << arg;
    Type next = yield.getOperand(firstYield + i).getType();
    if (!joinTypes(arg, next))
      return op->emitOpError("carried value #")
             << i << " changes type from " << arg << " to " << next
             << " in one iteration (shapes that change between iterations "
                "are not supported)";
  }
  return success();
}

/// Gives `arg` the join of its type and `type` where they are compatible.
int64_t refineArgument(BlockArgument arg, Type type) {
  RankedTensorType joined = joinTypes(arg.getType(), type);
  if (!joined || joined == arg.getType())
    return 0;
  arg.setType(joined);
  return 1;
}

} // namespace

int64_t refineBodyArgumentTypes(Operation *op) {
  int64_t refined = 0;
  if (auto loop = dyn_cast<LoopOp>(op)) {
    Block &body = loop.getBody().front();
    if (body.getNumArguments() != 2 + loop.getNumCarried())
      return 0;
    for (auto [i, init] : llvm::enumerate(loop.getInits()))
      refined += refineArgument(body.getArgument(2 + i), init.getType());
    return refined;
  }
  auto scan = dyn_cast<ScanOp>(op);
  if (!scan)
    return 0;
  Block &body = scan.getBody().front();
  unsigned numStates = scan.getNumStates();
  if (body.getNumArguments() != scan.getInputs().size())
    return 0;
  for (auto [i, init] : llvm::enumerate(scan.getInits()))
    refined += refineArgument(body.getArgument(i), init.getType());
  for (auto [i, input] : llvm::enumerate(scan.getScanInputs())) {
    auto type = cast<RankedTensorType>(input.getType());
    if (type.getRank() < 1)
      continue;
    refined +=
        refineArgument(body.getArgument(numStates + i),
                       RankedTensorType::get(type.getShape().drop_front(),
                                             type.getElementType()));
  }
  return refined;
}

//===----------------------------------------------------------------------===//
// IfOp
//===----------------------------------------------------------------------===//

LogicalResult IfOp::inferReturnTypeComponents(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<ShapedTypeComponents> &inferred) {
  YieldOp thenYield = getYield(*adaptor.getRegions()[0]);
  YieldOp elseYield = getYield(*adaptor.getRegions()[1]);
  if (!thenYield || !elseYield)
    return emitOptionalError(location, "each branch must end in graph.yield");
  if (thenYield.getNumOperands() != elseYield.getNumOperands())
    return emitOptionalError(location, "the branches yield ",
                             thenYield.getNumOperands(), " and ",
                             elseYield.getNumOperands(), " values");
  for (auto [i, thenValue, elseValue] :
       llvm::enumerate(thenYield.getOperands(), elseYield.getOperands())) {
    RankedTensorType joined =
        joinTypes(thenValue.getType(), elseValue.getType());
    if (!joined)
      return emitOptionalError(location, "output #", i, " is ",
                               thenValue.getType(), " in the then branch and ",
                               elseValue.getType(), " in the else branch");
    inferred.emplace_back(joined.getShape(), joined.getElementType());
  }
  return success();
}

LogicalResult IfOp::verify() {
  if (!isSingleElement(getCond().getType()))
    return emitOpError("condition must hold one element, got ")
           << getCond().getType();
  return success();
}

//===----------------------------------------------------------------------===//
// LoopOp
//===----------------------------------------------------------------------===//

/// The trip count of `loop` when it is known: a constant maximum and no
/// condition, or one that starts true and that the body passes on.
static std::optional<int64_t> getConstantTripCount(Value maxTripCount,
                                                   Value cond, Region &body) {
  if (!maxTripCount)
    return std::nullopt;
  std::optional<SmallVector<int64_t>> count =
      getConstantIntValues(maxTripCount);
  if (!count || count->size() != 1 || (*count)[0] < 0)
    return std::nullopt;
  if (cond) {
    std::optional<SmallVector<int64_t>> initial = getConstantIntValues(cond);
    YieldOp yield = getYield(body);
    if (!initial || initial->size() != 1 || (*initial)[0] == 0 || !yield ||
        yield.getNumOperands() == 0 || body.front().getNumArguments() < 2 ||
        yield.getOperand(0) != body.front().getArgument(1))
      return std::nullopt;
  }
  return (*count)[0];
}

LogicalResult LoopOp::inferReturnTypeComponents(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<ShapedTypeComponents> &inferred) {
  Region &body = *adaptor.getRegions()[0];
  YieldOp yield = getYield(body);
  if (!yield)
    return emitOptionalError(location, "the body must end in graph.yield");
  ValueRange inits = adaptor.getInits();
  if (yield.getNumOperands() < 1 + inits.size())
    return emitOptionalError(location, "the body yields ",
                             yield.getNumOperands(), " values, expected 1 + ",
                             inits.size(), " carried + scan outputs");
  for (Value init : inits) {
    auto type = cast<RankedTensorType>(init.getType());
    inferred.emplace_back(type.getShape(), type.getElementType());
  }
  std::optional<int64_t> count =
      getConstantTripCount(adaptor.getMaxTripCount(), adaptor.getCond(), body);
  for (Value element : yield.getOperands().drop_front(1 + inits.size()))
    inferred.push_back(
        stack(count ? *count : ShapedType::kDynamic, element.getType()));
  return success();
}

LogicalResult LoopOp::verify() {
  if (Value count = getMaxTripCount();
      count && !isSingleElement(count.getType()))
    return emitOpError("max_trip_count must hold one element, got ")
           << count.getType();
  if (Value cond = getCond(); cond && !isSingleElement(cond.getType()))
    return emitOpError("cond must hold one element, got ") << cond.getType();
  Block &body = getBody().front();
  unsigned numCarried = getNumCarried();
  if (body.getNumArguments() != 2 + numCarried)
    return emitOpError("body takes ")
           << body.getNumArguments() << " arguments, expected 2 + "
           << numCarried << " carried";
  auto iterType = dyn_cast<RankedTensorType>(body.getArgument(0).getType());
  if (!iterType || iterType.getRank() != 0 ||
      !iterType.getElementType().isSignlessInteger(64))
    return emitOpError("the iteration number must be tensor<i64>, got ")
           << body.getArgument(0).getType();
  Type condType = body.getArgument(1).getType();
  if (!isSingleElement(condType) ||
      !getElementTypeOrSelf(condType).isInteger(1))
    return emitOpError("the body's condition must be one i1, got ") << condType;
  YieldOp yield = getYield(getBody());
  if (!yield)
    return emitOpError("the body must end in graph.yield");
  if (yield.getNumOperands() != 1 + getOutputs().size())
    return emitOpError("the body yields ")
           << yield.getNumOperands() << " values, expected 1 + "
           << getOutputs().size() << " results";
  Type nextCond = yield.getOperand(0).getType();
  if (!isSingleElement(nextCond) ||
      !getElementTypeOrSelf(nextCond).isInteger(1))
    return emitOpError("the body must yield a condition of one i1, got ")
           << nextCond;
  return verifyCarried(*this, body, 2, yield, 1, getInits());
}

//===----------------------------------------------------------------------===//
// ScanOp
//===----------------------------------------------------------------------===//

bool ScanOp::isInputReversed(unsigned i) {
  std::optional<ArrayRef<int64_t>> directions = getScanInputDirections();
  return directions && i < directions->size() && (*directions)[i] == 1;
}

bool ScanOp::isOutputReversed(unsigned i) {
  std::optional<ArrayRef<int64_t>> directions = getScanOutputDirections();
  return directions && i < directions->size() && (*directions)[i] == 1;
}

LogicalResult ScanOp::inferReturnTypeComponents(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<ShapedTypeComponents> &inferred) {
  YieldOp yield = getYield(*adaptor.getRegions()[0]);
  if (!yield)
    return emitOptionalError(location, "the body must end in graph.yield");
  ValueRange inputs = adaptor.getInputs();
  int64_t numScanInputs = adaptor.getNumScanInputs();
  if (numScanInputs < 1 || numScanInputs > static_cast<int64_t>(inputs.size()))
    return emitOptionalError(location, "num_scan_inputs is ", numScanInputs,
                             " for ", inputs.size(), " inputs");
  ValueRange inits = inputs.drop_back(numScanInputs);
  if (yield.getNumOperands() < inits.size())
    return emitOptionalError(location, "the body yields ",
                             yield.getNumOperands(), " values for ",
                             inits.size(), " states");
  // T: dim 0 of the scan inputs, which must agree.
  int64_t length = ShapedType::kDynamic;
  for (Value input : inputs.take_back(numScanInputs)) {
    auto type = cast<RankedTensorType>(input.getType());
    if (type.getRank() < 1)
      return emitOptionalError(location, "scan input of type ", type,
                               " has no dim to scan");
    std::optional<int64_t> joined = joinDims(length, type.getDimSize(0));
    if (!joined)
      return emitOptionalError(location,
                               "the scan inputs have different lengths");
    length = *joined;
  }
  for (Value init : inits) {
    auto type = cast<RankedTensorType>(init.getType());
    inferred.emplace_back(type.getShape(), type.getElementType());
  }
  for (Value element : yield.getOperands().drop_front(inits.size()))
    inferred.push_back(stack(length, element.getType()));
  return success();
}

LogicalResult ScanOp::verify() {
  unsigned numScanInputs = getNumScanInputs();
  unsigned numStates = getNumStates();
  unsigned numScanOutputs = getOutputs().size() - numStates;
  auto checkDirections = [&](std::optional<ArrayRef<int64_t>> directions,
                             unsigned count, StringRef what) -> LogicalResult {
    if (!directions)
      return success();
    if (directions->size() != count)
      return emitOpError() << what << " has " << directions->size()
                           << " entries for " << count << " scans";
    if (llvm::any_of(*directions, [](int64_t d) { return d != 0 && d != 1; }))
      return emitOpError() << what << " must hold 0 or 1";
    return success();
  };
  if (failed(checkDirections(getScanInputDirections(), numScanInputs,
                             "scan_input_directions")) ||
      failed(checkDirections(getScanOutputDirections(), numScanOutputs,
                             "scan_output_directions")))
    return failure();
  Block &body = getBody().front();
  if (body.getNumArguments() != numStates + numScanInputs)
    return emitOpError("body takes ")
           << body.getNumArguments() << " arguments, expected " << numStates
           << " states + " << numScanInputs << " scan inputs";
  YieldOp yield = getYield(getBody());
  if (!yield)
    return emitOpError("the body must end in graph.yield");
  if (yield.getNumOperands() != getOutputs().size())
    return emitOpError("the body yields ")
           << yield.getNumOperands() << " values for " << getOutputs().size()
           << " results";
  for (auto [i, input] : llvm::enumerate(getScanInputs())) {
    auto type = cast<RankedTensorType>(input.getType());
    if (type.getRank() < 1)
      return emitOpError("scan input #") << i << " has no dim to scan";
    auto slice = RankedTensorType::get(type.getShape().drop_front(),
                                       type.getElementType());
    Type arg = body.getArgument(numStates + i).getType();
    if (!joinTypes(slice, arg))
      return emitOpError("scan input #")
             << i << " of type " << type << " enters the body as " << arg;
  }
  return verifyCarried(*this, body, 0, yield, 0, getInits());
}

} // namespace kiln::graph
