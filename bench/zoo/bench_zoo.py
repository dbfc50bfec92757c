#!/usr/bin/env python3
"""CPU latency of the model zoo: Kiln against onnxruntime, side by side.

    python bench/zoo/bench_zoo.py --build build --zoo build/zoo
        [--models bert-base,...] [--threads 1,2] [--rounds 4] [--runs 5]
        [--batch 1] [--seq 128] [--report bench/results/cpu.md]

Each model of the zoo (bench/zoo/export_zoo.py) is compiled once with
kiln-compile for the benchmark's shapes (batch x sequence tokens, or batch
images of 3x224x224) and given the same seeded inputs as onnxruntime
(CPUExecutionProvider, every graph optimization, the same intra-op thread
count, one inter-op thread). For each thread count the two alternate:
`rounds` times, `kiln-run --bench RUNS` (after its warm-up) then RUNS timed
onnxruntime runs (after three warm-up runs in the first round); the table
gives the median of all rounds x runs timed runs of each (40 by default),
and Kiln's time over onnxruntime's (below 1: Kiln is faster).
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnxruntime as ort


def make_inputs(spec, batch, seq):
    rng = np.random.default_rng(spec.get("seed", 0))
    feeds = {}
    for entry in spec["inputs"]:
        dims = [batch if d == "batch" else seq if d == "sequence" else d
                for d in entry["dims"]]
        if entry["dtype"].startswith("int"):
            feeds[entry["name"]] = rng.integers(
                entry.get("low", 0), entry.get("high", 2), dims).astype(entry["dtype"])
        else:
            feeds[entry["name"]] = rng.standard_normal(dims).astype(entry["dtype"])
    return feeds


def kiln_times(kiln_run, compiled, inputs, runs, threads):
    command = [kiln_run, compiled, "--bench", str(runs), "--bench-times",
               "--threads", str(threads)]
    command += ["--input=%s=%s" % item for item in inputs.items()]
    text = subprocess.run(command, stdout=subprocess.PIPE, text=True,
                          check=True).stdout
    for line in text.splitlines():
        if line.startswith("times_ms "):
            return [float(t) for t in line.split()[1:]]
    raise RuntimeError("kiln-run printed no run times:\n" + text)


def ort_times(session, feeds, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - start) * 1e3)
    return times


def cpu_name():
    try:
        for line in subprocess.run(["lscpu"], stdout=subprocess.PIPE,
                                   text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--zoo", default="build/zoo")
    parser.add_argument("--models",
                        default="bert-base,gpt2-small,llama-small,vit-b16,"
                                "resnet50,mobilenetv3")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--report")
    args = parser.parse_args()
    kiln_compile = os.path.join(args.build, "bin", "kiln-compile")
    kiln_run = os.path.join(args.build, "bin", "kiln-run")
    threads = [int(t) for t in args.threads.split(",")]

    header = ("machine: %s, %d cores; onnxruntime %s (CPUExecutionProvider, "
              "all graph optimizations); %d rounds x %d runs, alternating, "
              "median of all" %
              (cpu_name(), os.cpu_count(), ort.__version__, args.rounds,
               args.runs))
    rows = {t: [] for t in threads}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.models.split(","):
            folder = os.path.join(args.zoo, name)
            spec = json.load(open(os.path.join(folder, "inputs.json")))
            feeds = make_inputs(spec, args.batch, args.seq)
            inputs = {}
            for input_name, array in feeds.items():
                path = os.path.join(tmp, "%s.%s.npy" % (name, input_name))
                np.save(path, array)
                inputs[input_name] = path
            compiled = os.path.join(tmp, name)
            shapes = ["--shape=%s=%s" % (n, "x".join(map(str, a.shape)))
                      for n, a in feeds.items()]
            subprocess.run([kiln_compile, os.path.join(folder, "model.onnx"),
                            "-o", compiled] + shapes, check=True,
                           stdout=subprocess.DEVNULL)
            shape_text = ",".join("x".join(map(str, a.shape))
                                  for a in feeds.values())
            for t in threads:
                options = ort.SessionOptions()
                options.intra_op_num_threads = t
                options.inter_op_num_threads = 1
                options.graph_optimization_level = (
                    ort.GraphOptimizationLevel.ORT_ENABLE_ALL)
                session = ort.InferenceSession(
                    os.path.join(folder, "model.onnx"), options,
                    providers=["CPUExecutionProvider"])
                for _ in range(3):
                    session.run(None, feeds)
                kiln, onnx = [], []
                for _ in range(args.rounds):
                    kiln += kiln_times(kiln_run, compiled, inputs, args.runs,
                                       t)
                    onnx += ort_times(session, feeds, args.runs)
                k, o = statistics.median(kiln), statistics.median(onnx)
                rows[t].append((name, shape_text, k, o, k / o))
                print("%-12s %-16s threads %d: kiln %.2f ms, onnxruntime "
                      "%.2f ms, kiln/ort %.2f" % (name, shape_text, t, k, o,
                                                  k / o), flush=True)

    lines = [header, ""]
    for t in threads:
        lines.append("threads %d:" % t)
        lines.append("%-12s %-16s %10s %10s %9s" % (
            "model", "input", "kiln ms", "ort ms", "kiln/ort"))
        for name, shape_text, k, o, ratio in rows[t]:
            lines.append("%-12s %-16s %10.2f %10.2f %9.2f" % (
                name, shape_text, k, o, ratio))
        lines.append("")
    table = "\n".join(lines)
    print(table)
    if args.report:
        with open(args.report, "w") as f:
            f.write("# CPU latency of the model zoo, Kiln against onnxruntime\n\n"
                    "`make bench` (bench/zoo/bench_zoo.py), %s. Milliseconds per "
                    "inference (median); kiln/ort below 1 means Kiln is "
                    "faster.\n\n```\n%s```\n" %
                    (time.strftime("%Y-%m-%d"), table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
