//===- EmitScalar.h - arith / math scalars as C++ statements ----*- C++ -*-===//

#ifndef KILN_PASSES_CODEGEN_EMITSCALAR_H
#define KILN_PASSES_CODEGEN_EMITSCALAR_H

#include "mlir/IR/Block.h"
#include "mlir/Support/IndentedOstream.h"

#include <string>

namespace kiln::codegen {

/// Prints the ops of an elementwise region as C++ statements: the block
/// arguments are already named `argNames`, and the yielded values are
/// assigned to `resultNames`. Emits a diagnostic at the first op it cannot
/// print.
mlir::LogicalResult emitScalarBody(mlir::Block &block,
                                   llvm::ArrayRef<std::string> argNames,
                                   llvm::ArrayRef<std::string> resultNames,
                                   mlir::raw_indented_ostream &os);

/// Helpers the printed statements call, printed once per source file.
inline constexpr const char *kScalarHelpers = R"cpp(
// NaN-propagating maximum and minimum (arith.maximumf / arith.minimumf); -0
// is less than +0. Selects, not branches, so the loops that call them
// vectorize (with -fno-trapping-math, which lets a + b run speculatively).
template <typename T>
KILN_HD inline T kilnMaximumF(T a, T b) {
  T larger = a > b ? a : b;
  T tie = signbit(a) ? b : a;
  T result = a == b ? tie : larger;
  return (a != a) | (b != b) ? static_cast<T>(a + b) : result;
}
template <typename T>
KILN_HD inline T kilnMinimumF(T a, T b) {
  T smaller = a < b ? a : b;
  T tie = signbit(a) ? a : b;
  T result = a == b ? tie : smaller;
  return (a != a) | (b != b) ? static_cast<T>(a + b) : result;
}
// math.ipowi: base ** exponent by squaring, wrapping in the unsigned type U
// like arith.muli. A negative exponent truncates 1 / base ** -exponent to an
// integer, so only base 1 and -1 give nonzero; base 0, where the division is
// by zero, gives 0 rather than trapping.
template <typename T, typename U>
KILN_HD inline T kilnIPowI(T base, T exponent) {
  if (exponent < 0) {
    if (base == 1)
      return 1;
    if (base == -1)
      return (exponent & 1) ? -1 : 1;
    return 0;
  }
  U result = 1, factor = static_cast<U>(base);
  for (; exponent != 0; exponent /= 2) {
    if (exponent & 1)
      result *= factor;
    factor *= factor;
  }
  return static_cast<T>(result);
}
// arith.bitcast: the same bits seen as another type of the same width.
template <typename To, typename From>
KILN_HD inline To kilnBitcast(From from) {
  static_assert(sizeof(To) == sizeof(From), "bitcast changes the width");
  To to;
  memcpy(&to, &from, sizeof(To));
  return to;
}
)cpp";

} // namespace kiln::codegen

#endif // KILN_PASSES_CODEGEN_EMITSCALAR_H
