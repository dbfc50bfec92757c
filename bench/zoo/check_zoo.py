#!/usr/bin/env python3
"""Compiles each exported zoo model once and checks it against onnxruntime.

    make zoo, or: build/zoo-venv/bin/python bench/zoo/check_zoo.py --build build --zoo build/zoo
        [--only NAME] [--report docs/models.md]

For each model in ZOO/NAME/model.onnx (bench/zoo/export_zoo.py): compiles it
with `kiln-compile --target=cpu` and no --shape (its dims stay dynamic),
measuring wall time and the compiler's peak resident memory; then, at two
sizes (batch and sequence), makes seeded random inputs, runs the one compiled
model with kiln-run and onnxruntime (CPUExecutionProvider) and compares every
output: |kiln - ort| <= ATOL + RTOL * |ort|, and no NaN or Inf where
onnxruntime has none. Prints a table; with --report writes it as markdown.
Exits non-zero when a model fails to compile or to match.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnxruntime as ort

RTOL = 1e-3
ATOL = 1e-4
# (batch, sequence) of the two runs; image models use the batch only.
SIZES = [(1, 7), (3, 40)]


def compile_model(build, model, out, target="cpu"):
    """Compiles `model` into `out`; (seconds, peak RSS in MiB, error)."""
    cmd = [os.path.join(build, "bin", "kiln-compile"), model, "-o", out,
           "--target=" + target]
    start = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.time() - start
    peak_mib = usage.ru_maxrss / 1024.0
    if proc.returncode != 0:
        lines = [l for l in output.splitlines() if "error" in l] or output.splitlines()
        return seconds, peak_mib, (lines[0] if lines else "exit %d" % proc.returncode)
    return seconds, peak_mib, None


def make_inputs(spec, batch, sequence, seed):
    rng = np.random.default_rng(seed)
    feeds = {}
    for s in spec["inputs"]:
        dims = [batch if d == "batch" else sequence if d == "sequence" else d
                for d in s["dims"]]
        if s["dtype"] == "int64":
            feeds[s["name"]] = rng.integers(s["low"], s["high"], dims, dtype=np.int64)
        else:
            feeds[s["name"]] = rng.uniform(s["low"], s["high"], dims).astype(np.float32)
    return feeds


def run_kiln(build, compiled, feeds, outputs, tmp):
    cmd = [os.path.join(build, "bin", "kiln-run"), compiled]
    for name, array in feeds.items():
        path = os.path.join(tmp, "in_%s.npy" % name)
        np.save(path, array)
        cmd += ["--input", "%s=%s" % (name, path)]
    paths = {}
    for name in outputs:
        paths[name] = os.path.join(tmp, "out_%d.npy" % len(paths))
        cmd += ["--output", "%s=%s" % (name, paths[name])]
    start = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.time() - start
    if proc.returncode != 0:
        message = (proc.stderr or proc.stdout).strip().splitlines()
        raise RuntimeError(message[-1] if message else "kiln-run failed")
    return {name: np.load(path) for name, path in paths.items()}, seconds


def compare(got, want):
    """(max abs error, max error over tolerance, problem or None)."""
    if got.shape != want.shape:
        return None, None, "shape %s, want %s" % (got.shape, want.shape)
    if got.dtype != want.dtype:
        return None, None, "dtype %s, want %s" % (got.dtype, want.dtype)
    got64, want64 = got.astype(np.float64), want.astype(np.float64)
    bad_got = ~np.isfinite(got64) & np.isfinite(want64)
    if bad_got.any():
        return None, None, "%d NaN/Inf where onnxruntime has none" % bad_got.sum()
    diff = np.abs(got64 - want64)
    finite = np.isfinite(want64)
    diff = np.where(finite, diff, 0.0)
    ratio = diff / (ATOL + RTOL * np.abs(np.where(finite, want64, 0.0)))
    return float(diff.max(initial=0.0)), float(ratio.max(initial=0.0)), None


def check(args, name):
    model_dir = os.path.join(args.zoo, name)
    model = os.path.join(model_dir, "model.onnx")
    with open(os.path.join(model_dir, "inputs.json")) as f:
        spec = json.load(f)
    row = {"model": name, "onnx_mb": dir_size(model_dir) / 1e6}
    compiled = os.path.join(args.work, name)
    seconds, peak, error = compile_model(args.build, model, compiled)
    row.update(compile_s=seconds, compile_mib=peak)
    if error:
        row["error"] = error
        return row
    row["lib_mb"] = os.path.getsize(os.path.join(compiled, "libmodel.so")) / 1e6
    row["weights_mb"] = os.path.getsize(
        os.path.join(compiled, "weights.safetensors")) / 1e6
    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    outputs = [o.name for o in session.get_outputs()]
    row["runs"] = []
    for batch, sequence in SIZES:
        is_text = any("sequence" in s["dims"] for s in spec["inputs"])
        size = "%dx%d" % (batch, sequence) if is_text else "%d" % batch
        feeds = make_inputs(spec, batch, sequence, seed=batch * 1000 + sequence)
        want = dict(zip(outputs, session.run(outputs, feeds)))
        with tempfile.TemporaryDirectory() as tmp:
            try:
                got, kiln_s = run_kiln(args.build, compiled, feeds, outputs, tmp)
            except RuntimeError as e:
                row["runs"].append({"size": size, "error": str(e)})
                continue
        worst_abs, worst_ratio, problem = 0.0, 0.0, None
        scale = max(float(np.max(np.abs(want[out]), initial=0.0)) for out in outputs)
        for out in outputs:
            a, r, p = compare(got[out], want[out])
            if p:
                problem = "%s: %s" % (out, p)
                break
            worst_abs, worst_ratio = max(worst_abs, a), max(worst_ratio, r)
        row["runs"].append({"size": size, "max_abs": worst_abs, "ratio": worst_ratio,
                            "scale": scale, "kiln_s": kiln_s, "error": problem})
    if args.cuda:
        cuda_dir = os.path.join(args.work, name + "-cuda")
        seconds, _, error = compile_model(args.build, model, cuda_dir, "cuda")
        row["cuda"] = {"seconds": seconds, "error": error,
                       "mb": None if error else os.path.getsize(
                           os.path.join(cuda_dir, "libmodel.so")) / 1e6}
    return row


def dir_size(path):
    return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path)
               if os.path.isfile(os.path.join(path, f)))


def passed(row):
    return "error" not in row and all(
        not r["error"] and r["ratio"] <= 1.0 for r in row["runs"])


def table(rows):
    lines = ["| model | ONNX MB | compile s | compile peak MiB | libmodel.so MB | "
             "weights MB | size | max abs(ort) | max abs error | error / tolerance | "
             "result |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        head = "| %s | %.1f | %.1f | %.0f |" % (row["model"], row["onnx_mb"],
                                               row["compile_s"], row["compile_mib"])
        if "error" in row:
            lines.append(head + " | | | | | | compile failed: %s |" %
                         row["error"].replace("|", "\\|"))
            continue
        for i, run in enumerate(row["runs"]):
            files = (" %.2f | %.1f |" % (row["lib_mb"], row["weights_mb"]) if i == 0
                     else " | |")
            if run["error"]:
                lines.append((head if i == 0 else "| | | | |") + files +
                             " %s | | | | fail: %s |" % (run["size"],
                                                      run["error"].replace("|", "\\|")))
                continue
            ok = "pass" if run["ratio"] <= 1.0 else "fail"
            lines.append((head if i == 0 else "| | | | |") + files +
                         " %s | %.3g | %.2g | %.2g | %s |" % (
                             run["size"], run["scale"], run["max_abs"], run["ratio"], ok))
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--zoo", default="build/zoo")
    parser.add_argument("--work", default=None, help="where compiled models go")
    parser.add_argument("--only", action="append", help="check this model only")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--report", help="markdown file to write")
    parser.add_argument("--cuda", action="store_true",
                        help="also build each model for --target=cuda (nvcc)")
    args = parser.parse_args()
    args.build = os.path.abspath(args.build)
    args.work = os.path.abspath(args.work or os.path.join(args.build, "zoo-compiled"))
    os.makedirs(args.work, exist_ok=True)
    names = args.only or sorted(d for d in os.listdir(args.zoo)
                                if os.path.exists(os.path.join(args.zoo, d, "model.onnx")))
    rows = []
    for name in names:
        row = check(args, name)
        rows.append(row)
        print("\n".join(table([row])[2:]))
        sys.stdout.flush()
    lines = table(rows)
    if args.cuda:
        lines += ["", "CUDA target (`kiln-compile --target=cuda`: the generated CUDA "
                  "built by nvcc for sm_80 and sm_90; built, not run):", "",
                  "| model | build s | libmodel.so MB | result |", "|---|---|---|---|"]
        for row in rows:
            cuda = row.get("cuda")
            if not cuda:
                continue
            lines.append("| %s | %.1f | %s | %s |" % (
                row["model"], cuda["seconds"],
                "" if cuda["mb"] is None else "%.2f" % cuda["mb"],
                "builds" if not cuda["error"] else "fails: " + cuda["error"]))
    print("\n".join(lines))
    if args.report:
        write_report(args.report, lines)
    failed = [r["model"] for r in rows
              if not passed(r) or (r.get("cuda") or {}).get("error")]
    if failed:
        print("zoo: %d of %d models fail: %s" % (len(failed), len(rows),
                                                ", ".join(failed)))
        return 1
    print("zoo: all %d models compile once and match onnxruntime at %d sizes" %
          (len(rows), len(SIZES)))
    return 0


def write_report(path, lines):
    import torch
    import transformers
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    head = [
        "# Model zoo",
        "",
        "Generated by `make zoo` (bench/zoo/export_zoo.py, then bench/zoo/check_zoo.py "
        "--report docs/models.md) on %s: %s, %d cores." % (
            datetime.date.today().isoformat(), cpu, os.cpu_count()),
        "",
        "Each model is built from its configuration with seeded random weights and "
        "exported by torch %s's default exporter (transformers %s), batch and "
        "sequence dynamic. Kiln compiles it once, without `--shape` (`kiln-compile "
        "--target=cpu`, default -O level), and runs that one library at both sizes "
        "(batch x sequence for text models, batch for image models) with kiln-run; "
        "onnxruntime %s (CPUExecutionProvider) runs the same inputs. A size passes "
        "when every output has |kiln - ort| <= %g + %g |ort| (fp32) and no NaN or "
        "Inf where onnxruntime has none; `error / tolerance` is the largest "
        "|kiln - ort| / (%g + %g |ort|)." % (
            torch.__version__, transformers.__version__, ort.__version__,
            ATOL, RTOL, ATOL, RTOL),
        "",
        "Compile peak MiB is the peak resident memory of kiln-compile or of the C++ "
        "compiler it runs, whichever is larger (the child's `ru_maxrss`).",
        "",
    ]
    with open(path, "w") as f:
        f.write("\n".join(head + lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
