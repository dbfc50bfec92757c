#!/usr/bin/env python3
"""Runs a compiled Kiln model and onnxruntime on the same random inputs and
compares every output.

    check_reference.py MODEL.onnxtxt COMPILED_DIR --shape ids=2x8 [--int-high 50]

Prints one line per output with the max abs error, then `match` or exits 1
after `MISMATCH ...`. Tolerance: |kiln - ort| <= 1e-4 + 1e-3 * |ort| (float32);
a NaN or an infinity in Kiln's output is a mismatch unless onnxruntime has
the same value there.

`--poison NAME=nan` (or `=inf`) overwrites the first value of Kiln's output
NAME before the comparison, to show that the check catches it.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnx.parser
import onnxruntime as ort

DTYPES = {onnx.TensorProto.FLOAT: np.float32, onnx.TensorProto.INT64: np.int64,
          onnx.TensorProto.INT32: np.int32}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("compiled")
    parser.add_argument("--shape", action="append", default=[])
    parser.add_argument("--int-high", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--kiln-run", default="kiln-run")
    parser.add_argument("--poison", action="append", default=[],
                        help="NAME=nan|inf: corrupt Kiln's output NAME (self-check)")
    args = parser.parse_args()
    poison = dict(p.split("=", 1) for p in args.poison)

    with open(args.model) as f:
        model = onnx.parser.parse_model(f.read())
    shapes = dict(s.split("=", 1) for s in args.shape)
    rng = np.random.default_rng(args.seed)
    initializers = {t.name for t in model.graph.initializer}
    feeds = {}
    for value in model.graph.input:
        if value.name in initializers:
            continue
        tt = value.type.tensor_type
        if value.name in shapes:
            shape = [int(d) for d in shapes[value.name].split("x")]
        else:
            shape = [d.dim_value for d in tt.shape.dim]
        dtype = DTYPES[tt.elem_type]
        if dtype == np.float32:
            feeds[value.name] = rng.standard_normal(shape).astype(np.float32)
        else:
            feeds[value.name] = rng.integers(0, args.int_high, size=shape).astype(dtype)

    session = ort.InferenceSession(model.SerializeToString(),
                                   providers=["CPUExecutionProvider"])
    want = session.run(None, feeds)

    with tempfile.TemporaryDirectory() as tmp:
        cmd = [args.kiln_run, args.compiled]
        for name, array in feeds.items():
            path = os.path.join(tmp, name + ".in.npy")
            np.save(path, array)
            cmd.append("--input=%s=%s" % (name, path))
        outputs = [o.name for o in model.graph.output]
        for name in outputs:
            cmd.append("--output=%s=%s" % (name, os.path.join(tmp, name + ".out.npy")))
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            print("MISMATCH kiln-run failed: " + proc.stderr.strip())
            return 1
        ok = True
        for name, expected in zip(outputs, want):
            got = np.load(os.path.join(tmp, name + ".out.npy"))
            if name in poison and got.size:
                got.flat[0] = {"nan": np.nan, "inf": np.inf}[poison[name]]
            if got.shape != expected.shape:
                print("MISMATCH %s: shape %s, onnxruntime %s" % (name, got.shape, expected.shape))
                ok = False
                continue
            g = got.astype(np.float64)
            w = np.asarray(expected, dtype=np.float64)
            # NaN and infinities are never within tolerance (NaN compares
            # false, inf - inf is NaN): they match only the same value.
            same_special = (np.isnan(g) & np.isnan(w)) | (np.isinf(w) & (g == w))
            finite = np.isfinite(g) & np.isfinite(w)
            err = np.where(finite, np.abs(g - w), 0.0)
            bad = ~same_special & (~finite | (err > 1e-4 + 1e-3 * np.abs(w)))
            print("%s: shape %s, max abs error %.3g" % (
                name, "x".join(map(str, got.shape)), float(err.max()) if err.size else 0.0))
            nonfinite = ~np.isfinite(g) & ~same_special
            if nonfinite.any():
                print("MISMATCH %s: %d NaN or infinite values where onnxruntime has "
                      "none" % (name, int(nonfinite.sum())))
                ok = False
            elif bad.any():
                print("MISMATCH %s: %d values out of tolerance" % (name, int(bad.sum())))
                ok = False
    print("match" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
