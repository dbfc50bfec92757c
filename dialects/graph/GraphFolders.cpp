//===- GraphFolders.cpp - Folders of graph ops ----------------------------===//
//
// Folding of graph ops: forwarding of no-op ops, and constant folding of the
// small integer and float tensors that compute shapes (Shape, Gather, Concat,
// Slice, arithmetic, ...). A folded constant takes the op's result type, so
// ops fold to constants only once that type is static; larger tensors than
// kMaxFoldedElements are left alone.
//
//===----------------------------------------------------------------------===//

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

#include "llvm/ADT/APSInt.h"

#include <functional>

using namespace mlir;

namespace kiln::graph {

/// The largest tensor (non-splat) that folders compute element by element.
static constexpr int64_t kMaxFoldedElements = 4096;

/// Whether a constant of `type` may be computed by a folder.
static bool isFoldableType(Type type) {
  auto tensorType = llvm::dyn_cast<RankedTensorType>(type);
  return tensorType && tensorType.hasStaticShape() &&
         isRepresentableSize(tensorType.getShape(), nullptr) &&
         tensorType.getNumElements() <= kMaxFoldedElements;
}

static DenseElementsAttr asDense(Attribute attr) {
  return llvm::dyn_cast_if_present<DenseElementsAttr>(attr);
}

/// For each element of `dst`, the linear index of the element of `src` that
/// numpy broadcasting reads.
static SmallVector<int64_t> broadcastIndexMap(ArrayRef<int64_t> src,
                                              ArrayRef<int64_t> dst) {
  int64_t count = ShapedType::getNumElements(dst);
  SmallVector<int64_t> map(count, 0);
  size_t offset = dst.size() - src.size();
  for (int64_t linear = 0; linear < count; ++linear) {
    int64_t rest = linear, srcIndex = 0, srcStride = 1;
    for (int64_t d = dst.size() - 1; d >= 0; --d) {
      int64_t coord = rest % dst[d];
      rest /= dst[d];
      if (d < static_cast<int64_t>(offset))
        continue;
      int64_t srcDim = src[d - offset];
      srcIndex += (srcDim == 1 ? 0 : coord) * srcStride;
      srcStride *= srcDim;
    }
    map[linear] = srcIndex;
  }
  return map;
}

/// Elements of `lhs` and `rhs` combined by `fn` with broadcasting into
/// `resultType`; null when `fn` declines one element.
template <typename T, typename R>
static DenseElementsAttr
foldBroadcast(DenseElementsAttr lhs, DenseElementsAttr rhs,
              RankedTensorType resultType,
              function_ref<std::optional<R>(const T &, const T &)> fn) {
  SmallVector<T> lhsValues(lhs.getValues<T>());
  SmallVector<T> rhsValues(rhs.getValues<T>());
  SmallVector<int64_t> lhsMap =
      broadcastIndexMap(lhs.getType().getShape(), resultType.getShape());
  SmallVector<int64_t> rhsMap =
      broadcastIndexMap(rhs.getType().getShape(), resultType.getShape());
  SmallVector<R> results;
  results.reserve(lhsMap.size());
  for (auto [l, r] : llvm::zip_equal(lhsMap, rhsMap)) {
    std::optional<R> value = fn(lhsValues[l], rhsValues[r]);
    if (!value)
      return {};
    results.push_back(*value);
  }
  return DenseElementsAttr::get(resultType, results);
}

using IntFn = std::function<std::optional<APInt>(const APInt &, const APInt &,
                                                 bool isUnsigned)>;
using FloatFn =
    std::function<std::optional<APFloat>(const APFloat &, const APFloat &)>;

/// Constant folding of a broadcasting binary op on ints or floats.
static Attribute foldBinary(Attribute lhsAttr, Attribute rhsAttr,
                            Type resultType, const IntFn &intFn,
                            const FloatFn &floatFn) {
  DenseElementsAttr lhs = asDense(lhsAttr), rhs = asDense(rhsAttr);
  if (!lhs || !rhs || !isFoldableType(resultType))
    return {};
  auto type = llvm::cast<RankedTensorType>(resultType);
  Type elementType = lhs.getElementType();
  if (auto intType = llvm::dyn_cast<IntegerType>(elementType)) {
    if (!intFn)
      return {};
    bool isUnsigned = intType.isUnsigned();
    return foldBroadcast<APInt, APInt>(lhs, rhs, type,
                                       [&](const APInt &a, const APInt &b) {
                                         return intFn(a, b, isUnsigned);
                                       });
  }
  if (llvm::isa<FloatType>(elementType) && floatFn)
    return foldBroadcast<APFloat, APFloat>(
        lhs, rhs, type,
        [&](const APFloat &a, const APFloat &b) { return floatFn(a, b); });
  return {};
}

/// Constant folding of a broadcasting comparison into i1.
static Attribute
foldComparison(Attribute lhsAttr, Attribute rhsAttr, Type resultType,
               function_ref<bool(const APInt &, const APInt &, bool)> intPred,
               function_ref<bool(APFloat::cmpResult)> floatPred) {
  DenseElementsAttr lhs = asDense(lhsAttr), rhs = asDense(rhsAttr);
  if (!lhs || !rhs || !isFoldableType(resultType))
    return {};
  auto type = llvm::cast<RankedTensorType>(resultType);
  Type elementType = lhs.getElementType();
  if (auto intType = llvm::dyn_cast<IntegerType>(elementType)) {
    bool isUnsigned = intType.isUnsigned() || intType.getWidth() == 1;
    return foldBroadcast<APInt, APInt>(
        lhs, rhs, type, [&](const APInt &a, const APInt &b) {
          return std::optional<APInt>(APInt(1, intPred(a, b, isUnsigned)));
        });
  }
  if (llvm::isa<FloatType>(elementType))
    return foldBroadcast<APFloat, APInt>(
        lhs, rhs, type, [&](const APFloat &a, const APFloat &b) {
          return std::optional<APInt>(APInt(1, floatPred(a.compare(b))));
        });
  return {};
}

/// Whether `attr` is a splat int or float constant equal to `value`; for
/// floats, `negativeZero` asks for -0.0 exactly.
static bool isSplat(Attribute attr, int64_t value, bool negativeZero = false) {
  DenseElementsAttr dense = asDense(attr);
  if (!dense || !dense.isSplat())
    return false;
  if (llvm::isa<IntegerType>(dense.getElementType()))
    return dense.getSplatValue<APInt>().getSExtValue() == value;
  if (!llvm::isa<FloatType>(dense.getElementType()))
    return false;
  APFloat splat = dense.getSplatValue<APFloat>();
  if (negativeZero)
    return splat.isZero() && splat.isNegative();
  return splat.convertToDouble() == static_cast<double>(value);
}

/// `x` when the op's result has the type of `x`: broadcasting must not
/// change the shape.
static OpFoldResult forwardIfSameType(Value x, Type resultType) {
  return x.getType() == resultType ? x : OpFoldResult();
}

//===----------------------------------------------------------------------===//
// Arithmetic and comparisons
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  // x + 0 -> x (-0.0 for floats, which keeps the sign of a zero x).
  if (isSplat(adaptor.getRhs(), 0,
              llvm::isa<FloatType>(getType().getElementType())))
    if (OpFoldResult x = forwardIfSameType(getLhs(), getType()))
      return x;
  return foldBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b, bool) { return a + b; },
      [](const APFloat &a, const APFloat &b) { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  // x - 0 -> x
  if (isSplat(adaptor.getRhs(), 0))
    if (OpFoldResult x = forwardIfSameType(getLhs(), getType()))
      return x;
  return foldBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b, bool) { return a - b; },
      [](const APFloat &a, const APFloat &b) { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  // x * 1 -> x
  if (isSplat(adaptor.getRhs(), 1))
    if (OpFoldResult x = forwardIfSameType(getLhs(), getType()))
      return x;
  return foldBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b, bool) { return a * b; },
      [](const APFloat &a, const APFloat &b) { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  // x / 1 -> x
  if (isSplat(adaptor.getRhs(), 1))
    if (OpFoldResult x = forwardIfSameType(getLhs(), getType()))
      return x;
  // Integer division truncates toward zero; division by zero is not folded.
  return foldBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b,
         bool isUnsigned) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt;
        return isUnsigned ? a.udiv(b) : a.sdiv(b);
      },
      [](const APFloat &a, const APFloat &b) { return a / b; });
}

