//===- SpecializeShapes.cpp - Fix the shapes of @main's inputs ------------===//
//
// main(%x: tensor<?x3x?x?xf32> {graph.name = "x"}) with shapes=x=1x3x224x224
//   -> main(%x: tensor<1x3x224x224xf32>)
//
//===----------------------------------------------------------------------===//

#include "passes/graph/Passes.h"

#include "dialects/graph/GraphUtils.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringMap.h"

namespace kiln {
#define GEN_PASS_DEF_SPECIALIZESHAPESPASS
#include "passes/graph/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// Parses "d0xd1x..." ("" is a scalar, "?" a dynamic dim).
static FailureOr<SmallVector<int64_t>> parseShape(StringRef text) {
  SmallVector<int64_t> dims;
  if (text.empty())
    return dims;
  SmallVector<StringRef> parts;
  text.split(parts, 'x');
  for (StringRef part : parts) {
    if (part == "?") {
      dims.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t dim;
    if (part.getAsInteger(10, dim) || dim < 0)
      return failure();
    dims.push_back(dim);
  }
  return dims;
}

/// The refinement of `type` to `dims`, or an error at `func` naming the
/// input.
static FailureOr<RankedTensorType> specialize(func::FuncOp func, StringRef name,
                                              RankedTensorType type,
                                              ArrayRef<int64_t> dims) {
  if (type.getRank() != static_cast<int64_t>(dims.size())) {
    func.emitError("input '") << name << "' has rank " << type.getRank()
                              << ", the shape gives " << dims.size();
    return failure();
  }
  SmallVector<int64_t> refined;
  for (auto [index, pair] : llvm::enumerate(llvm::zip(type.getShape(), dims))) {
    auto [old, dim] = pair;
    if (!ShapedType::isDynamic(old) && !ShapedType::isDynamic(dim) &&
        old != dim) {
      func.emitError("input '") << name << "' has size " << old << " in dim "
                                << index << ", the shape gives " << dim;
      return failure();
    }
    refined.push_back(ShapedType::isDynamic(dim) ? old : dim);
  }
  if (failed(graph::checkTensorSize(func.getLoc(), refined,
                                    type.getElementType(),
                                    "input '" + name + "'")))
    return failure();
  return RankedTensorType::get(refined, type.getElementType(),
                               type.getEncoding());
}

struct SpecializeShapesPass
    : impl::SpecializeShapesPassBase<SpecializeShapesPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main) {
      module.emitError("no function @main to specialize");
      return signalPassFailure();
    }
    // Argument index by graph.name.
    llvm::StringMap<unsigned> arguments;
    for (unsigned i = 0, e = main.getNumArguments(); i < e; ++i)
      if (auto name = main.getArgAttrOfType<StringAttr>(i, "graph.name"))
        arguments[name.getValue()] = i;

    for (const std::string &entry : shapes) {
      auto [name, shapeText] = StringRef(entry).split('=');
      FailureOr<SmallVector<int64_t>> dims = parseShape(shapeText);
      if (!StringRef(entry).contains('=') || failed(dims)) {
        main.emitError("malformed shape '")
            << entry << "', expected name=d0xd1x...";
        return signalPassFailure();
      }
      auto it = arguments.find(name);
      if (it == arguments.end()) {
        main.emitError("no input named '") << name << "'";
        return signalPassFailure();
      }
      BlockArgument argument = main.getArgument(it->second);
      auto type = llvm::dyn_cast<RankedTensorType>(argument.getType());
      if (!type) {
        main.emitError("input '") << name << "' is not a ranked tensor";
        return signalPassFailure();
      }
      FailureOr<RankedTensorType> refined = specialize(main, name, type, *dims);
      if (failed(refined))
        return signalPassFailure();
      argument.setType(*refined);
      clearStaticDimNames(main, it->second, *refined);
    }
    updateSignature(main);
  }

  /// Symbolic dim names are kept for dynamic dims only: "" marks the dims
  /// of argument `index` that `type` makes static.
  static void clearStaticDimNames(func::FuncOp func, unsigned index,
                                  RankedTensorType type) {
    auto names = func.getArgAttrOfType<ArrayAttr>(index, "graph.dim_names");
    if (!names || static_cast<int64_t>(names.size()) != type.getRank())
      return;
    Builder builder(func.getContext());
    SmallVector<Attribute> kept;
    for (auto [name, dim] : llvm::zip_equal(names, type.getShape()))
      kept.push_back(ShapedType::isDynamic(dim) ? name
                                                : builder.getStringAttr(""));
    func.setArgAttr(index, "graph.dim_names", builder.getArrayAttr(kept));
  }

  /// Gives `func` the types of its arguments, and of the values it returns.
  static void updateSignature(func::FuncOp func) {
    SmallVector<Type> results(func.getResultTypes());
    if (!func.getBody().empty())
      if (auto ret = llvm::dyn_cast<func::ReturnOp>(
              func.getBody().back().getTerminator()))
        results = llvm::to_vector(ret.getOperandTypes());
    func.setType(FunctionType::get(func.getContext(),
                                   func.getBody().getArgumentTypes(), results));
  }
};

} // namespace
} // namespace kiln
