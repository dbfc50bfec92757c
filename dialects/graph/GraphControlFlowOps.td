//===- GraphControlFlowOps.td - If, Loop and Scan ------------*- tablegen -*-===//
//
// ONNX control flow: ops whose sub-graphs are single-block regions ending in
// `graph.yield`. Regions are not isolated from above: a value of an
// enclosing region (ONNX's outer-scope reference) is used directly. A value
// carried from one iteration to the next keeps one type: its shape may not
// change between iterations. Included from GraphOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_GRAPH_CONTROL_FLOW_OPS
#define KILN_GRAPH_CONTROL_FLOW_OPS

include "dialects/graph/GraphDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// A control-flow op: its results are inferred from what its regions yield
// (GraphControlFlow.cpp), and it has the effects of the ops in its regions.
class Graph_ControlFlowOp<string mnemonic, list<Trait> traits = []> :
    Graph_Op<mnemonic, !listconcat(traits, [
        RecursiveMemoryEffects,
        InferShapedTypeOpAdaptor,
        Graph_ResultsMatchInference])> {
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// YieldOp
//===----------------------------------------------------------------------===//

def Graph_YieldOp : Graph_Op<"yield", [
    Pure, Terminator,
    ParentOneOf<["IfOp", "LoopOp", "ScanOp"]>]> {
  let summary = "the values a sub-graph produces";
  let description = [{
    Ends the region of a `graph.if`, `graph.loop` or `graph.scan`; its
    operands are the sub-graph's outputs, in order.

    ```mlir
    graph.yield %a, %b : tensor<2xf32>, tensor<i1>
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$values);
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, {}); }]>];
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

//===----------------------------------------------------------------------===//
// IfOp
//===----------------------------------------------------------------------===//

def Graph_IfOp : Graph_ControlFlowOp<"if", [NoRegionArguments]> {
  let summary = "one of two sub-graphs, chosen by a boolean";
  let description = [{
    ONNX If: runs `then_branch` when the one element of `cond` is true,
    `else_branch` otherwise, and returns what the branch yields. Both
    branches yield values of compatible types (one rank and element type,
    equal static dims); a result dim is static where either branch's is.

    ```mlir
    %r = graph.if %c : tensor<i1> -> tensor<2xf32> {
      graph.yield %a : tensor<2xf32>
    } else {
      graph.yield %b : tensor<2xf32>
    }
    ```
  }];
  let arguments = (ins RankedTensorOf<[I1]>:$cond);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let regions = (region SizedRegion<1>:$then_branch,
                        SizedRegion<1>:$else_branch);
  let assemblyFormat = [{
    $cond `:` type($cond) (`->` type($outputs)^)?
    $then_branch `else` $else_branch attr-dict
  }];
}

//===----------------------------------------------------------------------===//
// LoopOp
//===----------------------------------------------------------------------===//

def Graph_LoopOp : Graph_ControlFlowOp<"loop", [AttrSizedOperandSegments]> {
  let summary = "a sub-graph run while a trip count and a condition allow";
  let description = [{
    ONNX Loop: runs `body` for i = 0, 1, ... while i < `max_trip_count`
    (when given) and the condition holds (`cond` before the first
    iteration, then the condition the body yields; true when `cond` is
    absent). The body takes the iteration number (tensor<i64>), the
    condition (tensor<i1>) and the N carried values, and yields the next
    condition, the N next carried values and K scan elements. The results
    are the N carried values after the last iteration (the initial ones
    when the body never runs) and the K scan outputs: the scan elements of
    every iteration stacked along a new first dim.

    ```mlir
    %y, %s = graph.loop max_trip_count(%m : tensor<i64>) cond(%c : tensor<i1>)
        carried(%y0 : tensor<2xf32>) -> tensor<2xf32>, tensor<5x2xf32> {
    ^bb0(%i: tensor<i64>, %ci: tensor<i1>, %yi: tensor<2xf32>):
      %n = graph.add %yi, %yi : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
      graph.yield %ci, %n, %n : tensor<i1>, tensor<2xf32>, tensor<2xf32>
    }
    ```
  }];
  let arguments = (ins Optional<RankedTensorOf<[I64]>>:$max_trip_count,
                   Optional<RankedTensorOf<[I1]>>:$cond,
                   Variadic<AnyRankedTensor>:$inits);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    (`max_trip_count` `(` $max_trip_count^ `:` type($max_trip_count) `)`)?
    (`cond` `(` $cond^ `:` type($cond) `)`)?
    (`carried` `(` $inits^ `:` type($inits) `)`)?
    (`->` type($outputs)^)? $body attr-dict
  }];
  let extraClassDeclaration = [{
    /// The number of carried values (N).
    unsigned getNumCarried() { return getInits().size(); }
    /// The number of scan outputs (K).
    unsigned getNumScanOutputs() {
      return getOutputs().size() - getNumCarried();
    }
  }];
}

//===----------------------------------------------------------------------===//
// ScanOp
//===----------------------------------------------------------------------===//

def Graph_ScanOp : Graph_ControlFlowOp<"scan"> {
  let summary = "a sub-graph run once per slice along the first dim";
  let description = [{
    ONNX Scan (opset 9 and newer) with every scan axis 0: the importer
    transposes other axes to the front. For t = 0 .. T-1 the body takes the
    N states and slice t of each of the M scan inputs (slice T-1-t for an
    input whose direction is 1), and yields the N next states and K scan
    elements. The results are the N final states and the K scan outputs,
    the elements stacked along a new first dim (in reverse order for an
    output whose direction is 1). All scan inputs share T.

    ```mlir
    %s, %z = graph.scan %s0, %x
        : (tensor<2xf32>, tensor<3x2xf32>) -> (tensor<2xf32>, tensor<3x2xf32>) {
    ^bb0(%si: tensor<2xf32>, %xi: tensor<2xf32>):
      %n = graph.add %si, %xi : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
      graph.yield %n, %n : tensor<2xf32>, tensor<2xf32>
    } {num_scan_inputs = 1 : i64}
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs,
                   I64Attr:$num_scan_inputs,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_input_directions,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_output_directions);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $inputs `:` functional-type($inputs, $outputs) $body attr-dict
  }];
  let extraClassDeclaration = [{
    /// The number of states (N).
    unsigned getNumStates() {
      return getInputs().size() - getNumScanInputs();
    }
    /// The initial states and the scan inputs.
    ::mlir::OperandRange getInits() {
      return getInputs().take_front(getNumStates());
    }
    ::mlir::OperandRange getScanInputs() {
      return getInputs().drop_front(getNumStates());
    }
    /// Whether scan input (output) `i` is read (written) from the end.
    bool isInputReversed(unsigned i);
    bool isOutputReversed(unsigned i);
  }];
}

#endif // KILN_GRAPH_CONTROL_FLOW_OPS