OpFoldResult EqualOp::fold(FoldAdaptor adaptor) {
  return foldComparison(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b, bool) { return a == b; },
      [](APFloat::cmpResult c) { return c == APFloat::cmpEqual; });
}

OpFoldResult LessOp::fold(FoldAdaptor adaptor) {
  return foldComparison(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b, bool isUnsigned) {
        return isUnsigned ? a.ult(b) : a.slt(b);
      },
      [](APFloat::cmpResult c) { return c == APFloat::cmpLessThan; });
}

OpFoldResult GreaterOp::fold(FoldAdaptor adaptor) {
  return foldComparison(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b, bool isUnsigned) {
        return isUnsigned ? a.ugt(b) : a.sgt(b);
      },
      [](APFloat::cmpResult c) { return c == APFloat::cmpGreaterThan; });
}

OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  // NaN propagates, as numpy's maximum.
  return foldBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b, bool isUnsigned) {
        return isUnsigned ? llvm::APIntOps::umax(a, b) : llvm::APIntOps::smax(a, b);
      },
      [](const APFloat &a, const APFloat &b) { return llvm::maximum(a, b); });
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b, bool isUnsigned) {
        return isUnsigned ? llvm::APIntOps::umin(a, b) : llvm::APIntOps::smin(a, b);
      },
      [](const APFloat &a, const APFloat &b) { return llvm::minimum(a, b); });
}

