//===- DistDialect.cpp - Kiln dist dialect ----------------------*- C++ -*-===//
//
// Registration of the dist dialect, its split attribute and its ops, and
// their verifiers: a block type is the whole type with the split dim
// divided by the number of parts.
//
//===----------------------------------------------------------------------===//

#include "dialects/dist/DistDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace kiln::dist;

#include "dialects/dist/DistDialect.cpp.inc"
#include "dialects/dist/DistEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/dist/DistAttrs.cpp.inc"

#define GET_OP_CLASSES
#include "dialects/dist/DistOps.cpp.inc"

void DistDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/dist/DistAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "dialects/dist/DistOps.cpp.inc"
      >();
}

LogicalResult SplitAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                Axis axis, int64_t dim, int64_t parts,
                                int64_t outer, int64_t inner) {
  if (dim < 0)
    return emitError() << "split dim " << dim << " is negative";
  if (parts < 1 || outer < 1 || inner < 1)
    return emitError() << "split parts, outer and inner must be positive";
  return success();
}

FailureOr<RankedTensorType> kiln::dist::getBlockType(RankedTensorType whole,
                                                     SplitAttr split,
                                                     std::string &message) {
  int64_t dim = split.getDim();
  if (dim >= whole.getRank()) {
    message = "split dim " + std::to_string(dim) + " is out of range for rank " +
              std::to_string(whole.getRank());
    return failure();
  }
  int64_t size = whole.getDimSize(dim);
  int64_t around = split.getOuter() * split.getInner();
  if (ShapedType::isDynamic(size) || size % around != 0 ||
      (size / around) % split.getParts() != 0) {
    message = "dim " + std::to_string(dim) + " of size " +
              std::to_string(size) + " is not outer " +
              std::to_string(split.getOuter()) + " x a multiple of " +
              std::to_string(split.getParts()) + " parts x inner " +
              std::to_string(split.getInner());
    return failure();
  }
  SmallVector<int64_t> shape(whole.getShape());
  shape[dim] = size / split.getParts();
  return RankedTensorType::get(shape, whole.getElementType());
}

/// Checks that `block` is this rank's block of `whole` under `split`.
static LogicalResult verifyBlock(Operation *op, RankedTensorType whole,
                                 RankedTensorType block, SplitAttr split) {
  std::string message;
  FailureOr<RankedTensorType> expected = getBlockType(whole, split, message);
  if (failed(expected))
    return op->emitOpError() << message;
  if (*expected != block)
    return op->emitOpError() << "block type " << block << " should be "
                             << *expected << " for " << split;
  return success();
}

LogicalResult ShardOp::verify() {
  return verifyBlock(*this, getInput().getType(), getOutput().getType(),
                     getSplit());
}

LogicalResult AllGatherOp::verify() {
  return verifyBlock(*this, getOutput().getType(), getInput().getType(),
                     getSplit());
}

LogicalResult AllReduceOp::verify() {
  if (getParts() < 1)
    return emitOpError() << "parts must be positive";
  return success();
}
