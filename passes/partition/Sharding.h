//===- Sharding.h - How a value is split over a mesh ------------*- C++ -*-===//
//
// A sharding says, for each mesh axis, which piece of a value a rank holds:
// the whole value, one block of a split factor of one dim (a Digit), or a
// partial sum. Digits are kept in the whole tensor's terms, so that the
// rules of an op read whole shapes only; the per-rank type and the
// #dist.split of a collective are derived from them.
//
// A dim of size n seen as outer x factor x inner, with the factor split in
// `parts` blocks, is a digit of a mixed-radix index: position (o, f, i)
// belongs to coordinate f / (factor / parts). A reshape keeps the flat
// index, so a digit maps through any reshape whose result has a dim that
// holds the digit's top part (mapThroughReshape), and a transpose just
// moves its dim. Splitting heads ([.., H*D] -> [.., H, D]) and merging
// batch with heads ([B, H, S, D] -> [B*H, S, D]) are both such maps.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_PARTITION_SHARDING_H
#define KILN_PASSES_PARTITION_SHARDING_H

#include "dialects/dist/DistDialect.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <array>
#include <optional>

namespace kiln::partition {

/// The sizes of the mesh axes, indexed by dist::Axis.
struct Mesh {
  std::array<int64_t, 4> sizes = {1, 1, 1, 1};
  int64_t size(dist::Axis axis) const {
    return sizes[static_cast<size_t>(axis)];
  }
};

/// The axes that split values: the ranks of dp and tp, and the micro-batches
/// a pipeline stage runs one after another (pp splits the program instead).
inline constexpr dist::Axis kSplitAxes[] = {dist::Axis::dp, dist::Axis::tp,
                                            dist::Axis::micro};

/// Dim `dim` of the whole value is outer x factor x inner; the ranks of
/// `axis` each hold factor / parts of the factor.
struct Digit {
  dist::Axis axis;
  int64_t dim;
  int64_t inner;
  int64_t factor;

  /// Two digits of one axis and dim with the same top (inner x factor)
  /// give each rank the same elements: the block of coordinate c is
  /// [c, c + 1) x top / parts of the index modulo top, whichever way the
  /// top is factored (heads x head size, or kv heads x repeats).
  bool operator==(const Digit &other) const {
    return axis == other.axis && dim == other.dim &&
           inner * factor == other.inner * other.factor;
  }
  bool operator!=(const Digit &other) const { return !(*this == other); }
};

struct Sharding {
  llvm::SmallVector<Digit, 2> digits;
  llvm::SmallVector<dist::Axis, 1> partial;

  static Sharding whole() { return {}; }
  const Digit *find(dist::Axis axis) const;
  bool isPartial(dist::Axis axis) const;
  bool isWhole() const { return digits.empty() && partial.empty(); }
  /// Whether `axis` holds the value whole (no digit, not partial).
  bool isWholeOn(dist::Axis axis) const {
    return !find(axis) && !isPartial(axis);
  }
  void add(const Digit &digit) { digits.push_back(digit); }
  bool operator==(const Sharding &other) const;
};

/// Whether `digit` fits a whole value of `shape`: its dim exists, its dim
/// size is a multiple of factor x inner, and `parts` divides the factor.
bool fits(const Digit &digit, llvm::ArrayRef<int64_t> shape, int64_t parts);

/// Whether two digits of one dim claim overlapping factors.
bool overlaps(const Digit &a, const Digit &b);

/// Whether `digit` could join `sharding` (no digit on its axis, none that
/// overlaps it, its axis not partial).
bool canAdd(const Sharding &sharding, const Digit &digit);

/// The per-rank type of a value of whole type `whole`.
mlir::RankedTensorType getLocalType(mlir::RankedTensorType whole,
                                    const Sharding &sharding,
                                    const Mesh &mesh);

/// The #dist.split of `digit` in a value of whole shape `shape` whose
/// digits `others` are per-rank already (outer and inner count per-rank
/// elements).
dist::SplitAttr getSplitAttr(mlir::MLIRContext *context, const Digit &digit,
                             llvm::ArrayRef<Digit> others,
                             llvm::ArrayRef<int64_t> shape, const Mesh &mesh);

/// The digit of a reshape's result from `from` to `to` (whole shapes) that
/// holds what `digit` of its input holds, if the result has one.
std::optional<Digit> mapThroughReshape(const Digit &digit,
                                       llvm::ArrayRef<int64_t> from,
                                       llvm::ArrayRef<int64_t> to,
                                       int64_t parts);

/// The same digit before the check that `parts` divides its factor: a
/// result dim that holds fewer blocks (heads) than there are ranks.
std::optional<Digit> mapThroughReshape(const Digit &digit,
                                       llvm::ArrayRef<int64_t> from,
                                       llvm::ArrayRef<int64_t> to);

} // namespace kiln::partition

#endif // KILN_PASSES_PARTITION_SHARDING_H