OpFoldResult ModOp::fold(FoldAdaptor adaptor) {
  // fmod = 0: the remainder takes the divisor's sign (Python's %);
  // fmod = 1: the dividend's (C's fmod). A zero divisor is not folded.
  bool isFmod = getFmod();
  return foldBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [isFmod](const APInt &a, const APInt &b,
               bool isUnsigned) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt;
        if (isUnsigned)
          return a.urem(b);
        APInt r = a.srem(b);
        if (!isFmod && !r.isZero() && r.isNegative() != b.isNegative())
          r += b;
        return r;
      },
      [isFmod](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        if (!isFmod)
          return std::nullopt;
        APFloat r = a;
        r.mod(b);
        return r;
      });
}

OpFoldResult AndOp::fold(FoldAdaptor adaptor) {
  return foldBinary(adaptor.getLhs(), adaptor.getRhs(), getType(),
                    [](const APInt &a, const APInt &b, bool) { return a & b; },
                    nullptr);
}

OpFoldResult OrOp::fold(FoldAdaptor adaptor) {
  return foldBinary(adaptor.getLhs(), adaptor.getRhs(), getType(),
                    [](const APInt &a, const APInt &b, bool) { return a | b; },
                    nullptr);
}

OpFoldResult XorOp::fold(FoldAdaptor adaptor) {
  return foldBinary(adaptor.getLhs(), adaptor.getRhs(), getType(),
                    [](const APInt &a, const APInt &b, bool) { return a ^ b; },
                    nullptr);
}

