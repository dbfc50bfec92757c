"""Writes weights.safetensors of test/runtime/FakePartitionedModel.cpp.

    partitioned_weights.py OUT [--tp N] [--only NAME...]

W (4, 2) = [[1, 2], [3, 4], [5, 6], [7, 8]] split by rows over N tensor-parallel
ranks as w@0 .. w@N-1, and bias (2) = [0.5, -0.5]; --only keeps the named
tensors (to leave one out).
"""
import argparse
import json
import struct

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--tp", type=int, default=2)
parser.add_argument("--only", nargs="*")
args = parser.parse_args()

w = np.arange(1, 9, dtype=np.float32).reshape(4, 2)
rows = 4 // args.tp
tensors = {f"w@{c}": w[c * rows:(c + 1) * rows] for c in range(args.tp)}
tensors["bias"] = np.array([0.5, -0.5], np.float32)
if args.only is not None:
    tensors = {k: v for k, v in tensors.items() if k in args.only}

header, data = {}, b""
for name, array in tensors.items():
    raw = array.tobytes()
    header[name] = {"dtype": "F32", "shape": list(array.shape),
                    "data_offsets": [len(data), len(data) + len(raw)]}
    data += raw
text = json.dumps(header).encode()
text += b" " * (-(len(text) + 8) % 64)
with open(args.out, "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + data)
