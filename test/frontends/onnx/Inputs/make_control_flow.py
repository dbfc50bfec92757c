"""Writes the binary ONNX models of control-flow.onnxtxt into the directory
argv[1]: Loops whose first input, the trip count, is left out (ONNX text of
ONNX 1.12 cannot spell an empty first input).

loop_while.onnx   Loop("", cond, x): runs while the body's condition holds
loop_forever.onnx Loop("", "", x): would never end
"""
import os
import sys

import onnx
from onnx import TensorProto, helper


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    body = helper.make_graph(
        [helper.make_node("Neg", ["a"], ["b"]),
         helper.make_node("Not", ["ci"], ["co"])],
        "while_g",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []),
         helper.make_tensor_value_info("ci", TensorProto.BOOL, []),
         helper.make_tensor_value_info("a", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("co", TensorProto.BOOL, []),
         helper.make_tensor_value_info("b", TensorProto.FLOAT, [2])])
    graph = helper.make_graph(
        [helper.make_node("Loop", ["", "c", "x"], ["y"], body=body)],
        "loop_while",
        [helper.make_tensor_value_info("c", TensorProto.BOOL, []),
         helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, os.path.join(out, "loop_while.onnx"))
    model.graph.node[0].input[1] = ""
    onnx.save(model, os.path.join(out, "loop_forever.onnx"))


if __name__ == "__main__":
    main()