OpFoldResult NotOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr input = asDense(adaptor.getInput());
  if (!input || !isFoldableType(getType()))
    return {};
  return input.mapValues(input.getElementType(),
                         [](const APInt &v) { return ~v; });
}

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr condition = asDense(adaptor.getCondition());
  DenseElementsAttr x = asDense(adaptor.getX());
  DenseElementsAttr y = asDense(adaptor.getY());
  if (!condition || !x || !y || !isFoldableType(getType()))
    return {};
  ArrayRef<int64_t> shape = getType().getShape();
  SmallVector<int64_t> conditionMap =
      broadcastIndexMap(condition.getType().getShape(), shape);
  SmallVector<int64_t> xMap = broadcastIndexMap(x.getType().getShape(), shape);
  SmallVector<int64_t> yMap = broadcastIndexMap(y.getType().getShape(), shape);
  SmallVector<bool> conditionValues(condition.getValues<bool>());
  SmallVector<Attribute> xValues(x.getValues<Attribute>());
  SmallVector<Attribute> yValues(y.getValues<Attribute>());
  SmallVector<Attribute> results;
  results.reserve(conditionMap.size());
  for (size_t i = 0; i < conditionMap.size(); ++i)
    results.push_back(conditionValues[conditionMap[i]] ? xValues[xMap[i]]
                                                       : yValues[yMap[i]]);
  return DenseElementsAttr::get(getType(), results);
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr input = asDense(adaptor.getInput());
  if (!input || !isFoldableType(getType()))
    return {};
  if (llvm::isa<IntegerType>(input.getElementType()))
    return input.mapValues(input.getElementType(),
                           [](const APInt &v) { return -v; });
  if (llvm::isa<FloatType>(input.getElementType()))
    return input.mapValues(input.getElementType(), [](const APFloat &v) {
      return (-v).bitcastToAPInt();
    });
  return {};
}

/// One element converted to `to`, with ONNX Cast meaning: float to int
/// truncates toward zero, anything to i1 is `x != 0`.
static std::optional<Attribute> castElement(Attribute element, Type to) {
  if (auto intAttr = llvm::dyn_cast<IntegerAttr>(element)) {
    APInt value = intAttr.getValue();
    bool isUnsigned =
        intAttr.getType().isUnsignedInteger() || intAttr.getType().isInteger(1);
    if (auto intType = llvm::dyn_cast<IntegerType>(to)) {
      if (intType.getWidth() == 1)
        return IntegerAttr::get(to, APInt(1, !value.isZero()));
      return IntegerAttr::get(to, isUnsigned
                                      ? value.zextOrTrunc(intType.getWidth())
                                      : value.sextOrTrunc(intType.getWidth()));
    }
    if (auto floatType = llvm::dyn_cast<FloatType>(to)) {
      APFloat result(floatType.getFloatSemantics());
      result.convertFromAPInt(value, !isUnsigned, APFloat::rmNearestTiesToEven);
      return FloatAttr::get(to, result);
    }
    return std::nullopt;
  }
  auto floatAttr = llvm::dyn_cast<FloatAttr>(element);
  if (!floatAttr)
    return std::nullopt;
  APFloat value = floatAttr.getValue();
  if (auto intType = llvm::dyn_cast<IntegerType>(to)) {
    if (intType.getWidth() == 1)
      return IntegerAttr::get(to, APInt(1, !value.isZero()));
    APSInt result(intType.getWidth(), intType.isUnsigned());
    bool isExact = false;
    if (value.convertToInteger(result, APFloat::rmTowardZero, &isExact) &
        APFloat::opInvalidOp)
      return std::nullopt;
    return IntegerAttr::get(to, result);
  }
  if (auto floatType = llvm::dyn_cast<FloatType>(to)) {
    bool losesInfo = false;
    value.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
    return FloatAttr::get(to, value);
  }
  return std::nullopt;
}

