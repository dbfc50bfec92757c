"""Writes the binary ONNX models of binary.test into the directory argv[1].

model.onnx        raw_data initializers (two whose names sanitize alike), a
                  typed-field initializer, and one in weights.bin (external
                  data at offset 8)
missing_file.onnx external data in a file that does not exist
short_file.onnx   external data that runs past the end of its file
escape.onnx       external data outside the model's directory
hostile_name.onnx a node named with a newline and a terminal escape
link_inside.onnx  external data through a symlink to a file beside it
link_outside.onnx external data through a symlink to a file outside
fifo_data.onnx    external data in a FIFO (made by the test)
dir_data.onnx     external data in a directory (made by the test)
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def external(name, dims, location, offset, length=None):
    tensor = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=dims)
    tensor.data_location = TensorProto.EXTERNAL
    entries = {"location": location, "offset": str(offset)}
    if length is not None:
        entries["length"] = str(length)
    for key, value in entries.items():
        entry = tensor.external_data.add()
        entry.key, entry.value = key, value
    return tensor


def save(name, nodes, inputs, outputs, initializers):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())


x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 8])

# The external weight: 4x8 floats 0..31 after 8 bytes of padding.
weights = np.arange(32, dtype=np.float32).reshape(4, 8)
with open(os.path.join(out, "weights.bin"), "wb") as f:
    f.write(b"\xff" * 8 + weights.tobytes())

save("model",
     [helper.make_node("MatMul", ["x", "w"], ["xw"], name="matmul"),
      helper.make_node("Add", ["xw", "a/b"], ["s"], name="add0"),
      helper.make_node("Add", ["s", "a_b"], ["t"], name="add1"),
      helper.make_node("Mul", ["t", "scale"], ["y"], name="mul")],
     [x], [y],
     [external("w", [4, 8], "weights.bin", 8, 128),
      numpy_helper.from_array(np.full((4, 8), 0.5, np.float32), "a/b"),
      numpy_helper.from_array(np.full((4, 8), 1.5, np.float32), "a_b"),
      helper.make_tensor("scale", TensorProto.FLOAT, [1], [3.0])])

for name, tensor in [("missing_file", external("w", [4, 8], "nope.bin", 0)),
                     ("short_file", external("w", [4, 8], "weights.bin", 16)),
                     ("escape", external("w", [4, 8], "../weights.bin", 0))]:
    save(name, [helper.make_node("MatMul", ["x", "w"], ["y"])], [x], [y],
         [tensor])

# A node whose name holds a newline and a terminal escape, with a FLOAT axis.
save("hostile_name",
     [helper.make_node("Softmax", ["x"], ["y"], name="evil\n\x1b[31mnode",
                       axis=1.0)],
     [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4])],
     [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 4])], [])

# External data through a symlink: one that stays inside the model's
# directory (allowed), one that leads out of it, and locations that are a
# FIFO and a directory (the test makes those).
with open(os.path.join(out, "..", "secret.bin"), "wb") as f:
    f.write(weights.tobytes())
for link, target in [("inside.bin", "weights.bin"),
                     ("outside.bin", os.path.join("..", "secret.bin"))]:
    if os.path.lexists(os.path.join(out, link)):
        os.remove(os.path.join(out, link))
    os.symlink(target, os.path.join(out, link))
for name, location, offset in [("link_inside", "inside.bin", 8),
                               ("link_outside", "outside.bin", 0),
                               ("fifo_data", "fifo.bin", 0),
                               ("dir_data", "dir.bin", 0)]:
    save(name, [helper.make_node("MatMul", ["x", "w"], ["y"])], [x], [y],
         [external("w", [4, 8], location, offset)])
