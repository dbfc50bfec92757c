//===- Reduce.h - The math of reductions and arg_max/arg_min ----*- C++ -*-===//
//
// y[j] = combine_{r} x[base(j) + offset(r)] over the reduced dims, where
// base(j) maps y's flat index into x (reduced dims are 1 in y) and offset(r)
// walks the reduced dims. The kinds:
//
//   sum, mean, max, min, prod, sum_square (sum x^2), l1 (sum |x|),
//   l2 (sqrt sum x^2), log_sum_exp (log sum exp x)
//
// over f32, f64, i32 and i64; bool reduces by max (any) and min (all) only.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_REDUCE_H
#define KILN_KERNELS_COMMON_REDUCE_H

#include "kernels/common/Axis.h"
#include "kernels/common/Broadcast.h"
#include "kernels/common/FastMath.h"

#include <math.h>
#include <string.h>

#include <type_traits>

namespace kiln {

enum class ReduceKind : int32_t {
  Sum,
  Mean,
  Max,
  Min,
  Prod,
  SumSquare,
  L1,
  L2,
  LogSumExp,
};

/// Parses a reduce kind; false for unknown names.
inline bool parseReduceKind(const char *name, ReduceKind &kind) {
  static const struct {
    const char *name;
    ReduceKind kind;
  } kinds[] = {{"sum", ReduceKind::Sum},
               {"mean", ReduceKind::Mean},
               {"max", ReduceKind::Max},
               {"min", ReduceKind::Min},
               {"prod", ReduceKind::Prod},
               {"sum_square", ReduceKind::SumSquare},
               {"l1", ReduceKind::L1},
               {"l2", ReduceKind::L2},
               {"log_sum_exp", ReduceKind::LogSumExp}};
  for (const auto &entry : kinds) {
    if (name && strcmp(name, entry.name) == 0) {
      kind = entry.kind;
      return true;
    }
  }
  return false;
}

struct ReduceParams {
  ReduceKind kind;
  int32_t rank;
  int64_t yShape[kMaxRank];
  int64_t xStrides[kMaxRank];
  int32_t reducedRank;
  int64_t reducedDims[kMaxRank];
  int64_t reducedStrides[kMaxRank];
  int64_t reducedCount;
};

inline Status makeReduceParams(const TensorView &x, const TensorView &y,
                               const char *kindName, Span<const int64_t> axes,
                               ReduceParams &p) {
  const char *kernel = "reduce";
  if (!parseReduceKind(kindName, p.kind))
    return Status::error("reduce: unknown kind '%s'", kindName ? kindName : "");
  if (!isAnyOf(x.dtype, DType::Float, DType::Double, DType::Int64, DType::Int32,
               DType::Bool))
    return Status::error("reduce: unsupported dtype %s", dtypeName(x.dtype));
  if (x.dtype == DType::Bool && p.kind != ReduceKind::Max &&
      p.kind != ReduceKind::Min)
    return Status::error("reduce: bool reduces by max or min only, not '%s'",
                         kindName);
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "y", y, x));
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "y", y, x.rank));
  bool reduced[kMaxRank] = {};
  for (int64_t i = 0; i < axes.size(); ++i) {
    KILN_RETURN_IF_ERROR(checkAxis(kernel, axes[i], x.rank));
    reduced[axes[i]] = true;
  }
  p.rank = x.rank;
  contiguousStrides(x.shape, x.rank, p.xStrides);
  p.reducedRank = 0;
  p.reducedCount = 1;
  for (int32_t d = 0; d < x.rank; ++d) {
    KILN_RETURN_IF_ERROR(
        checkDim(kernel, "y", y, d, reduced[d] ? 1 : x.shape[d]));
    p.yShape[d] = y.shape[d];
    if (!reduced[d])
      continue;
    p.reducedCount *= x.shape[d];
    // A reduced dim right after another reduced one merges into it: the
    // walk over the reduced elements then takes fewer divisions.
    int32_t prev = p.reducedRank - 1;
    if (prev >= 0 && reduced[d - 1] &&
        p.reducedStrides[prev] == p.xStrides[d] * x.shape[d]) {
      p.reducedDims[prev] *= x.shape[d];
      p.reducedStrides[prev] = p.xStrides[d];
      continue;
    }
    p.reducedDims[p.reducedRank] = x.shape[d];
    p.reducedStrides[p.reducedRank] = p.xStrides[d];
    ++p.reducedRank;
  }
  return Status::success();
}

/// The lowest and highest values of T: infinities for floats.
template <typename T> KILN_HD inline T reduceLowest() {
  if constexpr (std::is_floating_point<T>::value)
    return static_cast<T>(-INFINITY);
  else if constexpr (std::is_signed<T>::value)
    return static_cast<T>(static_cast<std::make_unsigned_t<T>>(1)
                          << (sizeof(T) * 8 - 1));
  else
    return static_cast<T>(0);
}
template <typename T> KILN_HD inline T reduceHighest() {
  if constexpr (std::is_floating_point<T>::value)
    return static_cast<T>(INFINITY);
  else
    return static_cast<T>(~reduceLowest<T>());
}

