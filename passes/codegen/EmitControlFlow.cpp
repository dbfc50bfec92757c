//===- EmitControlFlow.cpp - Host if / for / while in run -----------------===//
//
// scf.if, scf.for and scf.while as C++ `if`, `for` and `for (;;)` in run,
// with the host scalars they use: i1 / i64 arith, kernel.load_scalar (on
// CUDA a copy to the host and a wait for the stream), kernel.store_scalar,
// the row copies of scans and the trip-count check. Every scalar is a
// `const` local `s<N>`; loop-carried scalars of scf.while are variables
// assigned at the end of each iteration.
//
//===----------------------------------------------------------------------===//

#include "passes/codegen/Codegen.h"
#include "passes/codegen/EmitCommon.h"

#include "dialects/kernel/KernelOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace kiln::codegen {
namespace {

/// The C++ type of a host scalar: bool, an integer type, or int64_t for
/// index.
std::string getScalarCType(Type type) {
  if (type.isIndex())
    return "int64_t";
  return getCType(type)->str();
}

/// The expression of a host scalar: a literal or its name.
std::string getScalarExpr(SourceEmitter &emitter, Value value) {
  if (value.getType().isInteger(1))
    if (std::optional<int64_t> constant = getConstantIntValue(value))
      return *constant ? "true" : "false";
  return emitter.getIndexExpr(value);
}

/// Names `value` and returns the name.
std::string bindScalar(SourceEmitter &emitter, Value value) {
  std::string name = "s" + std::to_string(emitter.nextScalarId());
  emitter.bindIndex(value, name);
  return name;
}

/// `return kilnFail(ctx, <op>, <message>)` for a failed CUDA call.
void emitCudaCheck(SourceEmitter &emitter, Operation *op, StringRef call) {
  emitter.body << "if (cudaError_t error = " << call
               << "; error != cudaSuccess)\n";
  emitter.body << "  return kilnFail(ctx, "
               << quoteCString(emitter.describe(op))
               << ", cudaGetErrorString(error));\n";
}

/// The statements of `block` but its terminator.
LogicalResult emitOps(Block &block,
                      function_ref<LogicalResult(Operation *)> emitOp) {
  for (Operation &op : block.without_terminator())
    if (failed(emitOp(&op)))
      return failure();
  return success();
}

LogicalResult emitIf(scf::IfOp op, SourceEmitter &emitter,
                     function_ref<LogicalResult(Operation *)> emitOp) {
  if (op.getNumResults() != 0)
    return op.emitError("codegen supports scf.if without results only");
  raw_indented_ostream &os = emitter.body;
  os << "if (" << getScalarExpr(emitter, op.getCondition()) << ") {\n";
  os.indent();
  if (failed(emitOps(*op.thenBlock(), emitOp)))
    return failure();
  os.unindent();
  if (Block *elseBlock = op.elseBlock();
      elseBlock && !elseBlock->without_terminator().empty()) {
    os << "} else {\n";
    os.indent();
    if (failed(emitOps(*elseBlock, emitOp)))
      return failure();
    os.unindent();
  }
  os << "}\n";
  return success();
}

LogicalResult emitFor(scf::ForOp op, SourceEmitter &emitter,
                      function_ref<LogicalResult(Operation *)> emitOp) {
  if (op.getNumResults() != 0)
    return op.emitError("codegen supports scf.for without iter_args only");
  raw_indented_ostream &os = emitter.body;
  std::string iv = bindScalar(emitter, op.getInductionVar());
  os << "for (" << getScalarCType(op.getInductionVar().getType()) << " " << iv
     << " = " << getScalarExpr(emitter, op.getLowerBound()) << "; " << iv
     << " < " << getScalarExpr(emitter, op.getUpperBound()) << "; " << iv
     << " += " << getScalarExpr(emitter, op.getStep()) << ") {\n";
  os.indent();
  if (failed(emitOps(*op.getBody(), emitOp)))
    return failure();
  os.unindent();
  os << "}\n";
  return success();
}

// while (before(args) -> cond, forwarded) { after(forwarded) -> args }
LogicalResult emitWhile(scf::WhileOp op, SourceEmitter &emitter,
                        function_ref<LogicalResult(Operation *)> emitOp) {
  raw_indented_ostream &os = emitter.body;
  Block &before = op.getBefore().front();
  Block &after = op.getAfter().front();
  // The arguments of `before`, carried from one iteration to the next.
  SmallVector<std::string> carried;
  for (auto [arg, init] :
       llvm::zip_equal(before.getArguments(), op.getInits())) {
    std::string initExpr = getScalarExpr(emitter, init);
    carried.push_back(bindScalar(emitter, arg));
    os << getScalarCType(arg.getType()) << " " << carried.back() << " = "
       << initExpr << ";\n";
  }
  // The values the condition forwards: the op's results and the arguments
  // of `after`.
  SmallVector<std::string> forwarded;
  for (auto [result, arg] :
       llvm::zip_equal(op.getResults(), after.getArguments())) {
    forwarded.push_back(bindScalar(emitter, result));
    emitter.bindIndex(arg, forwarded.back());
    os << getScalarCType(result.getType()) << " " << forwarded.back()
       << " = 0;\n";
  }
  os << "for (;;) {\n";
  os.indent();
  if (failed(emitOps(before, emitOp)))
    return failure();
  auto condition = cast<scf::ConditionOp>(before.getTerminator());
  for (auto [name, value] : llvm::zip_equal(forwarded, condition.getArgs()))
    os << name << " = " << getScalarExpr(emitter, value) << ";\n";
  os << "if (!(" << getScalarExpr(emitter, condition.getCondition()) << "))\n";
  os << "  break;\n";
  if (failed(emitOps(after, emitOp)))
    return failure();
  // The next arguments, all read before any is written.
  auto yield = cast<scf::YieldOp>(after.getTerminator());
  SmallVector<std::string> next;
  for (Value value : yield.getOperands())
    next.push_back(getScalarExpr(emitter, value));
  if (next.size() == 1) {
    os << carried[0] << " = " << next[0] << ";\n";
  } else if (!next.empty()) {
    os << "{\n";
    for (auto [i, value] : llvm::enumerate(next))
      os << "  const auto next" << i << " = " << value << ";\n";
    for (auto [i, name] : llvm::enumerate(carried))
      os << "  " << name << " = next" << i << ";\n";
    os << "}\n";
  }
  os.unindent();
  os << "}\n";
  return success();
}

/// `const T s<N> = <expr>;` for one scalar arith op.
LogicalResult emitScalarArith(Operation *op, SourceEmitter &emitter) {
  if (op->getNumResults() != 1)
    return op->emitError("codegen does not support '")
           << op->getName() << "' on host scalars";
  auto operand = [&](unsigned i) {
    return getScalarExpr(emitter, op->getOperand(i));
  };
  auto binary = [&](StringRef symbol) {
    return operand(0) + " " + symbol.str() + " " + operand(1);
  };
  FailureOr<std::string> expr =
      llvm::TypeSwitch<Operation *, FailureOr<std::string>>(op)
          .Case([&](arith::AddIOp) { return binary("+"); })
          .Case([&](arith::SubIOp) { return binary("-"); })
          .Case([&](arith::MulIOp) { return binary("*"); })
          .Case([&](arith::AndIOp) { return binary("&"); })
          .Case([&](arith::OrIOp) { return binary("|"); })
          .Case([&](arith::XOrIOp) { return binary("^"); })
          .Case([&](arith::SelectOp) {
            return operand(0) + " ? " + operand(1) + " : " + operand(2);
          })
          .Case<arith::IndexCastOp, arith::ExtSIOp, arith::ExtUIOp,
                arith::TruncIOp>([&](Operation *) {
            return "static_cast<" + getScalarCType(op->getResult(0).getType()) +
                   ">(" + operand(0) + ")";
          })
          .Case([&](arith::CmpIOp cmp) -> FailureOr<std::string> {
            using P = arith::CmpIPredicate;
            bool isUnsigned =
                cmp.getPredicate() == P::ult || cmp.getPredicate() == P::ule ||
                cmp.getPredicate() == P::ugt || cmp.getPredicate() == P::uge;
            StringRef symbol;
            switch (cmp.getPredicate()) {
            case P::eq:
              symbol = "==";
              break;
            case P::ne:
              symbol = "!=";
              break;
            case P::slt:
            case P::ult:
              symbol = "<";
              break;
            case P::sle:
            case P::ule:
              symbol = "<=";
              break;
            case P::sgt:
            case P::ugt:
              symbol = ">";
              break;
            case P::sge:
            case P::uge:
              symbol = ">=";
              break;
            }
            if (!isUnsigned)
              return binary(symbol);
            return "static_cast<uint64_t>(" + operand(0) + ") " + symbol.str() +
                   " static_cast<uint64_t>(" + operand(1) + ")";
          })
          .Default([&](Operation *) -> FailureOr<std::string> {
            return op->emitError("codegen does not support '")
                   << op->getName() << "' on host scalars";
          });
  if (failed(expr))
    return failure();
  Value result = op->getResult(0);
  std::string type = getScalarCType(result.getType());
  std::string name = bindScalar(emitter, result);
  emitter.body << "const " << type << " " << name << " = " << *expr << ";\n";
  return success();
}

LogicalResult emitLoadScalar(kernel::LoadScalarOp op, SourceEmitter &emitter) {
  std::string type = getScalarCType(op.getType());
  StringRef source = emitter.getName(op.getSource());
  std::string name = bindScalar(emitter, op.getResult());
  if (!emitter.isCuda()) {
    emitter.body << "const " << type << " " << name << " = " << source
                 << "[0];\n";
    return success();
  }
  // The host waits for the stream to decide where to go.
  emitter.body << type << " " << name << ";\n";
  emitCudaCheck(emitter, op,
                (Twine("cudaMemcpyAsync(&") + name + ", " + source +
                 ", sizeof(" + name + "), cudaMemcpyDeviceToHost, kctx.stream)")
                    .str());
  emitCudaCheck(emitter, op, "cudaStreamSynchronize(kctx.stream)");
  return success();
}

LogicalResult emitStoreScalar(kernel::StoreScalarOp op,
                              SourceEmitter &emitter) {
  std::string type = getScalarCType(op.getValue().getType());
  StringRef target = emitter.getName(op.getTarget());
  std::string value = getScalarExpr(emitter, op.getValue());
  if (!emitter.isCuda()) {
    emitter.body << target << "[0] = " << value << ";\n";
    return success();
  }
  // A copy from pageable host memory is staged before the call returns.
  emitter.body << "{\n";
  emitter.body.indent();
  emitter.body << "const " << type << " value = " << value << ";\n";
  emitCudaCheck(emitter, op,
                (Twine("cudaMemcpyAsync(") + target +
                 ", &value, sizeof(value), cudaMemcpyHostToDevice, "
                 "kctx.stream)")
                    .str());
  emitter.body.unindent();
  emitter.body << "}\n";
  return success();
}

/// Copies between row `row` of `stacked` and `single` (into `stacked` when
/// `insert`), checking the row against dim 0.
LogicalResult emitRowCopy(Operation *op, Value stacked, Value single, Value row,
                          bool reverse, bool insert, SourceEmitter &emitter) {
  raw_indented_ostream &os = emitter.body;
  std::string rows = emitter.getDimExpr(stacked, 0);
  SmallVector<std::string> rowDims = emitter.getDimExprs(single);
  std::string rowElements = rowDims.empty() ? "1" : llvm::join(rowDims, " * ");
  std::string index = getScalarExpr(emitter, row);
  if (reverse)
    index = "(" + rows + ") - 1 - " + index;
  StringRef stackedName = emitter.getName(stacked);
  StringRef singleName = emitter.getName(single);
  os << "{\n";
  os.indent();
  os << "const int64_t row = " << index << ";\n";
  os << "if (row < 0 || row >= " << rows << ")\n";
  os << "  return kilnFail(ctx, " << quoteCString(emitter.describe(op))
     << ", \"the loop runs more iterations than its scan outputs hold\");\n";
  os << "const int64_t rowElements = " << rowElements << ";\n";
  std::string at = (Twine(stackedName) + " + row * rowElements").str();
  std::string target = insert ? at : singleName.str();
  std::string source = insert ? singleName.str() : at;

  int64_t elementBytes =
      getElementBytes(cast<MemRefType>(single.getType()).getElementType());
  std::string bytes = "rowElements * " + std::to_string(elementBytes);
  os << "if (rowElements != 0)\n";
  os.indent();
  if (emitter.isCuda())
    emitCudaCheck(emitter, op,
                  "cudaMemcpyAsync(" + target + ", " + source + ", " + bytes +
                      ", cudaMemcpyDeviceToDevice, kctx.stream)");
  else
    os << "memcpy(" << target << ", " << source << ", " << bytes << ");\n";
  os.unindent();
  os.unindent();
  os << "}\n";
  return success();
}

LogicalResult emitCheckTripCount(kernel::CheckTripCountOp op,
                                 SourceEmitter &emitter) {
  raw_indented_ostream &os = emitter.body;
  std::string count = getScalarExpr(emitter, op.getCount());
  os << "if (" << count << " != " << op.getExpected() << ") {\n";
  os << "  char message[128];\n";
  os << "  snprintf(message, sizeof(message), \"the loop ran %lld times, its "
        "scan outputs hold %lld rows\", static_cast<long long>("
     << count << "), " << op.getExpected() << "LL);\n";
  os << "  return kilnFail(ctx, " << quoteCString(emitter.describe(op))
     << ", message);\n";
  os << "}\n";
  return success();
}

} // namespace

