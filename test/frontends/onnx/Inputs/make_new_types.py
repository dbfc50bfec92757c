"""Writes models with element types newer than Kiln's (float8, int4,
float4, int2, float6) into the directory argv[1], one place per model:

input.onnx        a graph input of float8e4m3fn (17)
initializer.onnx  an int4 (22) initializer with raw data
value_info.onnx   a value_info of float4e2m1 (23) on a node's output
output.onnx       a graph output declared int2 (26)
constant.onnx     a Constant node holding a float8e5m2 (19) tensor
cast.onnx         a Cast to float6e2m3 (27, opset 28)
unknown.onnx      a graph input of element type 99, which no ONNX has

The type numbers are written as plain integers, so that an onnx package
older than the types writes them too.
"""
import os
import sys

from onnx import TensorProto, helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def save(name, nodes, inputs, outputs, initializers=(), value_info=(), opset=21):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers),
                              value_info=list(value_info))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 10
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())


def value(name, elem_type, shape=(2,)):
    info = helper.make_tensor_value_info(name, TensorProto.FLOAT, list(shape))
    info.type.tensor_type.elem_type = elem_type
    return info


def f32(name):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, [2])


relu = helper.make_node("Relu", ["x"], ["y"])
# Outputs are declared float where the type under test is elsewhere, so that
# each model is refused where that type is.
save("input", [helper.make_node("Identity", ["x"], ["y"])], [value("x", 17)],
     [f32("y")])

weights = TensorProto(name="w", data_type=22, dims=[2], raw_data=b"\x21")
save("initializer", [helper.make_node("Identity", ["w"], ["y"])], [],
     [f32("y")], initializers=[weights])

save("value_info", [relu, helper.make_node("Neg", ["y"], ["z"])], [f32("x")],
     [f32("z")], value_info=[value("y", 23)])

save("output", [relu], [f32("x")], [value("y", 26)])

constant = TensorProto(name="c", data_type=19, dims=[2], raw_data=b"\x3c\x40")
save("constant", [helper.make_node("Constant", [], ["y"], value=constant)], [],
     [f32("y")])

save("cast", [helper.make_node("Cast", ["x"], ["y"], to=27)], [f32("x")],
     [f32("y")], opset=28)

save("unknown", [relu], [value("x", 99)], [f32("y")])
