//===- GraphDialect.td - Kiln graph dialect ------------------*- tablegen -*-===//
//
// The graph dialect holds a model as value-semantics tensor ops close to ONNX.
// Opset differences are resolved by the importer: every op here has one
// meaning, the newest ONNX one the importer maps onto it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_GRAPH_DIALECT
#define KILN_GRAPH_DIALECT

include "mlir/IR/OpBase.td"

def Graph_Dialect : Dialect {
  let name = "graph";
  let summary = "value-semantics tensor ops with ONNX meaning";
  let description = [{
    Ops of the graph dialect take and return ranked tensors. Binary elementwise
    ops broadcast their operands the way numpy (and ONNX) do. Dimensions that
    are not known yet are `?`; the `kiln-propagate-shapes` pass refines them
    once the model's input shapes are fixed.
  }];
  let cppNamespace = "::kiln::graph";
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 0;
}

class Graph_Op<string mnemonic, list<Trait> traits = []> :
    Op<Graph_Dialect, mnemonic, traits>;

#endif // KILN_GRAPH_DIALECT
