//===- GraphShapesCommon.h - Helpers of graph shape inference ---*- C++ -*-===//
//
// Operand accessors and checks shared by the inference functions of
// GraphShapes.cpp (elementwise, reductions, networks) and
// GraphShapesTensor.cpp (shapes and data movement). Private to the dialect.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_GRAPHSHAPESCOMMON_H
#define KILN_DIALECTS_GRAPH_GRAPHSHAPESCOMMON_H

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

#include "kernels/common/Checked.h"

#include "llvm/ADT/SmallSet.h"

namespace kiln::graph::shapes {

using namespace mlir;

using Components = SmallVectorImpl<ShapedTypeComponents>;

inline constexpr int64_t kDynamic = ShapedType::kDynamic;

inline RankedTensorType tensorTypeOf(Value value) {
  return llvm::cast<RankedTensorType>(value.getType());
}
inline ArrayRef<int64_t> shapeOf(Value value) {
  return tensorTypeOf(value).getShape();
}
inline int64_t rankOf(Value value) { return tensorTypeOf(value).getRank(); }
inline Type elementTypeOf(Value value) {
  return tensorTypeOf(value).getElementType();
}

/// The number of entries of a 1-d operand, kDynamic when unknown.
inline int64_t lengthOf(Value value) {
  ArrayRef<int64_t> shape = shapeOf(value);
  return shape.size() == 1 ? shape[0] : kDynamic;
}

/// Product of static dims, std::nullopt when one is dynamic or the product
/// overflows (a result of such a shape is then refused by
/// inferResultComponents).
inline std::optional<int64_t> staticProduct(ArrayRef<int64_t> dims) {
  int64_t product = 1;
  for (int64_t dim : dims) {
    if (ShapedType::isDynamic(dim) || !checkedMul(product, dim, product))
      return std::nullopt;
  }
  return product;
}

/// Checks that `value` is a 1-d list with one entry per dim of some tensor
/// (a shape, slice bounds, repeats): at most kMaxRank entries.
inline LogicalResult requireRank1(std::optional<Location> location, Value value,
                                  StringRef what) {
  if (rankOf(value) != 1)
    return emitOptionalError(location, what, " must be a 1-d tensor, got rank ",
                             rankOf(value));
  int64_t length = lengthOf(value);
  if (!ShapedType::isDynamic(length) && length > kMaxRank)
    return emitOptionalError(location, what, " has ", length,
                             " entries, more than the largest rank (",
                             kMaxRank, ")");
  return success();
}

inline LogicalResult requireScalar(std::optional<Location> location,
                                   Value value, StringRef what) {
  ArrayRef<int64_t> shape = shapeOf(value);
  std::optional<int64_t> count = staticProduct(shape);
  if (shape.size() > 1 || (count && *count != 1))
    return emitOptionalError(location, what,
                             " must be a scalar (rank 0 or one element)");
  return success();
}

inline LogicalResult checkAxis(std::optional<Location> location, int64_t axis,
                               int64_t rank, StringRef what = "axis") {
  if (!isValidAxis(axis, rank))
    return emitOptionalError(location, what, " ", axis, " is out of range [",
                             -rank, ", ", rank, ")");
  return success();
}

/// Checks `axis` against `rank` and returns it normalized to [0, rank).
inline FailureOr<int64_t> resolveAxis(std::optional<Location> location,
                                      int64_t axis, int64_t rank) {
  if (failed(checkAxis(location, axis, rank)))
    return failure();
  return normalizeAxis(axis, rank);
}

/// Normalizes `axes` against `rank`; fails on an out-of-range or repeated
/// axis.
inline FailureOr<SmallVector<int64_t>>
normalizeAxes(std::optional<Location> location, ArrayRef<int64_t> axes,
              int64_t rank) {
  SmallVector<int64_t> result;
  llvm::SmallSet<int64_t, 8> seen;
  for (int64_t axis : axes) {
    FailureOr<int64_t> normalized = resolveAxis(location, axis, rank);
    if (failed(normalized))
      return failure();
    if (!seen.insert(*normalized).second)
      return emitOptionalError(location, "axis ", axis, " is repeated");
    result.push_back(*normalized);
  }
  return result;
}

} // namespace kiln::graph::shapes

#endif // KILN_DIALECTS_GRAPH_GRAPHSHAPESCOMMON_H
