//===- KernelLibrary.h - The callees of kernel.library_call -----*- C++ -*-===//
//
// The table of docs/kernel-library.md as data: for each library kernel, how
// many inputs and outputs it takes, which attributes it needs and of which
// kind, and which element types it accepts. The verifier of
// `kernel.library_call`, the graph -> kernel lowering and codegen all read it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_KERNEL_KERNELLIBRARY_H
#define KILN_DIALECTS_KERNEL_KERNELLIBRARY_H

#include "mlir/IR/Types.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace kiln::kernel {

class LibraryCallOp;

/// The kind of a library-call attribute.
enum class LibraryAttrKind {
  I64,      // IntegerAttr of i64
  F32,      // FloatAttr of f32
  Bool,     // BoolAttr
  String,   // StringAttr
  I64Array, // DenseI64ArrayAttr
  F64Array, // DenseF64ArrayAttr
};

/// The length a DenseI64ArrayAttr (or DenseF64ArrayAttr) must have, relative to
/// the rank of the callee's first input.
enum class LibraryArrayLength {
  Any,
  Rank,         // one entry per dimension
  Spatial,      // one entry per spatial dimension: rank - 2
  TwiceSpatial, // begins then ends: 2 * (rank - 2)
};

struct LibraryAttr {
  llvm::StringLiteral name;
  LibraryAttrKind kind;
  LibraryArrayLength length = LibraryArrayLength::Any;
};

/// Element types as a bit set.
enum LibraryDType : unsigned {
  DTypeF32 = 1u << 0,
  DTypeF16 = 1u << 1,
  DTypeF64 = 1u << 2,
  DTypeI64 = 1u << 3,
  DTypeI32 = 1u << 4,
  DTypeI8 = 1u << 5,
  DTypeU8 = 1u << 6,
  DTypeI1 = 1u << 7,
  /// Every other element type of DTypes.def (bf16, i16, u32, float8, ...):
  /// the data-movement kernels take them as words of their size.
  DTypeOther = 1u << 8,
  DTypeAny = (1u << 9) - 1,
};

/// One library kernel. Its dtype constraint applies to the element type of
/// the first input (of the first output for callees without inputs).
struct LibraryCallee {
  llvm::StringLiteral name;
  unsigned minInputs, maxInputs;
  unsigned minOutputs, maxOutputs;
  llvm::ArrayRef<LibraryAttr> attrs;
  unsigned dtypes;
};

/// Every callee of the kernel library, in the order of the documentation.
llvm::ArrayRef<LibraryCallee> getLibraryCallees();

/// The callee named `name`, or null.
const LibraryCallee *lookupLibraryCallee(llvm::StringRef name);

/// The LibraryDType bit of `type`, 0 for element types the library does not
/// know.
unsigned getLibraryDType(mlir::Type type);

/// Checks a call against the table: a known callee, the number of inputs and
/// outputs, each required attribute present with its kind (and array
/// length), no unknown attributes, one size operand per dynamic entry
/// (ShapedType::kDynamic) of the i64 array attributes, and an accepted
/// element type.
mlir::LogicalResult verifyLibraryCall(LibraryCallOp op);

} // namespace kiln::kernel

#endif // KILN_DIALECTS_KERNEL_KERNELLIBRARY_H
