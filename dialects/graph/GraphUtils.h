//===- GraphUtils.h - Helpers over graph-dialect values ---------*- C++ -*-===//
//
// Small helpers shared by the graph dialect, its passes, the importer and the
// lowering: reading constant operands, numpy broadcasting, axis
// normalization, and the output size and padding of convolution and pooling
// windows.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_GRAPHUTILS_H
#define KILN_DIALECTS_GRAPH_GRAPHUTILS_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>

namespace kiln::graph {

/// The value of `value` when it is produced by a `graph.constant` (dense or
/// dense_resource), null otherwise.
mlir::ElementsAttr getConstantElements(mlir::Value value);

/// The elements of an integer (any width) constant as int64_t, for dense and
/// dense_resource attributes; std::nullopt when `value` is no integer
/// constant or its data cannot be read.
std::optional<llvm::SmallVector<int64_t>>
getConstantIntValues(mlir::Value value);
std::optional<llvm::SmallVector<int64_t>>
getIntValues(mlir::ElementsAttr elements);

/// The constant `value` folds to: its producers' folders evaluated on the
/// way up (at most `depth` ops deep), the IR left as it is. Shape
/// arithmetic that an exporter wrote (Range over Size of Shape, ...) is
/// constant here as soon as the shapes it reads are known. Null when some
/// producer does not fold.
mlir::ElementsAttr foldToElements(mlir::Value value, unsigned depth = 32);
/// foldToElements() of an integer tensor, as int64_t.
std::optional<llvm::SmallVector<int64_t>>
getFoldedIntValues(mlir::Value value);

/// The numpy broadcast of two shapes (dynamic dims are ShapedType::kDynamic):
/// shapes are aligned at their last dimension; a 1 takes the other side's
/// size; a `?` against n > 1 gives n; a `?` against `?` or 1 gives `?`.
/// Fails when two static sizes differ and neither is 1.
mlir::FailureOr<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// `axis` in [-rank, rank) mapped to [0, rank). Callers check the range first
/// (see isValidAxis).
int64_t normalizeAxis(int64_t axis, int64_t rank);
bool isValidAxis(int64_t axis, int64_t rank);

/// The more refined of two compatible dims (a static size wins over `?`),
/// std::nullopt when both are static and differ.
std::optional<int64_t> joinDims(int64_t lhs, int64_t rhs);

/// The largest rank of a graph tensor. ONNX sets none, but lists with one
/// entry per dim (a shape input) must not size a result without bound.
constexpr int64_t kMaxRank = 64;

/// Whether a tensor of `dims` (`?` counts as 1) with elements of
/// `elementType` (one byte when null) has at most kMaxRank dims and holds at
/// most kMaxTensorBytes (kernels/common/Checked.h), so that no size derived
/// from it overflows.
bool isRepresentableSize(llvm::ArrayRef<int64_t> dims, mlir::Type elementType);

/// Fails with "<what> of shape AxB... holds more than 2^62 bytes" (or "has
/// rank N, above 64") when `dims` and `elementType` are not representable.
mlir::LogicalResult checkTensorSize(std::optional<mlir::Location> location,
                                    llvm::ArrayRef<int64_t> dims,
                                    mlir::Type elementType,
                                    const llvm::Twine &what);

/// ONNX Slice along one dim: the first index read and the number of
/// elements read.
struct SliceRange {
  int64_t start;
  int64_t size;
};
/// The range [start, end) with a non-zero `step` selects along a static dim
/// of `size`, after ONNX's clamping. Bounds and step are any int64.
SliceRange resolveSlice(int64_t size, int64_t start, int64_t end,
                        int64_t step);

/// One spatial dimension of a convolution or pooling window.
struct WindowDim {
  int64_t inputSize;  // ShapedType::kDynamic when unknown
  int64_t kernelSize; // before dilation
  int64_t stride;
  int64_t dilation;
  int64_t padBegin; // used only with auto_pad "NOTSET"
  int64_t padEnd;
};

/// The begin and end pads of one window dimension, resolved per ONNX
/// auto_pad: "NOTSET" keeps the explicit pads, "VALID" pads nothing,
/// "SAME_UPPER" / "SAME_LOWER" pad so that the output is ceil(in / stride),
/// with the odd pad at the end (upper) or at the begin (lower). Fails for an
/// unknown auto_pad or when the input size is dynamic and the pads depend on
/// it.
mlir::FailureOr<std::pair<int64_t, int64_t>>
resolvePads(const WindowDim &dim, llvm::StringRef autoPad);

/// The output size of one window dimension:
///   (in + padBegin + padEnd - dilation * (kernel - 1) - 1) / stride + 1
/// rounded down, or up with `ceilMode` (where, as in ONNX, the last window
/// must start inside the input or its begin padding). SAME_* give
/// ceil(in / stride). ShapedType::kDynamic when the input size (or, but for
/// SAME_*, the kernel size) is dynamic;
/// fails when the auto_pad is unknown or the window does not fit.
mlir::FailureOr<int64_t>
windowOutputSize(const WindowDim &dim, llvm::StringRef autoPad, bool ceilMode);

/// One spatial dimension of a transposed convolution: a WindowDim (pads
/// are the ones cut from the output) plus the extra size at the end.
///   natural = stride * (in - 1) + outputPadding
///             + dilation * (kernel - 1) + 1
/// The output size is natural - padBegin - padEnd ("NOTSET"), natural
/// ("VALID"), in * stride ("SAME_UPPER", "SAME_LOWER"), or the one a model
/// gives in output_shape.
struct TransposedWindowDim {
  WindowDim window;
  int64_t outputPadding;
};

/// The output size of one transposed-convolution dim without output_shape;
/// ShapedType::kDynamic when the input size is (or, but for SAME_*, the
/// kernel size); fails when the auto_pad is
/// unknown or the size is not positive or does not fit int64.
mlir::FailureOr<int64_t> transposedOutputSize(const TransposedWindowDim &dim,
                                              llvm::StringRef autoPad);

/// The begin pad that makes a transposed convolution of static input size
/// produce `outputSize`: the explicit one for "NOTSET" without
/// output_shape, 0 for "VALID"; otherwise the total padding
/// natural - outputSize is split in two halves, the smaller at the begin
/// for "SAME_UPPER" and at the end else (ONNX's rule). Fails when the
/// padding does not fit int64.
mlir::FailureOr<int64_t> transposedPadBegin(const TransposedWindowDim &dim,
                                            llvm::StringRef autoPad,
                                            bool hasOutputShape,
                                            int64_t outputSize);

} // namespace kiln::graph

#endif // KILN_DIALECTS_GRAPH_GRAPHUTILS_H
