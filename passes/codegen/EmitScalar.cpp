//===- EmitScalar.cpp - arith / math scalars as C++ expressions -*- C++ -*-===//
//
// The region of a kernel.elementwise becomes one KILN_HD function whose
// statements are `const T vN = <expr>;`, one per op. The expressions keep
// MLIR's semantics in C++, on the host and the device alike:
//
//   - signless integers are signed C types; ops with unsigned semantics
//     (divui, shrui, cmpi ult, uitofp, ...) reinterpret as unsigned;
//   - addi / subi / muli / shli wrap: they compute in a wide unsigned type;
//   - i1 is bool, and its add / sub are xor, its mul is and;
//   - cmpf's unordered predicates are true on NaN, maximumf / minimumf
//     propagate NaN, maxnumf / minnumf return the non-NaN operand;
//   - roundeven is rint (the default rounding mode is to nearest even),
//     round is half away from zero;
//   - ipowi squares and multiplies with wrapping; a negative exponent gives
//     1 for base 1, +-1 for base -1 and 0 for any other base, 0 included.
//
//===----------------------------------------------------------------------===//

#include "passes/codegen/EmitScalar.h"
#include "passes/codegen/EmitCommon.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;

namespace kiln::codegen {
namespace {

/// Prints the ops of one scalar region, naming every value it defines.
class ScalarPrinter {
public:
  explicit ScalarPrinter(raw_indented_ostream &os) : os(os) {}

  void bind(Value value, StringRef name) { names[value] = name.str(); }
  /// The C++ name of `value`; a reference into `names`, which outlives
  /// every statement printed from it.
  const std::string &name(Value value) const {
    auto it = names.find(value);
    assert(it != names.end() && "value used before it is named");
    return it->second;
  }

  LogicalResult print(Operation *op);

private:
  FailureOr<std::string> getExpression(Operation *op);
  FailureOr<std::string> getConstant(arith::ConstantOp op);
  FailureOr<std::string> getFloatCall(Operation *op, StringRef function);
  FailureOr<std::string> getCmpF(arith::CmpFOp op);
  FailureOr<std::string> getCmpI(arith::CmpIOp op);

  const std::string &operand(Operation *op, unsigned i) const {
    return name(op->getOperand(i));
  }
  /// `op`'s operand `i` reinterpreted as the unsigned type of its width.
  std::string unsignedOperand(Operation *op, unsigned i) const;
  /// An integer binary op that wraps: computed in a wide unsigned type.
  std::string wrapping(Operation *op, StringRef symbol) const;
  std::string binary(Operation *op, StringRef symbol) const {
    return operand(op, 0) + " " + symbol.str() + " " + operand(op, 1);
  }

