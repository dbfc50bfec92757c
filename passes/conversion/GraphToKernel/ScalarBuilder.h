//===- ScalarBuilder.h - Scalar math of elementwise kernels ----*- C++ -*-===//
//
// Builds the arith/math ops of a kernel.elementwise body, picking the float,
// signed-integer or unsigned-integer form of each operation by its operand
// type, and converting between element types with ONNX Cast semantics.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_CONVERSION_GRAPHTOKERNEL_SCALARBUILDER_H
#define KILN_PASSES_CONVERSION_GRAPHTOKERNEL_SCALARBUILDER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Builders.h"

namespace kiln::graph_to_kernel {

enum class Compare { Eq, Ne, Lt, Le, Gt, Ge };

/// Builds scalar arith/math ops, choosing the float or the integer form by
/// the operand type. The body's integers are signless: setUnsigned says
/// that they hold unsigned values (division, remainder, min / max and
/// ordered comparisons then take their unsigned forms).
class ScalarBuilder {
public:
  ScalarBuilder(mlir::OpBuilder &builder, mlir::Location loc)
      : builder(builder), loc(loc) {}

  void setUnsigned(bool value) { isUnsignedInt = value; }
  /// Whether `value` is an integer holding unsigned values.
  bool isUnsigned(mlir::Value value) const {
    return isUnsignedInt && !isFloat(value);
  }

  template <typename OpTy, typename... Args>
  mlir::Value create(Args &&...args) {
    return OpTy::create(builder, loc, std::forward<Args>(args)...);
  }

  static bool isFloat(mlir::Value value) {
    return mlir::isa<mlir::FloatType>(value.getType());
  }

  mlir::Value constant(mlir::Type type, double value) {
    if (mlir::isa<mlir::FloatType>(type))
      return create<mlir::arith::ConstantOp>(builder.getFloatAttr(type, value));
    return create<mlir::arith::ConstantOp>(
        builder.getIntegerAttr(type, static_cast<int64_t>(value)));
  }
  mlir::Value constantLike(mlir::Value like, double value) {
    return constant(like.getType(), value);
  }

  mlir::Value add(mlir::Value a, mlir::Value b) {
    return isFloat(a) ? create<mlir::arith::AddFOp>(a, b)
                      : create<mlir::arith::AddIOp>(a, b);
  }
  mlir::Value sub(mlir::Value a, mlir::Value b) {
    return isFloat(a) ? create<mlir::arith::SubFOp>(a, b)
                      : create<mlir::arith::SubIOp>(a, b);
  }
  mlir::Value mul(mlir::Value a, mlir::Value b) {
    return isFloat(a) ? create<mlir::arith::MulFOp>(a, b)
                      : create<mlir::arith::MulIOp>(a, b);
  }
  mlir::Value div(mlir::Value a, mlir::Value b) {
    if (isFloat(a))
      return create<mlir::arith::DivFOp>(a, b);
    return isUnsigned(a) ? create<mlir::arith::DivUIOp>(a, b)
                         : create<mlir::arith::DivSIOp>(a, b);
  }
  mlir::Value max(mlir::Value a, mlir::Value b) {
    if (isFloat(a))
      return create<mlir::arith::MaximumFOp>(a, b);
    return isUnsigned(a) ? create<mlir::arith::MaxUIOp>(a, b)
                         : create<mlir::arith::MaxSIOp>(a, b);
  }
  mlir::Value min(mlir::Value a, mlir::Value b) {
    if (isFloat(a))
      return create<mlir::arith::MinimumFOp>(a, b);
    return isUnsigned(a) ? create<mlir::arith::MinUIOp>(a, b)
                         : create<mlir::arith::MinSIOp>(a, b);
  }
  mlir::Value neg(mlir::Value a) {
    return isFloat(a) ? create<mlir::arith::NegFOp>(a)
                      : create<mlir::arith::SubIOp>(constantLike(a, 0), a);
  }
  mlir::Value abs(mlir::Value a) {
    return isFloat(a) ? create<mlir::math::AbsFOp>(a)
                      : create<mlir::math::AbsIOp>(a);
  }
  mlir::Value select(mlir::Value condition, mlir::Value a, mlir::Value b) {
    return create<mlir::arith::SelectOp>(condition, a, b);
  }
  mlir::Value compare(Compare kind, mlir::Value a, mlir::Value b) {
    if (isFloat(a)) {
      static constexpr mlir::arith::CmpFPredicate predicates[] = {
          mlir::arith::CmpFPredicate::OEQ, mlir::arith::CmpFPredicate::UNE,
          mlir::arith::CmpFPredicate::OLT, mlir::arith::CmpFPredicate::OLE,
          mlir::arith::CmpFPredicate::OGT, mlir::arith::CmpFPredicate::OGE};
      return create<mlir::arith::CmpFOp>(predicates[static_cast<int>(kind)], a,
                                         b);
    }
    static constexpr mlir::arith::CmpIPredicate predicates[] = {
        mlir::arith::CmpIPredicate::eq,  mlir::arith::CmpIPredicate::ne,
        mlir::arith::CmpIPredicate::slt, mlir::arith::CmpIPredicate::sle,
        mlir::arith::CmpIPredicate::sgt, mlir::arith::CmpIPredicate::sge};
    static constexpr mlir::arith::CmpIPredicate unsignedPredicates[] = {
        mlir::arith::CmpIPredicate::eq,  mlir::arith::CmpIPredicate::ne,
        mlir::arith::CmpIPredicate::ult, mlir::arith::CmpIPredicate::ule,
        mlir::arith::CmpIPredicate::ugt, mlir::arith::CmpIPredicate::uge};
    return create<mlir::arith::CmpIOp>(
        (isUnsigned(a) ? unsignedPredicates
                       : predicates)[static_cast<int>(kind)],
        a, b);
  }
  /// min(max(x, lo), hi). The bounds are made first, lo then hi, in
  /// statements of their own: the IR must not depend on the order in
  /// which a compiler evaluates arguments.
  mlir::Value clamp(mlir::Value x, double lo, double hi) {
    mlir::Value low = constantLike(x, lo);
    mlir::Value high = constantLike(x, hi);
    return min(max(x, low), high);
  }
  /// min(max(x, 0), 1)
  mlir::Value saturate(mlir::Value x) { return clamp(x, 0, 1); }

