//===- DistDialect.td - Kiln dist dialect --------------------*- tablegen -*-===//
//
// The dist dialect holds what partitioning adds to a graph: the per-rank
// piece of a tensor and the collectives between ranks. A partitioned
// function is one SPMD program: every value is the piece this rank holds,
// and a `#dist.split` says which piece that is (docs/partitioning.md).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIST_DIALECT
#define KILN_DIST_DIALECT

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Dist_Dialect : Dialect {
  let name = "dist";
  let summary = "per-rank pieces of tensors and the collectives between ranks";
  let cppNamespace = "::kiln::dist";
  let useDefaultAttributePrinterParser = 1;
}

// The axes of the device mesh; the values are runtime/ModelAbi.h's
// KILN_AXIS_* codes, which generated code passes to the runtime.
def Dist_AxisDP : I32EnumAttrCase<"dp", 0>;
def Dist_AxisTP : I32EnumAttrCase<"tp", 1>;
def Dist_AxisPP : I32EnumAttrCase<"pp", 2>;
def Dist_AxisMicro : I32EnumAttrCase<"micro", 3>;
def Dist_Axis : I32EnumAttr<"Axis", "a mesh axis",
    [Dist_AxisDP, Dist_AxisTP, Dist_AxisPP, Dist_AxisMicro]> {
  let cppNamespace = "::kiln::dist";
  let genSpecializedAttr = 0;
}
def Dist_AxisAttr : EnumAttr<Dist_Dialect, Dist_Axis, "axis">;

def Dist_SplitAttr : AttrDef<Dist_Dialect, "Split"> {
  let mnemonic = "split";
  let summary = "which block of one factor of one dim a rank holds";
  let description = [{
    Dim `dim` of the whole tensor has size outer * F * inner; the ranks of
    mesh axis `axis` (`parts` of them) each hold one contiguous block of
    F / parts along the factor F, the rank of coordinate c block c:
    element (o, f, i) of the dim is on coordinate f / (F / parts). With
    outer = inner = 1 this is the usual split of a dim; inner > 1 splits
    the heads of a [.., heads * head_size] dim, outer > 1 each of the
    q / k / v thirds of a fused projection. `outer` and `inner` count
    elements of the tensor the op reads or writes, whose other split
    factors may already be per-rank.

    ```mlir
    #dist.split<tp, dim = 2, parts = 2, outer = 1, inner = 64>
    ```
  }];
  let parameters = (ins "::kiln::dist::Axis":$axis, "int64_t":$dim,
                        "int64_t":$parts, "int64_t":$outer,
                        "int64_t":$inner);
  let assemblyFormat = [{
    `<` $axis `,` `dim` `=` $dim `,` `parts` `=` $parts `,` `outer` `=`
    $outer `,` `inner` `=` $inner `>`
  }];
  let genVerifyDecl = 1;
}

class Dist_Op<string mnemonic, list<Trait> traits = []> :
    Op<Dist_Dialect, mnemonic, traits>;

#endif // KILN_DIST_DIALECT
