//===- GraphShapesGatherScatter.cpp - Shapes of gathers and scatters ------===//
//
// inferReturnTypeComponents of the ops that move elements by index
// tensors: gather_elements and gather_nd shape their result after the
// indices, scatter_elements and scatter_nd keep the input's shape and check
// that the updates fit the indices. Dims that are `?` are not compared.
//
//===----------------------------------------------------------------------===//

#include "dialects/graph/GraphShapesCommon.h"

using namespace mlir;

namespace kiln::graph {

using namespace shapes;

namespace {

bool isScatterReduction(StringRef reduction) {
  return llvm::is_contained({"none", "add", "mul", "max", "min"}, reduction);
}

/// Checks that dim `d` of `what` (size `size`) can equal `expected`.
LogicalResult requireDim(std::optional<Location> location, StringRef what,
                         int64_t d, int64_t size, int64_t expected) {
  if (joinDims(size, expected))
    return success();
  return emitOptionalError(location, what, " dim ", d, " is ", size,
                           ", expected ", expected);
}

/// indices of the input's rank whose dims other than `axis` are at most the
/// input's; returns the normalized axis.
FailureOr<int64_t> checkElementsIndices(std::optional<Location> location,
                                        Value input, Value indices,
                                        int64_t axis) {
  int64_t rank = rankOf(input);
  if (rank == 0)
    return emitOptionalError(location, "input must have rank >= 1");
  FailureOr<int64_t> resolved = resolveAxis(location, axis, rank);
  if (failed(resolved))
    return failure();
  if (rankOf(indices) != rank)
    return emitOptionalError(location, "indices have rank ", rankOf(indices),
                             ", expected the input's rank ", rank);
  for (int64_t d = 0; d < rank; ++d) {
    int64_t size = shapeOf(indices)[d], limit = shapeOf(input)[d];
    if (d != *resolved && !ShapedType::isDynamic(size) &&
        !ShapedType::isDynamic(limit) && size > limit)
      return emitOptionalError(location, "indices dim ", d, " is ", size,
                               ", larger than the input's ", limit);
  }
  return resolved;
}

/// `updates` has the input's element type and the shape `expected`.
LogicalResult checkUpdates(std::optional<Location> location, Value input,
                           Value updates, ArrayRef<int64_t> expected) {
  if (elementTypeOf(updates) != elementTypeOf(input))
    return emitOptionalError(location, "updates have element type ",
                             elementTypeOf(updates), ", expected ",
                             elementTypeOf(input));
  if (rankOf(updates) != static_cast<int64_t>(expected.size()))
    return emitOptionalError(location, "updates have rank ", rankOf(updates),
                             ", expected ", expected.size());
  for (auto [d, size] : llvm::enumerate(shapeOf(updates)))
    if (failed(requireDim(location, "updates", d, size, expected[d])))
      return failure();
  return success();
}

/// The shape indices.shape[:-1] + input.shape[batchDims + k:] of gather_nd's
/// result (and scatter_nd's updates).
FailureOr<SmallVector<int64_t>>
getNdSlicedShape(std::optional<Location> location, Value input, Value indices,
                 int64_t batchDims) {
  ArrayRef<int64_t> data = shapeOf(input), index = shapeOf(indices);
  int64_t rank = data.size(), indexRank = index.size();
  if (rank < 1 || indexRank < 1)
    return emitOptionalError(location, "input and indices must have rank >= 1");
  if (batchDims < 0 || batchDims >= std::min(rank, indexRank))
    return emitOptionalError(location, "batch_dims ", batchDims,
                             " must be in [0, ", std::min(rank, indexRank),
                             ")");
  int64_t k = index.back();
  if (ShapedType::isDynamic(k))
    return emitOptionalError(location, "the last dim of indices must be "
                                       "static: it decides the result rank");
  if (k < 1 || batchDims + k > rank)
    return emitOptionalError(location, "index tuples of ", k, " entries after ",
                             batchDims, " batch dims do not fit rank ", rank);
  for (int64_t d = 0; d < batchDims; ++d)
    if (failed(requireDim(location, "indices", d, index[d], data[d])))
      return failure();
  SmallVector<int64_t> dims(index.drop_back());
  llvm::append_range(dims, data.drop_front(batchDims + k));
  return dims;
}

} // namespace

LogicalResult GatherElementsOp::inferReturnTypeComponents(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    Components &inferred) {
  if (failed(checkElementsIndices(location, adaptor.getInput(),
                                  adaptor.getIndices(), adaptor.getAxis())))
    return failure();
  inferred.emplace_back(shapeOf(adaptor.getIndices()),
                        elementTypeOf(adaptor.getInput()));
  return success();
}

LogicalResult ScatterElementsOp::inferReturnTypeComponents(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    Components &inferred) {
  if (!isScatterReduction(adaptor.getReduction()))
    return emitOptionalError(location, "unknown reduction '",
                             adaptor.getReduction(), "'");
  if (failed(checkElementsIndices(location, adaptor.getInput(),
                                  adaptor.getIndices(), adaptor.getAxis())) ||
      failed(checkUpdates(location, adaptor.getInput(), adaptor.getUpdates(),
                          shapeOf(adaptor.getIndices()))))
    return failure();
  return inferSameShape(location, adaptor.getInput(), inferred);
}

LogicalResult
GatherNDOp::inferReturnTypeComponents(MLIRContext *,
                                      std::optional<Location> location,
                                      Adaptor adaptor, Components &inferred) {
  FailureOr<SmallVector<int64_t>> dims =
      getNdSlicedShape(location, adaptor.getInput(), adaptor.getIndices(),
                       adaptor.getBatchDims());
  if (failed(dims))
    return failure();
  inferred.emplace_back(*dims, elementTypeOf(adaptor.getInput()));
  return success();
}

LogicalResult
ScatterNDOp::inferReturnTypeComponents(MLIRContext *,
                                       std::optional<Location> location,
                                       Adaptor adaptor, Components &inferred) {
  if (!isScatterReduction(adaptor.getReduction()))
    return emitOptionalError(location, "unknown reduction '",
                             adaptor.getReduction(), "'");
  FailureOr<SmallVector<int64_t>> updates =
      getNdSlicedShape(location, adaptor.getInput(), adaptor.getIndices(), 0);
  if (failed(updates) || failed(checkUpdates(location, adaptor.getInput(),
                                             adaptor.getUpdates(), *updates)))
    return failure();
  return inferSameShape(location, adaptor.getInput(), inferred);
}

} // namespace kiln::graph
