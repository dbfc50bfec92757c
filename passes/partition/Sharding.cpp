//===- Sharding.cpp - How a value is split over a mesh ----------*- C++ -*-===//

#include "passes/partition/Sharding.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace kiln::partition {

const Digit *Sharding::find(dist::Axis axis) const {
  for (const Digit &digit : digits)
    if (digit.axis == axis)
      return &digit;
  return nullptr;
}

bool Sharding::isPartial(dist::Axis axis) const {
  return llvm::is_contained(partial, axis);
}

bool Sharding::operator==(const Sharding &other) const {
  for (dist::Axis axis : kSplitAxes) {
    const Digit *a = find(axis), *b = other.find(axis);
    if ((a == nullptr) != (b == nullptr) || (a && *a != *b) ||
        isPartial(axis) != other.isPartial(axis))
      return false;
  }
  return true;
}

bool fits(const Digit &digit, ArrayRef<int64_t> shape, int64_t parts) {
  if (digit.dim < 0 || digit.dim >= static_cast<int64_t>(shape.size()))
    return false;
  int64_t size = shape[digit.dim];
  if (ShapedType::isDynamic(size) || digit.inner < 1 || digit.factor < 1)
    return false;
  return size % (digit.factor * digit.inner) == 0 && digit.factor % parts == 0;
}

bool overlaps(const Digit &a, const Digit &b) {
  if (a.dim != b.dim)
    return false;
  // Factors [inner, inner * factor) of the dim's index.
  return a.inner < b.inner * b.factor && b.inner < a.inner * a.factor;
}

bool canAdd(const Sharding &sharding, const Digit &digit) {
  if (sharding.find(digit.axis) || sharding.isPartial(digit.axis))
    return false;
  return llvm::none_of(sharding.digits, [&](const Digit &other) {
    return overlaps(other, digit);
  });
}

RankedTensorType getLocalType(RankedTensorType whole, const Sharding &sharding,
                              const Mesh &mesh) {
  SmallVector<int64_t> shape(whole.getShape());
  for (const Digit &digit : sharding.digits)
    shape[digit.dim] /= mesh.size(digit.axis);
  return RankedTensorType::get(shape, whole.getElementType());
}

dist::SplitAttr getSplitAttr(MLIRContext *context, const Digit &digit,
                             ArrayRef<Digit> others, ArrayRef<int64_t> shape,
                             const Mesh &mesh) {
  int64_t inner = digit.inner;
  int64_t outer = shape[digit.dim] / (digit.factor * digit.inner);
  for (const Digit &other : others) {
    if (other.dim != digit.dim || other == digit)
      continue;
    if (other.inner < digit.inner)
      inner /= mesh.size(other.axis);
    else
      outer /= mesh.size(other.axis);
  }
  return dist::SplitAttr::get(context, digit.axis, digit.dim,
                              mesh.size(digit.axis), outer, inner);
}

std::optional<Digit> mapThroughReshape(const Digit &digit,
                                       ArrayRef<int64_t> from,
                                       ArrayRef<int64_t> to, int64_t parts) {
  std::optional<Digit> mapped = mapThroughReshape(digit, from, to);
  if (!mapped || mapped->factor % parts != 0)
    return std::nullopt;
  return mapped;
}

std::optional<Digit> mapThroughReshape(const Digit &digit,
                                       ArrayRef<int64_t> from,
                                       ArrayRef<int64_t> to) {
  // Strides of the flat index; the digit covers [low, top).
  auto strideOf = [](ArrayRef<int64_t> shape, int64_t dim) {
    int64_t stride = 1;
    for (int64_t d = dim + 1; d < static_cast<int64_t>(shape.size()); ++d)
      stride *= shape[d];
    return stride;
  };
  int64_t low = strideOf(from, digit.dim) * digit.inner;
  int64_t top = low * digit.factor;
  for (int64_t d = 0, e = static_cast<int64_t>(to.size()); d < e; ++d) {
    int64_t stride = strideOf(to, d);
    if (!(stride < top && top <= stride * to[d]))
      continue;
    // The dim that holds the digit's top part; lower parts that spill into
    // later dims are dropped, which keeps the same blocks when `parts`
    // divides what is left.
    int64_t start = std::max(low, stride);
    if (start % stride != 0 || top % start != 0)
      return std::nullopt;
    return Digit{digit.axis, d, start / stride, top / start};
  }
  return std::nullopt;
}

} // namespace kiln::partition
