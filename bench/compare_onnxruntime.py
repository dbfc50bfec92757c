#!/usr/bin/env python3
"""Model latency, Kiln against onnxruntime, on the CPU.

    python3 bench/compare_onnxruntime.py [--build build] [--runs 200] [--threads 1]

Compiles each example model of test/models with kiln-compile (-O2), times it
with `kiln-run --bench`, times onnxruntime (CPUExecutionProvider, all graph
optimizations, the same thread count) on the same inputs in this process, and
prints one row per model: median / p90 / min milliseconds of each and the
ratio of the medians (onnxruntime / Kiln: above 1 means Kiln is faster).
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx.parser
import onnxruntime as ort

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = [
    ("cnn", "test/models/cnn.onnxtxt", {"x": (2, 3, 32, 32)}, None),
    ("encoder block", "test/models/transformer_block.onnxtxt", {"ids": (3, 8)}, 50),
]


def ort_times(model, feeds, runs, threads):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(model.SerializeToString(), options,
                                   providers=["CPUExecutionProvider"])
    for _ in range(3):
        session.run(None, feeds)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - start) * 1e3)
    return np.median(times), np.percentile(times, 90), np.min(times)


def kiln_times(build, compiled, feeds, runs, threads, tmp):
    cmd = [os.path.join(build, "bin", "kiln-run"), compiled, "--bench", str(runs),
           "--threads", str(threads)]
    for name, array in feeds.items():
        path = os.path.join(tmp, name + ".npy")
        np.save(path, array)
        cmd += ["--input", "%s=%s" % (name, path)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    # The table's last line: runs median_ms p90_ms min_ms.
    values = out.strip().splitlines()[-1].split()
    return float(values[1]), float(values[2]), float(values[3])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    print("machine: %s, %d cores; onnxruntime %s; threads %d; %d runs after warm-up" % (
        platform.processor() or platform.machine(), os.cpu_count(), ort.__version__,
        args.threads, args.runs))
    print("%-14s %-10s %10s %10s %10s %10s %10s %10s %8s" % (
        "model", "input", "kiln med", "kiln p90", "kiln min", "ort med", "ort p90",
        "ort min", "ort/kiln"))
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        for label, path, shapes, int_high in MODELS:
            with open(os.path.join(ROOT, path)) as f:
                model = onnx.parser.parse_model(f.read())
            feeds = {}
            for name, shape in shapes.items():
                feeds[name] = (rng.integers(0, int_high, size=shape).astype(np.int64)
                               if int_high else rng.standard_normal(shape).astype(np.float32))
            compiled = os.path.join(tmp, label.replace(" ", "_"))
            subprocess.run([os.path.join(args.build, "bin", "kiln-compile"),
                            os.path.join(ROOT, path), "-o", compiled, "--target=cpu"] +
                           ["--shape=%s=%s" % (n, "x".join(map(str, s)))
                            for n, s in shapes.items()], check=True)
            k = kiln_times(args.build, compiled, feeds, args.runs, args.threads, tmp)
            o = ort_times(model, feeds, args.runs, args.threads)
            shape_text = ",".join("x".join(map(str, s)) for s in shapes.values())
            print("%-14s %-10s %10.3f %10.3f %10.3f %10.3f %10.3f %10.3f %8.2f" % (
                (label, shape_text) + k + o + (o[0] / k[0],)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
