"""Drives the kiln Python module the way a user would and prints what it
sees, for FileCheck (test/python/api.test).

1. A model with two entry points, one with a dynamic `batch` (the runtime
   tests' hand-written model, kiln_fake_model): inputs as Python sees them,
   runs at two batch sizes in one process checked against numpy, and the
   errors a user can cause.
2. A model compiled with kiln.compile from ONNX text, loaded and run.

usage: check_api.py FAKE_MODEL_SO SCRATCH_DIR
"""

import json
import os
import shutil
import struct
import sys

import numpy as np

import kiln

SCALE = np.array([1.0, 0.5, -1.0], np.float32)
OFFSET = np.array([0.0, 1.0, 2.0], np.float32)


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        data = array.tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def expected_probs(x):
    z = np.exp(x.astype(np.float64) * SCALE + OFFSET)
    return (z / z.sum(axis=1, keepdims=True)).astype(np.float32)


def expect_error(what, call):
    try:
        call()
    except kiln.Error as error:
        print("%s: kiln.Error: %s" % (what, error))
        return
    print("%s: no error" % what)


def fake_model(library, scratch):
    model_dir = os.path.join(scratch, "fake")
    os.makedirs(model_dir)
    shutil.copy(library, os.path.join(model_dir, "libmodel.so"))
    write_safetensors(os.path.join(model_dir, "weights.safetensors"),
                      {"scale": SCALE, "offset": OFFSET})
    m = kiln.load(model_dir)
    print("target:", m.target)
    print("entries:", m.entries)
    print("batched inputs:", m.entry_inputs("batched"))
    print("batched outputs:", m.entry_outputs("batched"))
    rng = np.random.default_rng(7)
    for batch in (3, 17):
        x = rng.uniform(-2, 2, (batch, 3)).astype(np.float32)
        ids = np.arange(batch, dtype=np.int64)
        out = m.run({"x": x, "ids": ids}, entry="batched")
        probs_error = float(np.abs(out["probs"] - expected_probs(x)).max())
        print("batch %d: probs %s ids:doubled %s, probs max error %s, ids %s" %
              (batch, out["probs"].shape, out["ids:doubled"].shape,
               "<1e-6" if probs_error < 1e-6 else probs_error,
               "ok" if (out["ids:doubled"] == 2 * ids).all() else "WRONG"))
    # A strided view is made dense before the run.
    x = rng.uniform(-2, 2, (4, 6)).astype(np.float32)[:, ::2]
    out = m.run({"x": x, "ids": np.zeros(4, np.int64)}, entry="batched")
    print("strided input: match" if np.abs(out["probs"] - expected_probs(x)).max() < 1e-6 else "strided input: WRONG")
    out = m.run({"x": np.zeros((2, 3), np.float32), "ids": np.ones(2, np.int64)})
    print("main:", sorted(out))

    x5, ids4 = np.zeros((5, 3), np.float32), np.zeros(4, np.int64)
    expect_error("batch disagrees",
                 lambda: m.run({"x": x5, "ids": ids4}, entry="batched"))
    expect_error("static dim", lambda: m.run({"x": x5, "ids": np.zeros(5, np.int64)}))
    expect_error("missing input", lambda: m.run({"x": x5}, entry="batched"))
    expect_error("unknown input",
                 lambda: m.run({"x": x5, "ids": np.zeros(5, np.int64), "y": x5},
                               entry="batched"))
    expect_error("dtype", lambda: m.run(
        {"x": x5.astype(np.float64), "ids": np.zeros(5, np.int64)}, entry="batched"))
    expect_error("rank", lambda: m.run(
        {"x": np.zeros(15, np.float32), "ids": np.zeros(5, np.int64)}, entry="batched"))
    expect_error("model rule", lambda: m.run(
        {"x": np.zeros((65, 3), np.float32), "ids": np.zeros(65, np.int64)},
        entry="batched"))
    expect_error("run failure", lambda: m.run(
        {"x": np.zeros((2, 3), np.float32), "ids": np.array([1, -4], np.int64)}))
    expect_error("entry", lambda: m.run({}, entry="decode"))
    expect_error("load", lambda: kiln.load(os.path.join(scratch, "nowhere")))


MODEL = """
<ir_version: 8, opset_import: ["" : 17]>
g (float[batch, 4] x, float[4] b) => (float[batch, 4] y) {
  s = Add(x, b)
  y = Relu(s)
}
"""


def compiled_model(scratch):
    source = os.path.join(scratch, "add_relu.onnxtxt")
    with open(source, "w") as f:
        f.write(MODEL)
    out = kiln.compile(source, os.path.join(scratch, "add_relu"), fast_build=True)
    m = kiln.load(out)
    print("compiled inputs:", m.inputs)
    print("compiled outputs:", m.outputs)
    b = np.array([0.5, 0.5, 0.5, 0.5], np.float32)
    rng = np.random.default_rng(3)
    for batch in (2, 7):
        x = rng.uniform(-4, 4, (batch, 4)).astype(np.float32)
        y = m.run({"x": x, "b": b})["y"]
        print("compiled run, batch %d: %s %s" % (
            batch, y.shape, "match" if (y == np.maximum(x + b, 0)).all() else y))
    with open(os.path.join(scratch, "bad.onnxtxt"), "w") as f:
        f.write(MODEL.replace("Relu", "NoSuchOp"))
    expect_error("compile", lambda: kiln.compile(
        os.path.join(scratch, "bad.onnxtxt"), os.path.join(scratch, "bad")))


def main():
    library, scratch = sys.argv[1], sys.argv[2]
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    fake_model(library, scratch)
    compiled_model(scratch)


if __name__ == "__main__":
    main()