std::optional<LogicalResult>
emitControlFlow(Operation *op, SourceEmitter &emitter,
                function_ref<LogicalResult(Operation *)> emitOp) {
  return llvm::TypeSwitch<Operation *, std::optional<LogicalResult>>(op)
      .Case([&](scf::IfOp ifOp) { return emitIf(ifOp, emitter, emitOp); })
      .Case([&](scf::ForOp forOp) { return emitFor(forOp, emitter, emitOp); })
      .Case([&](scf::WhileOp whileOp) {
        return emitWhile(whileOp, emitter, emitOp);
      })
      .Case([&](kernel::LoadScalarOp load) {
        return emitLoadScalar(load, emitter);
      })
      .Case([&](kernel::StoreScalarOp store) {
        return emitStoreScalar(store, emitter);
      })
      .Case([&](kernel::ExtractRowOp extract) {
        return emitRowCopy(extract, extract.getSource(), extract.getTarget(),
                           extract.getRow(), extract.getReverse(),
                           /*insert=*/false, emitter);
      })
      .Case([&](kernel::InsertRowOp insert) {
        return emitRowCopy(insert, insert.getTarget(), insert.getSource(),
                           insert.getRow(), insert.getReverse(),
                           /*insert=*/true, emitter);
      })
      .Case([&](kernel::CheckTripCountOp check) {
        return emitCheckTripCount(check, emitter);
      })
      .Case([&](arith::ConstantOp) { return success(); })
      .Default([&](Operation *) -> std::optional<LogicalResult> {
        // Arith on host scalars (not sizes, which kilnShapes computes).
        bool isScalarArith =
            isa_and_present<arith::ArithDialect>(op->getDialect()) &&
            op->getNumResults() == 1 &&
            op->getResult(0).getType().isSignlessInteger();
        if (isScalarArith)
          return emitScalarArith(op, emitter);
        return std::nullopt;
      });
}

} // namespace kiln::codegen
