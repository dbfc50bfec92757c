//===- KernelControlFlowOps.td - Host control flow -----------*- tablegen -*-===//
//
// What the host needs around `scf.if`, `scf.for` and `scf.while` (the
// lowering of ONNX If, Loop and Scan): a scalar read from or written into a
// one-element buffer (on CUDA, a copy from or to the device), rows copied
// between a stacked buffer and a buffer of one row, and the check that a
// loop filled the scan outputs it was planned for. Included from
// KernelOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNEL_CONTROL_FLOW_OPS
#define KILN_KERNEL_CONTROL_FLOW_OPS

include "dialects/kernel/KernelDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Kernel_LoadScalarOp : Kernel_Op<"load_scalar"> {
  let summary = "the one element of a buffer, read for host control flow";
  let description = [{
    Reads the single element of `source` (a condition, a trip count) into a
    host scalar of its element type. On CUDA the run waits for the stream.

    ```mlir
    %c = kernel.load_scalar %cond : memref<i1> -> i1
    ```
  }];
  let arguments = (ins Arg<AnyMemRef, "", [MemRead]>:$source);
  let results = (outs AnySignlessInteger:$value);
  let assemblyFormat = "$source attr-dict `:` type($source) `->` type($value)";
  let hasVerifier = 1;
}

def Kernel_StoreScalarOp : Kernel_Op<"store_scalar"> {
  let summary = "writes a host scalar into a one-element buffer";
  let description = [{
    ```mlir
    kernel.store_scalar %i, %iteration : i64, memref<i64>
    ```
  }];
  let arguments = (ins AnySignlessInteger:$value,
                   Arg<AnyMemRef, "", [MemWrite]>:$target);
  let assemblyFormat = [{
    $value `,` $target attr-dict `:` type($value) `,` type($target)
  }];
  let hasVerifier = 1;
}

def Kernel_ExtractRowOp : Kernel_Op<"extract_row"> {
  let summary = "copies row `row` of a stacked buffer into a buffer of one row";
  let description = [{
    `target` = `source`[`row`], where a row is a slice along dim 0; with
    `reverse`, `source`[dim0 - 1 - `row`]. A row out of range fails the run.

    ```mlir
    kernel.extract_row %x[%i], %slice : memref<3x2xf32>, memref<2xf32>
    ```
  }];
  let arguments = (ins Arg<AnyMemRef, "", [MemRead]>:$source,
                   AnySignlessIntegerOrIndex:$row,
                   Arg<AnyMemRef, "", [MemWrite]>:$target,
                   UnitAttr:$reverse);
  let assemblyFormat = [{
    $source `[` $row `]` `,` $target attr-dict `:` type($source) `,`
    type($target) `,` type($row)
  }];
  let hasVerifier = 1;
}

def Kernel_InsertRowOp : Kernel_Op<"insert_row"> {
  let summary = "copies a buffer into row `row` of a stacked buffer";
  let description = [{
    `target`[`row`] = `source`; with `reverse`, `target`[dim0 - 1 - `row`].
    A row out of range fails the run.

    ```mlir
    kernel.insert_row %elem, %out[%i] : memref<2xf32>, memref<5x2xf32>, i64
    ```
  }];
  let arguments = (ins Arg<AnyMemRef, "", [MemRead]>:$source,
                   Arg<AnyMemRef, "", [MemWrite]>:$target,
                   AnySignlessIntegerOrIndex:$row,
                   UnitAttr:$reverse);
  let assemblyFormat = [{
    $source `,` $target `[` $row `]` attr-dict `:` type($source) `,`
    type($target) `,` type($row)
  }];
  let hasVerifier = 1;
}

def Kernel_CheckTripCountOp : Kernel_Op<"check_trip_count"> {
  let summary = "fails the run unless a loop ran as often as it was planned";
  let description = [{
    The scan outputs of a loop whose trip count is not known at compile
    time take their length from the model's declared output types; the
    run fails when the loop ran `count` times for `expected` rows.

    ```mlir
    kernel.check_trip_count %n {expected = 5 : i64} : i64
    ```
  }];
  let arguments = (ins AnySignlessInteger:$count, I64Attr:$expected);
  let assemblyFormat = "$count attr-dict `:` type($count)";
}

#endif // KILN_KERNEL_CONTROL_FLOW_OPS