  /// ONNX Cast: float -> int truncates toward zero, anything -> i1 is
  /// x != 0, i1 -> anything is 0 or 1. The body's integers are signless:
  /// `fromUnsigned` / `toUnsigned` say which of them hold unsigned values.
  /// With `saturate`, a float8 result clamps to its largest finite value
  /// (infinity included) before the conversion, computed in f32 (f64 for
  /// an f64 source), where the bound is exact.
  mlir::Value convert(mlir::Value x, mlir::Type to, bool fromUnsigned = false,
                      bool toUnsigned = false, bool saturate = false) {
    mlir::Type from = x.getType();
    if (from == to)
      return x;
    bool fromFloat = mlir::isa<mlir::FloatType>(from),
         toFloat = mlir::isa<mlir::FloatType>(to);
    if (saturate && toFloat && to.getIntOrFloatBitWidth() == 8) {
      mlir::Type wide = from.isF64() ? from : mlir::Type(builder.getF32Type());
      mlir::Value value = convert(x, wide, fromUnsigned);
      const llvm::fltSemantics &semantics =
          mlir::cast<mlir::FloatType>(to).getFloatSemantics();
      double largest = llvm::APFloat::getLargest(semantics).convertToDouble();
      value = clamp(value, -largest, largest);
      return create<mlir::arith::TruncFOp>(to, value);
    }
    if (fromFloat && toFloat) {
      unsigned fromWidth = from.getIntOrFloatBitWidth();
      unsigned toWidth = to.getIntOrFloatBitWidth();
      if (fromWidth == toWidth) // f16 <-> bf16, f8 <-> f8 go through f32
        return create<mlir::arith::TruncFOp>(
            to, create<mlir::arith::ExtFOp>(builder.getF32Type(), x));
      return fromWidth < toWidth ? create<mlir::arith::ExtFOp>(to, x)
                                 : create<mlir::arith::TruncFOp>(to, x);
    }
    bool zeroExtends = fromUnsigned || from.isInteger(1);
    if (toFloat)
      return zeroExtends ? create<mlir::arith::UIToFPOp>(to, x)
                         : create<mlir::arith::SIToFPOp>(to, x);
    if (to.isInteger(1))
      return compare(Compare::Ne, x, constantLike(x, 0));
    if (fromFloat)
      return toUnsigned ? create<mlir::arith::FPToUIOp>(to, x)
                        : create<mlir::arith::FPToSIOp>(to, x);
    if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
      return zeroExtends ? create<mlir::arith::ExtUIOp>(to, x)
                         : create<mlir::arith::ExtSIOp>(to, x);
    if (from.getIntOrFloatBitWidth() == to.getIntOrFloatBitWidth())
      return x; // signless: the same bits
    return create<mlir::arith::TruncIOp>(to, x);
  }

  mlir::OpBuilder &builder;
  mlir::Location loc;
  bool isUnsignedInt = false;
};

} // namespace kiln::graph_to_kernel

#endif // KILN_PASSES_CONVERSION_GRAPHTOKERNEL_SCALARBUILDER_H
