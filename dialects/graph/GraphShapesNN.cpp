//===- GraphShapesNN.cpp - Shape inference of exported network ops -------===//
//
// inferReturnTypeComponents of the network ops that exported models add to
// the core set: top_k, conv_transpose, resize, instance_norm. As in
// GraphShapes.cpp, inference also checks operands and attributes (it is the
// verifier), and shape-like operands (k, sizes, scales) are read when they
// are `graph.constant`; otherwise the dims they decide are `?`.
//
//===----------------------------------------------------------------------===//

#include "dialects/graph/GraphShapesCommon.h"

using namespace mlir;

namespace kiln::graph {

using namespace shapes;

//===----------------------------------------------------------------------===//
// top_k
//===----------------------------------------------------------------------===//

/// (..., D, ...) -> (..., k, ...) twice: the values and their i64 indices.
LogicalResult
TopKOp::inferReturnTypeComponents(MLIRContext *context,
                                  std::optional<Location> location,
                                  Adaptor adaptor, Components &inferred) {
  Value input = adaptor.getInput(), k = adaptor.getK();
  if (failed(requireScalar(location, k, "k")))
    return failure();
  FailureOr<int64_t> axis =
      resolveAxis(location, static_cast<int64_t>(adaptor.getAxis()), rankOf(input));
  if (failed(axis))
    return failure();
  SmallVector<int64_t> dims(shapeOf(input));
  int64_t size = dims[*axis];
  dims[*axis] = kDynamic;
  if (std::optional<SmallVector<int64_t>> values = getConstantIntValues(k)) {
    if (values->size() != 1)
      return emitOptionalError(location, "k must hold one value");
    int64_t count = (*values)[0];
    if (count < 0)
      return emitOptionalError(location, "k ", count, " is negative");
    if (!ShapedType::isDynamic(size) && count > size)
      return emitOptionalError(location, "k ", count,
                               " is larger than the axis size ", size);
    dims[*axis] = count;
  }
  inferred.emplace_back(dims, elementTypeOf(input));
  inferred.emplace_back(dims, IntegerType::get(context, 64));
  return success();
}

} // namespace kiln::graph