/// Whether `type` is narrower than 8 bits or a float8 type: APFloat's
/// conversions into those do not follow ONNX Cast (saturation, the low bits
/// of an integer), so casts that involve them are not folded.
static bool isNarrowType(Type type) {
  if (!type.isIntOrFloat() || type.isInteger(1))
    return false;
  unsigned width = type.getIntOrFloatBitWidth();
  return width < 8 || (isa<FloatType>(type) && width == 8);
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  DenseElementsAttr input = asDense(adaptor.getInput());
  if (!input || !getType().hasStaticShape())
    return {};
  Type to = getType().getElementType();
  if (isNarrowType(to) || isNarrowType(input.getElementType()))
    return {};
  if (input.isSplat()) {
    std::optional<Attribute> element =
        castElement(input.getSplatValue<Attribute>(), to);
    if (!element)
      return {};
    return DenseElementsAttr::get(getType(), *element);
  }
  if (!isFoldableType(getType()))
    return {};
  SmallVector<Attribute> elements;
  for (Attribute element : input.getValues<Attribute>()) {
    std::optional<Attribute> cast = castElement(element, to);
    if (!cast)
      return {};
    elements.push_back(*cast);
  }
  return DenseElementsAttr::get(getType(), elements);
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult ConstantOfShapeOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr value = asDense(adaptor.getValue());
  if (!value || !getType().hasStaticShape())
    return {};
  return DenseElementsAttr::get(getType(),
                                *value.getValues<Attribute>().begin());
}

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  // The dims [start, end) of the input, once they are static.
  if (!getType().hasStaticShape())
    return {};
  ArrayRef<int64_t> shape = getInput().getType().getShape();
  int64_t rank = shape.size();
  auto clampBound = [&](int64_t bound) {
    if (bound < 0)
      bound += rank;
    return std::clamp<int64_t>(bound, 0, rank);
  };
  int64_t start = clampBound(static_cast<int64_t>(getStart()));
  int64_t end = getEnd() ? clampBound(static_cast<int64_t>(*getEnd())) : rank;
  ArrayRef<int64_t> dims =
      shape.slice(start, std::max<int64_t>(0, end - start));
  if (llvm::any_of(dims, ShapedType::isDynamic) ||
      getType().getNumElements() != static_cast<int64_t>(dims.size()))
    return {};
  return DenseIntElementsAttr::get(getType(), dims);
}

/// The one element of a reduction of an integer constant: when the result
/// has one element, every dim it keeps has size 1, so it combines all
/// elements of the input (as Size and shape arithmetic reduce shapes).
static Attribute foldIntReduction(Attribute input, RankedTensorType type,
                                  uint64_t init,
                                  function_ref<APInt(APInt, APInt)> combine) {
  DenseElementsAttr dense = asDense(input);
  if (!dense || !llvm::isa<IntegerType>(type.getElementType()) ||
      !isFoldableType(dense.getType()) || !type.hasStaticShape() ||
      type.getNumElements() != 1)
    return {};
  APInt result(type.getElementTypeBitWidth(), init);
  for (APInt value : dense.getValues<APInt>())
    result = combine(result, value);
  return DenseElementsAttr::get(type, result);
}

OpFoldResult ReduceProdOp::fold(FoldAdaptor adaptor) {
  return foldIntReduction(adaptor.getInput(), getType(), 1,
                          [](APInt a, APInt b) { return a * b; });
}

OpFoldResult ReduceSumOp::fold(FoldAdaptor adaptor) {
  return foldIntReduction(adaptor.getInput(), getType(), 0,
                          [](APInt a, APInt b) { return a + b; });
}

//===----------------------------------------------------------------------===//
// No-op ops and reshapes
//===----------------------------------------------------------------------===//

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  return forwardIfSameType(getInput(), getType());
}

OpFoldResult DropoutOp::fold(FoldAdaptor) {
  return forwardIfSameType(getInput(), getType());
}

/// A reshaping op: the input when the type does not change, the reshaped
/// constant when the input is one.
static OpFoldResult foldReshapeLike(Value input, Attribute inputAttr,
                                    RankedTensorType resultType) {
  if (input.getType() == resultType && resultType.hasStaticShape())
    return input;
  DenseElementsAttr dense = asDense(inputAttr);
  if (!dense || !resultType.hasStaticShape())
    return {};
  return dense.reshape(resultType);
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  // A constant broadcast to the (static) result shape.
  DenseElementsAttr input = asDense(adaptor.getInput());
  if (!input || !isFoldableType(getType()))
    return {};
  if (input.isSplat())
    return DenseElementsAttr::get(getType(), input.getSplatValue<Attribute>());
  SmallVector<int64_t> map =
      broadcastIndexMap(input.getType().getShape(), getType().getShape());
  SmallVector<Attribute> values(input.getValues<Attribute>());
  SmallVector<Attribute> results;
  results.reserve(map.size());
  for (int64_t index : map)
    results.push_back(values[index]);
  return DenseElementsAttr::get(getType(), results);
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getInput(), adaptor.getInput(), getType());
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getInput(), adaptor.getInput(), getType());
}

OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getInput(), adaptor.getInput(), getType());
}