  raw_indented_ostream &os;
  llvm::DenseMap<Value, std::string> names;
  unsigned numValues = 0;
};

std::string cType(Type type) { return getCType(type).value_or("?").str(); }

bool isBool(Type type) { return type.isInteger(1); }

/// The unsigned type integer arithmetic wraps in: it is not promoted to
/// (signed) int, so overflow is defined.
StringRef wideUnsigned(Type type) {
  return type.getIntOrFloatBitWidth() <= 32 ? "uint32_t" : "uint64_t";
}

std::string cast(StringRef type, StringRef expr) {
  return ("static_cast<" + type + ">(" + expr + ")").str();
}

std::string ScalarPrinter::unsignedOperand(Operation *op, unsigned i) const {
  Type type = op->getOperand(i).getType();
  return cast(*getUnsignedCType(type), operand(op, i));
}

std::string ScalarPrinter::wrapping(Operation *op, StringRef symbol) const {
  Type type = op->getResult(0).getType();
  StringRef wide = wideUnsigned(type);
  return cast(cType(type), cast(wide, operand(op, 0)) + " " + symbol.str() +
                               " " + cast(wide, operand(op, 1)));
}

FailureOr<std::string> ScalarPrinter::getConstant(arith::ConstantOp op) {
  Type type = op.getType();
  if (auto floatAttr = dyn_cast<FloatAttr>(op.getValue())) {
    if (!isa<FloatType>(type) || !getCType(type))
      return op.emitError("codegen does not support constants of type ")
             << type;
    // An f16 or bf16 constant is exact as a float, which converts back.
    APFloat value = floatAttr.getValue();
    if (!type.isF32() && !type.isF64()) {
      bool losesInfo;
      value.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven,
                    &losesInfo);
      return cast(cType(type), formatFloatLiteral(value, false));
    }
    return formatFloatLiteral(value, type.isF64());
  }
  auto intAttr = dyn_cast<IntegerAttr>(op.getValue());
  if (!intAttr || !getCType(type))
    return op.emitError("codegen does not support constants of type ") << type;
  const APInt &value = intAttr.getValue();
  if (isBool(type))
    return std::string(value.isZero() ? "false" : "true");
  if (type.isUnsignedInteger())
    return std::to_string(value.getZExtValue()) + "ULL";
  int64_t number = value.getSExtValue();
  if (number == INT64_MIN)
    return std::string("(-9223372036854775807LL - 1)");
  return std::to_string(number) + "LL";
}

/// `function` is the double spelling of a <math.h> function; f32 calls its
/// "f" twin, which both the host and CUDA provide, and so do f16 and bf16,
/// whose values convert to float (kernels/common/Half.h).
FailureOr<std::string> ScalarPrinter::getFloatCall(Operation *op,
                                                   StringRef function) {
  Type type = op->getOperand(0).getType();
  if (!isa<FloatType>(type) || !getCType(type))
    return op->emitError("codegen does not support '")
           << op->getName() << "' on " << type;
  // f32 exp, tanh and erf: the straight-line kernels/common/FastMath.h
  // versions, which vectorize where libm's calls do not.
  StringRef fast = llvm::StringSwitch<StringRef>(function)
                       .Case("exp", "kiln::fastExp(")
                       .Case("tanh", "kiln::fastTanh(")
                       .Case("erf", "kiln::fastErf(")
                       .Default("");
  std::string call = type.isF32() && !fast.empty()
                         ? fast.str()
                         : function.str() + (type.isF64() ? "(" : "f(");
  for (unsigned i = 0, e = op->getNumOperands(); i < e; ++i)
    call += (i ? ", " : "") + operand(op, i);
  return call + ")";
}

FailureOr<std::string> ScalarPrinter::getCmpF(arith::CmpFOp op) {
  std::string a = operand(op, 0), b = operand(op, 1);
  using P = arith::CmpFPredicate;
  switch (op.getPredicate()) {
  case P::AlwaysFalse:
    return std::string("false");
  case P::AlwaysTrue:
    return std::string("true");
  case P::OEQ:
    return a + " == " + b;
  case P::OGT:
    return a + " > " + b;
  case P::OGE:
    return a + " >= " + b;
  case P::OLT:
    return a + " < " + b;
  case P::OLE:
    return a + " <= " + b;
  case P::ONE:
    return "(" + a + " < " + b + " || " + a + " > " + b + ")";
  case P::ORD:
    return "(" + a + " == " + a + " && " + b + " == " + b + ")";
  case P::UEQ:
    return "!(" + a + " < " + b + " || " + a + " > " + b + ")";
  case P::UGT:
    return "!(" + a + " <= " + b + ")";
  case P::UGE:
    return "!(" + a + " < " + b + ")";
  case P::ULT:
    return "!(" + a + " >= " + b + ")";
  case P::ULE:
    return "!(" + a + " > " + b + ")";
  case P::UNE:
    return a + " != " + b;
  case P::UNO:
    return "(" + a + " != " + a + " || " + b + " != " + b + ")";
  }
  return op.emitError("codegen does not support this cmpf predicate");
}

FailureOr<std::string> ScalarPrinter::getCmpI(arith::CmpIOp op) {
  using P = arith::CmpIPredicate;
  P predicate = op.getPredicate();
  bool isUnsignedPredicate = predicate == P::ult || predicate == P::ule ||
                             predicate == P::ugt || predicate == P::uge;
  bool isSignedPredicate = predicate == P::slt || predicate == P::sle ||
                           predicate == P::sgt || predicate == P::sge;
  std::string a = operand(op, 0), b = operand(op, 1);
  if (isUnsignedPredicate) {
    a = unsignedOperand(op, 0);
    b = unsignedOperand(op, 1);
  } else if (isSignedPredicate && isBool(op.getLhs().getType())) {
    // As a signed i1, true is -1.
    a = "-static_cast<int>(" + a + ")";
    b = "-static_cast<int>(" + b + ")";
  }
  switch (predicate) {
  case P::eq:
    return a + " == " + b;
  case P::ne:
    return a + " != " + b;
  case P::slt:
  case P::ult:
    return a + " < " + b;
  case P::sle:
  case P::ule:
    return a + " <= " + b;
  case P::sgt:
  case P::ugt:
    return a + " > " + b;
  case P::sge:
  case P::uge:
    return a + " >= " + b;
  }
  return op.emitError("codegen does not support this cmpi predicate");
}

FailureOr<std::string> ScalarPrinter::getExpression(Operation *op) {
  Type type = op->getNumResults() == 1 ? op->getResult(0).getType() : Type();
  std::string t = type ? cType(type) : "";
  auto unsupported = [&]() -> FailureOr<std::string> {
    return op->emitError("codegen does not support '")
           << op->getName() << "' in a kernel.elementwise body";
  };
  if (!type || !getCType(type) ||
      llvm::any_of(op->getOperandTypes(),
                   [](Type operandType) { return !getCType(operandType); }))
    return unsupported();

  return llvm::TypeSwitch<Operation *, FailureOr<std::string>>(op)
      .Case([&](arith::ConstantOp constant) { return getConstant(constant); })
      // Floating-point arithmetic.
      .Case([&](arith::AddFOp) { return binary(op, "+"); })
      .Case([&](arith::SubFOp) { return binary(op, "-"); })
      .Case([&](arith::MulFOp) { return binary(op, "*"); })
      .Case([&](arith::DivFOp) { return binary(op, "/"); })
      .Case([&](arith::NegFOp) { return "-" + operand(op, 0); })
      .Case([&](arith::RemFOp) { return getFloatCall(op, "fmod"); })
      .Case([&](arith::MaxNumFOp) { return getFloatCall(op, "fmax"); })
      .Case([&](arith::MinNumFOp) { return getFloatCall(op, "fmin"); })
      .Case([&](arith::MaximumFOp) {
        return "kilnMaximumF(" + operand(op, 0) + ", " + operand(op, 1) + ")";
      })
      .Case([&](arith::MinimumFOp) {
        return "kilnMinimumF(" + operand(op, 0) + ", " + operand(op, 1) + ")";
      })
      .Case([&](arith::CmpFOp cmp) { return getCmpF(cmp); })
      // Integer arithmetic; i1 is bool.
      .Case([&](arith::AddIOp) {
        return isBool(type) ? binary(op, "!=") : wrapping(op, "+");
      })
      .Case([&](arith::SubIOp) {
        return isBool(type) ? binary(op, "!=") : wrapping(op, "-");
      })
      .Case([&](arith::MulIOp) {
        return isBool(type) ? binary(op, "&&") : wrapping(op, "*");
      })
      .Case([&](arith::DivSIOp) { return cast(t, binary(op, "/")); })
      .Case([&](arith::RemSIOp) { return cast(t, binary(op, "%")); })
      .Case([&](arith::DivUIOp) {
        return cast(t, unsignedOperand(op, 0) + " / " + unsignedOperand(op, 1));
      })
      .Case([&](arith::RemUIOp) {
        return cast(t, unsignedOperand(op, 0) + " % " + unsignedOperand(op, 1));
      })
      .Case([&](arith::FloorDivSIOp) {
        // Truncating division, one less when the signs differ and it is
        // inexact.
        std::string a = operand(op, 0), b = operand(op, 1);
        return cast(t, a + " / " + b + " - ((" + a + " % " + b +
                           " != 0) && ((" + a + " < 0) != (" + b + " < 0)))");
      })
      .Case([&](arith::CeilDivSIOp) {
        std::string a = operand(op, 0), b = operand(op, 1);
        return cast(t, a + " / " + b + " + ((" + a + " % " + b +
                           " != 0) && ((" + a + " < 0) == (" + b + " < 0)))");
      })
      .Case([&](arith::CeilDivUIOp) {
        std::string a = unsignedOperand(op, 0), b = unsignedOperand(op, 1);
        return cast(t, a + " / " + b + " + (" + a + " % " + b + " != 0)");
      })
      .Case([&](arith::AndIOp) { return cast(t, binary(op, "&")); })
      .Case([&](arith::OrIOp) { return cast(t, binary(op, "|")); })
      .Case([&](arith::XOrIOp) { return cast(t, binary(op, "^")); })
      .Case([&](arith::ShLIOp) { return wrapping(op, "<<"); })
      .Case([&](arith::ShRSIOp) { return cast(t, binary(op, ">>")); })
      .Case([&](arith::ShRUIOp) {
        return cast(t, unsignedOperand(op, 0) + " >> " + operand(op, 1));
      })
      .Case([&](arith::MaxSIOp) {
        std::string a = operand(op, 0), b = operand(op, 1);
        return a + " > " + b + " ? " + a + " : " + b;
      })
      .Case([&](arith::MinSIOp) {
        std::string a = operand(op, 0), b = operand(op, 1);
        return a + " < " + b + " ? " + a + " : " + b;
      })
      .Case([&](arith::MaxUIOp) {
        std::string a = operand(op, 0), b = operand(op, 1);
        return unsignedOperand(op, 0) + " > " + unsignedOperand(op, 1) + " ? " +
               a + " : " + b;
      })
      .Case([&](arith::MinUIOp) {
        std::string a = operand(op, 0), b = operand(op, 1);
        return unsignedOperand(op, 0) + " < " + unsignedOperand(op, 1) + " ? " +
               a + " : " + b;
      })
      .Case([&](arith::CmpIOp cmp) { return getCmpI(cmp); })
      .Case([&](arith::SelectOp) {
        return operand(op, 0) + " ? " + operand(op, 1) + " : " + operand(op, 2);
      })
      // Casts.
      .Case<arith::ExtFOp, arith::TruncFOp, arith::SIToFPOp, arith::FPToSIOp,
            arith::IndexCastOp>(
          [&](Operation *) { return cast(t, operand(op, 0)); })
      .Case([&](arith::ExtSIOp) {
        if (isBool(op->getOperand(0).getType()))
          return cast(t, operand(op, 0) + " ? -1 : 0");
        return cast(t, operand(op, 0));
      })
      .Case<arith::ExtUIOp, arith::UIToFPOp>(
          [&](Operation *) { return cast(t, unsignedOperand(op, 0)); })
      .Case([&](arith::FPToUIOp) {
        return cast(t, cast(*getUnsignedCType(type), operand(op, 0)));
      })
      .Case([&](arith::TruncIOp) {
        if (isBool(type))
          return cast(t, "(" + operand(op, 0) + " & 1)");
        return cast(t, unsignedOperand(op, 0));
      })
      .Case([&](arith::BitcastOp) {
        return "kilnBitcast<" + t + ">(" + operand(op, 0) + ")";
      })
      // math.
      .Case([&](math::AbsFOp) { return getFloatCall(op, "fabs"); })
      .Case([&](math::AbsIOp) {
        std::string a = operand(op, 0);
        return cast(t, a + " < 0 ? 0u - " + cast(wideUnsigned(type), a) +
                           " : " + cast(wideUnsigned(type), a));
      })
      .Case([&](math::CeilOp) { return getFloatCall(op, "ceil"); })
      .Case([&](math::FloorOp) { return getFloatCall(op, "floor"); })
      .Case([&](math::RoundOp) { return getFloatCall(op, "round"); })
      .Case([&](math::RoundEvenOp) { return getFloatCall(op, "rint"); })
      .Case([&](math::TruncOp) { return getFloatCall(op, "trunc"); })
      .Case([&](math::ExpOp) { return getFloatCall(op, "exp"); })
      .Case([&](math::Exp2Op) { return getFloatCall(op, "exp2"); })
      .Case([&](math::ExpM1Op) { return getFloatCall(op, "expm1"); })
      .Case([&](math::LogOp) { return getFloatCall(op, "log"); })
      .Case([&](math::Log2Op) { return getFloatCall(op, "log2"); })
      .Case([&](math::Log10Op) { return getFloatCall(op, "log10"); })
      .Case([&](math::Log1pOp) { return getFloatCall(op, "log1p"); })
      .Case([&](math::SqrtOp) { return getFloatCall(op, "sqrt"); })
      .Case([&](math::RsqrtOp) -> FailureOr<std::string> {
        FailureOr<std::string> root = getFloatCall(op, "sqrt");
        if (failed(root))
          return failure();
        return (type.isF64() ? "1.0 / " : "1.0f / ") + *root;
      })
      .Case([&](math::CbrtOp) { return getFloatCall(op, "cbrt"); })
      .Case([&](math::TanhOp) { return getFloatCall(op, "tanh"); })
      .Case([&](math::SinOp) { return getFloatCall(op, "sin"); })
      .Case([&](math::CosOp) { return getFloatCall(op, "cos"); })
      .Case([&](math::TanOp) { return getFloatCall(op, "tan"); })
      .Case([&](math::AsinOp) { return getFloatCall(op, "asin"); })
      .Case([&](math::AcosOp) { return getFloatCall(op, "acos"); })
      .Case([&](math::AtanOp) { return getFloatCall(op, "atan"); })
      .Case([&](math::Atan2Op) { return getFloatCall(op, "atan2"); })
      .Case([&](math::SinhOp) { return getFloatCall(op, "sinh"); })
      .Case([&](math::CoshOp) { return getFloatCall(op, "cosh"); })
      .Case([&](math::AsinhOp) { return getFloatCall(op, "asinh"); })
      .Case([&](math::AcoshOp) { return getFloatCall(op, "acosh"); })
      .Case([&](math::AtanhOp) { return getFloatCall(op, "atanh"); })
      .Case([&](math::ErfOp) { return getFloatCall(op, "erf"); })
      .Case([&](math::ErfcOp) { return getFloatCall(op, "erfc"); })
      .Case([&](math::PowFOp pow) -> FailureOr<std::string> {
        // x ** 2 and x ** 3 (GELU's tanh form) as products: a loop of
        // them vectorizes, a loop of powf calls does not.
        FloatAttr exponent;
        if (matchPattern(pow.getRhs(), m_Constant(&exponent)) &&
            (exponent.getValueAsDouble() == 2.0 ||
             exponent.getValueAsDouble() == 3.0)) {
          const std::string &x = operand(op, 0);
          return exponent.getValueAsDouble() == 2.0
                     ? x + " * " + x
                     : x + " * " + x + " * " + x;
        }
        return getFloatCall(op, "pow");
      })
      .Case([&](math::FmaOp) { return getFloatCall(op, "fma"); })
      .Case([&](math::CopySignOp) { return getFloatCall(op, "copysign"); })
      .Case([&](math::FPowIOp) {
        std::string exponent =
            cast(cType(op->getOperand(0).getType()), operand(op, 1));
        return std::string(type.isF64() ? "pow(" : "powf(") + operand(op, 0) +
               ", " + exponent + ")";
      })
      .Case([&](math::IPowIOp) {
        // As a signed i1, true is -1: x ** e is x unless e is 0 (false).
        if (isBool(type))
          return "(" + operand(op, 0) + " || !" + operand(op, 1) + ")";
        return "kilnIPowI<" + t + ", " + wideUnsigned(type).str() + ">(" +
               operand(op, 0) + ", " + operand(op, 1) + ")";
      })
      .Case([&](math::ClampFOp) {
        // clampf(x, lo, hi) = min(max(x, lo), hi), NaN propagating.
        return "kilnMinimumF(kilnMaximumF(" + operand(op, 0) + ", " +
               operand(op, 1) + "), " + operand(op, 2) + ")";
      })
      .Case([&](math::IsNaNOp) {
        return "(" + operand(op, 0) + " != " + operand(op, 0) + ")";
      })
      .Case([&](math::IsInfOp) { return "isinf(" + operand(op, 0) + ")"; })
      .Case(
          [&](math::IsFiniteOp) { return "isfinite(" + operand(op, 0) + ")"; })
      .Default([&](Operation *) { return unsupported(); });
}

LogicalResult ScalarPrinter::print(Operation *op) {
  FailureOr<std::string> expr = getExpression(op);
  if (failed(expr))
    return failure();
  std::string name = "v" + std::to_string(numValues++);
  Value result = op->getResult(0);
  os << "const " << cType(result.getType()) << " " << name << " = " << *expr
     << ";\n";
  bind(result, name);
  return success();
}

} // namespace

LogicalResult emitScalarBody(Block &block, ArrayRef<std::string> argNames,
                             ArrayRef<std::string> resultNames,
                             raw_indented_ostream &os) {
  ScalarPrinter printer(os);
  for (auto [arg, name] : llvm::zip_equal(block.getArguments(), argNames))
    printer.bind(arg, name);
  // The region is isolated from above: every value it uses is an argument or
  // defined in it.
  for (Operation &op : block) {
    if (op.hasTrait<OpTrait::IsTerminator>()) {
      for (auto [value, name] : llvm::zip_equal(op.getOperands(), resultNames))
        os << name << " = " << printer.name(value) << ";\n";
      continue;
    }
    if (failed(printer.print(&op)))
      return failure();
  }
  return success();
}

} // namespace kiln::codegen