/// The reduction of the `n` numbers at(0), ..., at(n - 1) by `kind`.
template <typename T, typename At>
KILN_HD inline T reduceNumbers(ReduceKind kind, int64_t n, const At &at) {
  switch (kind) {
  case ReduceKind::Max:
  case ReduceKind::Min: {
    // Over no elements: the identity, -inf for max and +inf for min (the
    // lowest and highest values of an integer type).
    if (n == 0)
      return kind == ReduceKind::Max ? reduceLowest<T>() : reduceHighest<T>();
    T best = at(0);
    bool isMax = kind == ReduceKind::Max;
    for (int64_t r = 1; r < n; ++r) {
      T v = at(r);
      if (best != best)
        break;
      if (v != v || (isMax ? v > best : v < best))
        best = v;
    }
    return best;
  }
  case ReduceKind::Prod: {
    T acc = T(1);
    for (int64_t r = 0; r < n; ++r)
      acc *= at(r);
    return acc;
  }
  case ReduceKind::LogSumExp: {
    double max = -INFINITY;
    for (int64_t r = 0; r < n; ++r)
      max = fmax(max, static_cast<double>(at(r)));
    if (isinf(max))
      return static_cast<T>(max);
    double sum = 0.0;
    for (int64_t r = 0; r < n; ++r)
      sum += exp(static_cast<double>(at(r)) - max);
    return static_cast<T>(max + log(sum));
  }
  default:
    break;
  }
  // The additive kinds.
  T acc = T(0);
  for (int64_t r = 0; r < n; ++r) {
    T v = at(r);
    if (kind == ReduceKind::SumSquare || kind == ReduceKind::L2)
      v = v * v;
    else if (kind == ReduceKind::L1)
      v = v < T(0) ? -v : v;
    acc += v;
  }
  if (kind == ReduceKind::Mean)
    return n ? static_cast<T>(acc / static_cast<T>(n)) : acc;
  if (kind == ReduceKind::L2)
    return static_cast<T>(sqrt(static_cast<double>(acc)));
  return acc;
}

template <typename T>
KILN_HD inline T reduceElement(const ReduceParams &p, const T *x,
                               int64_t index) {
  int64_t base = broadcastOffset(index, p.rank, p.yShape, p.xStrides);
  auto at = [&](int64_t r) {
    if (p.reducedRank == 1)
      return x[base + r * p.reducedStrides[0]];
    return x[base + broadcastOffset(r, p.reducedRank, p.reducedDims,
                                    p.reducedStrides)];
  };
  int64_t n = p.reducedCount;
  if constexpr (std::is_same<T, bool>::value) {
    // max is any(x), false over no elements; min is all(x), true over none.
    bool isMax = p.kind == ReduceKind::Max;
    for (int64_t r = 0; r < n; ++r)
      if (at(r) == isMax)
        return isMax;
    return !isMax;
  } else {
    return reduceNumbers<T>(p.kind, n, at);
  }
}

/// Whether element `index` of a float sum or mean reads one contiguous
/// block of x (the reduced dims are x's innermost, whole): then
/// reduceContiguous computes it with rowSum's vector loop.
KILN_HD inline bool isContiguousSum(const ReduceParams &p) {
  return (p.kind == ReduceKind::Sum || p.kind == ReduceKind::Mean) &&
         isDenseBroadcast(p.reducedRank, p.reducedDims, p.reducedStrides);
}

KILN_HD_ROW float reduceContiguous(const ReduceParams &p, const float *x,
                                      int64_t index) {
  int64_t base = broadcastOffset(index, p.rank, p.yShape, p.xStrides);
  int64_t n = p.reducedCount;
  float sum = rowSum(x + base, n, 1);
  return p.kind == ReduceKind::Mean && n ? sum / static_cast<float>(n) : sum;
}

/// Checks arg_max's (or arg_min's) operands and fills `p`.
inline Status makeArgParams(const char *kernel, const TensorView &x,
                            const TensorView &y, int64_t axis, AxisParams &p) {
  KILN_RETURN_IF_ERROR(makeAxisParams(kernel, x, axis, p));
  if (!isAnyOf(x.dtype, DType::Float, DType::Int64, DType::Int32))
    return Status::error("%s: unsupported dtype %s", kernel,
                         dtypeName(x.dtype));
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "y", y, DType::Int64));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "y", y, x.rank));
  for (int32_t d = 0; d < x.rank; ++d)
    KILN_RETURN_IF_ERROR(
        checkDim(kernel, "y", y, d, d == axis ? 1 : x.shape[d]));
  if (p.axisSize == 0)
    return Status::error("%s: axis %lld has size 0", kernel,
                         static_cast<long long>(axis));
  return Status::success();
}

/// The index along the row of the largest (isMax) or smallest element; the
/// first such index, or the last with selectLast.
template <typename T>
KILN_HD inline int64_t argRow(const T *x, int64_t n, int64_t stride, bool isMax,
                              bool selectLast) {
  int64_t best = 0;
  for (int64_t i = 1; i < n; ++i) {
    T v = x[i * stride], b = x[best * stride];
    bool better = isMax ? v > b : v < b;
    if (better || (selectLast && v == b))
      best = i;
  }
  return best;
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_REDUCE_H