/// Row-major strides of `shape`.
static SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/// Builds a constant of `resultType` whose element at each multi-index is
/// `elements[sourceIndex(multiIndex)]`.
static DenseElementsAttr
gatherElements(ArrayRef<Attribute> elements, RankedTensorType resultType,
               function_ref<int64_t(ArrayRef<int64_t>)> sourceIndex) {
  ArrayRef<int64_t> shape = resultType.getShape();
  SmallVector<int64_t> index(shape.size(), 0);
  SmallVector<Attribute> result;
  result.reserve(resultType.getNumElements());
  for (int64_t linear = 0; linear < resultType.getNumElements(); ++linear) {
    int64_t rest = linear;
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      index[d] = rest % shape[d];
      rest /= shape[d];
    }
    result.push_back(elements[sourceIndex(index)]);
  }
  return DenseElementsAttr::get(resultType, result);
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  // transpose(x, identity) -> x
  if (llvm::equal(getPerm(), llvm::seq<int64_t>(0, getPerm().size())))
    return forwardIfSameType(getInput(), getType());
  DenseElementsAttr input = asDense(adaptor.getInput());
  if (!input || !isFoldableType(getType()))
    return {};
  if (input.isSplat())
    return input.resizeSplat(getType());
  SmallVector<Attribute> elements(input.getValues<Attribute>());
  SmallVector<int64_t> strides = stridesOf(input.getType().getShape());
  ArrayRef<int64_t> perm = getPerm();
  return gatherElements(elements, getType(), [&](ArrayRef<int64_t> index) {
    // Result dim i is input dim perm[i].
    int64_t source = 0;
    for (auto [i, p] : llvm::enumerate(perm))
      source += index[i] * strides[p];
    return source;
  });
}

