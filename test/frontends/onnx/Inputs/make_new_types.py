"""Writes models with the ONNX element types of IR 9 on into the directory
argv[1]:

input.onnx          a graph input of float8e4m3fn (17)
initializer.onnx    int4 (22) initializers with raw data: two elements in a
                    byte, three in two bytes (the last high nibble unused)
int32_data.onnx     an int4 initializer in int32_data, one packed byte each
uint2.onnx          a uint2 (25) initializer, four elements to a byte
float4.onnx         a float4e2m1 (23) initializer
bad_length.onnx     an int4 initializer of 4 elements in 1 byte of raw_data
constant.onnx       a Constant node holding a float8e5m2 (19) tensor
float8_typed.onnx   a float8e4m3fnuz (18) initializer in int32_data
e8m0.onnx           a graph input of float8e8m0 (24), which Kiln lacks
cast.onnx           a Cast to float6e2m3 (27, opset 28), which Kiln lacks
unknown.onnx        a graph input of element type 99, which no ONNX has

The type numbers are written as plain integers, so that an onnx package
older than the types writes them too.
"""
import os
import sys

from onnx import TensorProto, helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def save(name, nodes, inputs, outputs, initializers=(), opset=21):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
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


def identity_of(name, tensor, elem_type, shape):
    """A model whose output is the initializer `tensor`."""
    save(name, [helper.make_node("Identity", [tensor.name], ["y"])], [],
         [value("y", elem_type, shape)], initializers=[tensor])


save("input", [helper.make_node("Identity", ["x"], ["y"])], [value("x", 17)],
     [value("y", 17)])

save("initializer",
     [helper.make_node("Identity", ["w"], ["y"]),
      helper.make_node("Identity", ["v"], ["z"])], [],
     [value("y", 22), value("z", 22, (3,))],
     initializers=[
         TensorProto(name="w", data_type=22, dims=[2], raw_data=b"\x21"),
         TensorProto(name="v", data_type=22, dims=[3], raw_data=b"\xf9\x07")])

identity_of("int32_data",
            TensorProto(name="w", data_type=22, dims=[2], int32_data=[0x8f]),
            22, (2,))
identity_of("uint2",
            TensorProto(name="w", data_type=25, dims=[5], raw_data=b"\xe4\x01"),
            25, (5,))
identity_of("float4",
            TensorProto(name="w", data_type=23, dims=[3], raw_data=b"\xf2\x01"),
            23, (3,))
identity_of("bad_length",
            TensorProto(name="w", data_type=22, dims=[4], raw_data=b"\x21"),
            22, (4,))

constant = TensorProto(name="c", data_type=19, dims=[2], raw_data=b"\x3c\x40")
save("constant", [helper.make_node("Constant", [], ["y"], value=constant)], [],
     [value("y", 19)])

identity_of("float8_typed",
            TensorProto(name="w", data_type=18, dims=[2], int32_data=[0x40, 0x80]),
            18, (2,))

save("e8m0", [helper.make_node("Identity", ["x"], ["y"])], [value("x", 24)],
     [f32("y")])

save("cast", [helper.make_node("Cast", ["x"], ["y"], to=27)], [f32("x")],
     [f32("y")], opset=28)

save("unknown", [helper.make_node("Relu", ["x"], ["y"])], [value("x", 99)],
     [f32("y")])
