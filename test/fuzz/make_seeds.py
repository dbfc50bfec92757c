#!/usr/bin/env python3
"""Seed corpora for the fuzzers, from Kiln's test models and the ONNX test
data: make_seeds.py OUT writes OUT/onnx, OUT/onnxtxt, OUT/safetensors and
OUT/npy.

  onnx         a deterministic sample of libonnx-testdata's models (at most
               64 KiB each) and the models of Kiln's importer tests
  onnxtxt      Kiln's .onnxtxt models and the ONNX text cases inside its lit
               tests (split-file sections), hostile ones included
  safetensors  small weights files of every dtype, empty and scalar tensors
  npy          arrays of every dtype, format versions 1 to 3
"""
import glob
import json
import os
import re
import shutil
import struct
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ONNX_DATA = "/usr/share/libonnx-testdata/data"
MAX_SEED_BYTES = 64 * 1024


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def onnx_seeds(out):
    models = sorted(glob.glob(os.path.join(ONNX_DATA, "*", "*", "model.onnx")))
    for i, path in enumerate(models[::6]):
        if os.path.getsize(path) <= MAX_SEED_BYTES:
            name = os.path.basename(os.path.dirname(path))
            shutil.copy(path, os.path.join(out, "%03d_%s.onnx" % (i, name)))
    # The importer tests' binary models (external data files do not come
    # along: the fuzzer resolves no external data).
    generated = os.path.join(out, "generated")
    subprocess.run([sys.executable, os.path.join(ROOT, "test/frontends/onnx/Inputs/make_models.py"),
                    generated], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, os.path.join(ROOT, "test/passes/codegen/Inputs/hostile_names.py"),
                    "model", generated], check=True, stdout=subprocess.DEVNULL)
    for path in glob.glob(os.path.join(generated, "*.onnx")):
        if os.path.getsize(path) <= MAX_SEED_BYTES:
            shutil.copy(path, os.path.join(out, "gen_" + os.path.basename(path)))
    shutil.rmtree(generated)


def onnxtxt_seeds(out):
    count = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "test", "**", "*.onnxtxt"), recursive=True)):
        shutil.copy(path, os.path.join(out, "%03d_%s" % (count, os.path.basename(path))))
        count += 1
    # split-file sections of the lit tests: `//--- name.onnxtxt` up to the next.
    for path in sorted(glob.glob(os.path.join(ROOT, "test", "**", "*.test"), recursive=True)):
        text = open(path).read()
        for match in re.finditer(r"^//--- (\S+\.onnxtxt)\n(.*?)(?=^//--- |\Z)", text, re.M | re.S):
            with open(os.path.join(out, "%03d_%s" % (count, match.group(1))), "w") as f:
                f.write(match.group(2))
            count += 1


SAFETENSORS_DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64,
                      "I64": np.int64, "I32": np.int32, "I16": np.int16,
                      "I8": np.int8, "U8": np.uint8, "U16": np.uint16,
                      "U32": np.uint32, "U64": np.uint64, "BOOL": np.bool_}


def safetensors_image(tensors, metadata=None):
    header, data = {}, b""
    for name, array in tensors:
        dtype = next(k for k, v in SAFETENSORS_DTYPES.items() if np.dtype(v) == array.dtype)
        raw = array.tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape),
                        "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header).encode()
    text += b" " * (-(8 + len(text)) % 64)
    return struct.pack("<Q", len(text)) + text + data


def safetensors_seeds(out):
    rng = np.random.default_rng(0)
    seeds = {
        "empty": [],
        "scalar": [("s", np.array(3.5, np.float32))],
        "zero": [("z", np.zeros((0, 4), np.float32))],
        "mixed": [("w", rng.standard_normal((4, 8)).astype(np.float32)),
                  ("ids", np.arange(6, dtype=np.int64)),
                  ("mask", np.array([True, False]))],
    }
    for dtype_name, dtype in SAFETENSORS_DTYPES.items():
        seeds["dtype_" + dtype_name] = [("t", (np.arange(6) % 2).astype(dtype).reshape(2, 3))]
    for name, tensors in seeds.items():
        with open(os.path.join(out, name + ".safetensors"), "wb") as f:
            f.write(safetensors_image(tensors, {"format": "kiln"} if name == "mixed" else None))


def npy_seeds(out):
    for dtype in ["f4", "f2", "f8", "i8", "i4", "i2", "i1", "u1", "u2", "u4", "u8", "b1"]:
        array = (np.arange(6) % 3).astype(dtype).reshape(2, 3)
        np.save(os.path.join(out, dtype + ".npy"), array)
    np.save(os.path.join(out, "scalar.npy"), np.float32(2.0))
    np.save(os.path.join(out, "empty.npy"), np.zeros((0, 3), np.float32))
    for version in [(2, 0), (3, 0)]:
        with open(os.path.join(out, "v%d.npy" % version[0]), "wb") as f:
            np.lib.format.write_array(f, np.ones((2, 2), np.float32), version=version)


def main():
    out = sys.argv[1]
    onnx_seeds(fresh(os.path.join(out, "onnx")))
    onnxtxt_seeds(fresh(os.path.join(out, "onnxtxt")))
    safetensors_seeds(fresh(os.path.join(out, "safetensors")))
    npy_seeds(fresh(os.path.join(out, "npy")))
    for kind in ["onnx", "onnxtxt", "safetensors", "npy"]:
        print("seeds %-12s %d files" % (kind, len(os.listdir(os.path.join(out, kind)))))


if __name__ == "__main__":
    main()