//===----------------------------------------------------------------------===//
// Concat, Slice, Gather, Range
//===----------------------------------------------------------------------===//

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1)
    return forwardIfSameType(getInputs()[0], getType());
  if (!isFoldableType(getType()))
    return {};
  SmallVector<SmallVector<Attribute>> inputs;
  for (Attribute attr : adaptor.getInputs()) {
    DenseElementsAttr dense = asDense(attr);
    if (!dense)
      return {};
    inputs.emplace_back(dense.getValues<Attribute>());
  }
  ArrayRef<int64_t> shape = getType().getShape();
  int64_t axis = normalizeAxis(getAxis(), shape.size());
  // Each input contributes `size * inner` contiguous elements per outer
  // index.
  int64_t outer = ShapedType::getNumElements(shape.take_front(axis));
  int64_t inner = ShapedType::getNumElements(shape.drop_front(axis + 1));
  SmallVector<Attribute> result;
  for (int64_t o = 0; o < outer; ++o) {
    for (auto [input, value] : llvm::zip_equal(inputs, getInputs())) {
      int64_t chunk =
          llvm::cast<RankedTensorType>(value.getType()).getDimSize(axis) *
          inner;
      llvm::append_range(result, ArrayRef(input).slice(o * chunk, chunk));
    }
  }
  return DenseElementsAttr::get(getType(), result);
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  RankedTensorType inputType = getInput().getType();
  std::optional<SmallVector<int64_t>> steps;
  if (getSteps())
    steps = getIntValues(
        llvm::dyn_cast_if_present<ElementsAttr>(adaptor.getSteps()));
  // A slice with positive steps that keeps every size is the identity.
  bool positiveSteps =
      !getSteps() ||
      (steps && llvm::all_of(*steps, [](int64_t s) { return s > 0; }));
  if (positiveSteps && inputType == getType() && inputType.hasStaticShape())
    return getInput();

  DenseElementsAttr input = asDense(adaptor.getInput());
  if (!input || !isFoldableType(getType()) || !isFoldableType(inputType))
    return {};
  auto readInts = [](Attribute attr) {
    return getIntValues(llvm::dyn_cast_if_present<ElementsAttr>(attr));
  };
  std::optional<SmallVector<int64_t>> starts = readInts(adaptor.getStarts());
  std::optional<SmallVector<int64_t>> ends = readInts(adaptor.getEnds());
  if (!starts || !ends)
    return {};
  int64_t rank = inputType.getRank();
  std::optional<SmallVector<int64_t>> axes =
      getAxes() ? readInts(adaptor.getAxes())
                : llvm::to_vector(llvm::seq<int64_t>(0, starts->size()));
  if (!axes || (getSteps() && !steps))
    return {};
  if (!steps)
    steps = SmallVector<int64_t>(starts->size(), 1);
  // Per dim: the first index read and the step; unsliced dims start at 0.
  SmallVector<int64_t> first(rank, 0), stride(rank, 1);
  for (auto [i, axis] : llvm::enumerate(*axes)) {
    int64_t d = normalizeAxis(axis, rank);
    int64_t size = inputType.getDimSize(d);
    int64_t start = (*starts)[i];
    int64_t step = (*steps)[i];
    if (start < 0)
      start += size;
    first[d] = step > 0 ? std::clamp<int64_t>(start, 0, size)
                        : std::clamp<int64_t>(start, 0, size - 1);
    stride[d] = step;
  }
  SmallVector<Attribute> elements(input.getValues<Attribute>());
  SmallVector<int64_t> strides = stridesOf(inputType.getShape());
  return gatherElements(elements, getType(), [&](ArrayRef<int64_t> index) {
    int64_t source = 0;
    for (int64_t d = 0; d < rank; ++d)
      source += (first[d] + index[d] * stride[d]) * strides[d];
    return source;
  });
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr input = asDense(adaptor.getInput());
  std::optional<SmallVector<int64_t>> indices = getIntValues(
      llvm::dyn_cast_if_present<ElementsAttr>(adaptor.getIndices()));
  RankedTensorType inputType = getInput().getType();
  if (!input || !indices || !isFoldableType(getType()) ||
      !isFoldableType(inputType))
    return {};
  int64_t rank = inputType.getRank();
  int64_t axis = normalizeAxis(getAxis(), rank);
  int64_t size = inputType.getDimSize(axis);
  for (int64_t &index : *indices) {
    if (index < -size || index >= size)
      return {};
    if (index < 0)
      index += size;
  }
  // Result index (outer..., idx..., inner...) reads
  // input (outer..., indices[idx...], inner...).
  int64_t indicesRank = getIndices().getType().getRank();
  SmallVector<int64_t> indexStrides =
      stridesOf(getIndices().getType().getShape());
  SmallVector<int64_t> strides = stridesOf(inputType.getShape());
  SmallVector<Attribute> elements(input.getValues<Attribute>());
  return gatherElements(elements, getType(), [&](ArrayRef<int64_t> index) {
    int64_t source = 0;
    for (int64_t d = 0; d < axis; ++d)
      source += index[d] * strides[d];
    int64_t which = 0;
    for (int64_t d = 0; d < indicesRank; ++d)
      which += index[axis + d] * indexStrides[d];
    source += (*indices)[which] * strides[axis];
    for (int64_t d = axis + 1; d < rank; ++d)
      source += index[d - 1 + indicesRank] * strides[d];
    return source;
  });
}

OpFoldResult RangeOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr start = asDense(adaptor.getStart());
  DenseElementsAttr delta = asDense(adaptor.getDelta());
  if (!start || !delta || !asDense(adaptor.getLimit()) ||
      !isFoldableType(getType()))
    return {};
  int64_t count = getType().getNumElements();
  Type elementType = getType().getElementType();
  if (llvm::isa<IntegerType>(elementType)) {
    APInt value = *start.getValues<APInt>().begin();
    APInt step = *delta.getValues<APInt>().begin();
    SmallVector<APInt> values;
    for (int64_t i = 0; i < count; ++i, value += step)
      values.push_back(value);
    return DenseElementsAttr::get(getType(), values);
  }
  if (!llvm::isa<FloatType>(elementType))
    return {};
  // start + i * delta, computed in double as ONNX's reference does.
  double first = (*start.getValues<APFloat>().begin()).convertToDouble();
  double step = (*delta.getValues<APFloat>().begin()).convertToDouble();
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < count; ++i)
    values.push_back(FloatAttr::get(elementType, first + i * step));
  return DenseElementsAttr::get(getType(), values);
}

} // namespace kiln::graph
