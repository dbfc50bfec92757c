#!/usr/bin/env python3
"""ONNX conformance runner: compiles every test model of Debian's
libonnx-testdata for the CPU, runs every test_data_set_* through kiln-run and
compares the outputs with the stored ones.

Each test ends as one of
  pass         every output of every data set matches within tolerance
  fail         compiled but a run failed or an output differs (max error kept)
  unsupported  kiln-compile refused the model (its diagnostic kept)

A model that kiln-compile refuses because an input must be constant (axes,
split sizes, slice bounds, resize scales given as graph inputs) is compiled
once more with every integer input and every 1-d float input whose value is
the same in all data sets bound to that value (`kiln-compile --bind`); the
detail of such a test names the bound inputs.

It writes a markdown report (totals and one row per test) and exits non-zero
when a test named in the expected-pass list does not pass.
"""

import argparse
import concurrent.futures
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

import numpy as np
import onnx
from onnx import numpy_helper

DATA_ROOT = "/usr/share/libonnx-testdata/data"
SUITES = ["node", "simple", "pytorch-converted", "pytorch-operator"]

# Stated tolerances, per dtype: |got - want| <= atol + rtol * |want|.
TOLERANCES = {
    np.dtype(np.float16): (1e-2, 1e-3),
    np.dtype(np.float32): (1e-3, 1e-5),
    np.dtype(np.float64): (1e-7, 1e-9),
}
COMPILE_TIMEOUT_S = 120
RUN_TIMEOUT_S = 60


class Result:
    def __init__(self, name, status, detail="", max_error=None, seconds=0.0):
        self.name = name
        self.status = status
        self.detail = detail
        self.max_error = max_error
        self.seconds = seconds


def one_line(text):
    lines = [l.strip() for l in text.strip().splitlines() if l.strip()]
    # The diagnostic that says most is the first line naming an error.
    for line in lines:
        if "error" in line.lower():
            return line[:300]
    return (lines[0] if lines else "no message")[:300]


# What a sanitizer prints when it finds something.
SANITIZER_REPORTS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                     "runtime error:")


def classify_refusal(proc):
    """Why kiln-compile exited non-zero: "unsupported" only when Kiln said so
    with its own one-line diagnostic; a crash, a sanitizer report or a failed
    build of the generated code is a "fail"."""
    text = proc.stderr + proc.stdout
    if proc.returncode < 0:
        return "fail", "kiln-compile killed by signal %d: %s" % (-proc.returncode,
                                                                 one_line(text))
    if any(report in text for report in SANITIZER_REPORTS):
        return "fail", "sanitizer: " + one_line(text)
    if proc.returncode != 1 or "error:" not in text:
        return "fail", "kiln-compile exited %d: %s" % (proc.returncode, one_line(text))
    if "compiler failed" in text or "nvcc failed" in text:
        return "fail", "generated code did not build: " + one_line(text)
    return "unsupported", one_line(text)


def graph_inputs(model):
    initializers = {t.name for t in model.graph.initializer}
    return [i for i in model.graph.input if i.name not in initializers]


def read_tensor(path):
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    return numpy_helper.to_array(tensor)


def bindable_inputs(inputs, loaded):
    """The names of the int32/int64 inputs and the 1-d float inputs (resize
    scales and roi) whose values are the same in every data set, with their
    values (from the first data set)."""
    bindable = []
    for i, value in enumerate(inputs):
        first = loaded[0][1][i]
        is_int = first.dtype in (np.dtype(np.int64), np.dtype(np.int32))
        is_float_list = first.dtype.kind == "f" and first.ndim == 1
        if not is_int and not is_float_list:
            continue
        if all(ins[i].dtype == first.dtype and np.array_equal(ins[i], first)
               for _, ins, _ in loaded):
            bindable.append((value.name, first))
    return bindable


def data_sets(test_dir):
    return sorted(
        d for d in os.listdir(test_dir)
        if d.startswith("test_data_set_") and os.path.isdir(os.path.join(test_dir, d)))


def compare(name, got, want):
    """Returns (ok, max_error, message)."""
    if got.shape != want.shape:
        return False, None, "output %s: shape %s, expected %s" % (
            name, "x".join(map(str, got.shape)), "x".join(map(str, want.shape)))
    if want.dtype.kind in "fc":
        if got.dtype != want.dtype:
            return False, None, "output %s: dtype %s, expected %s" % (name, got.dtype, want.dtype)
        rtol, atol = TOLERANCES.get(want.dtype, (1e-3, 1e-5))
        g = got.astype(np.float64)
        w = want.astype(np.float64)
        nan_mismatch = np.isnan(g) != np.isnan(w)
        both = ~(np.isnan(g) | np.isnan(w))
        inf_mismatch = np.isinf(w) & both & (g != w)
        finite = both & ~np.isinf(w)
        err = np.abs(g - w)
        max_err = float(err[finite].max()) if finite.any() else 0.0
        bad = nan_mismatch | inf_mismatch | (finite & (err > atol + rtol * np.abs(w)))
        if bad.any():
            return False, max_err, "output %s: %d of %d values out of tolerance (max error %.3g)" % (
                name, int(bad.sum()), w.size, max_err)
        return True, max_err, ""
    if got.dtype != want.dtype and not (want.dtype == np.bool_ and got.dtype == np.bool_):
        return False, None, "output %s: dtype %s, expected %s" % (name, got.dtype, want.dtype)
    if not np.array_equal(got, want):
        return False, None, "output %s: %d of %d values differ" % (
            name, int((got != want).sum()), want.size)
    return True, 0.0, ""


def run_test(args, suite, test):
    start = time.time()
    name = "%s/%s" % (suite, test)
    test_dir = os.path.join(DATA_ROOT, suite, test)
    work = os.path.join(args.work, suite, test)
    model_path = os.path.join(test_dir, "model.onnx")
    try:
        model = onnx.load(model_path)
    except Exception as e:  # noqa: BLE001 - a model the reader cannot load
        return Result(name, "unsupported", "onnx cannot load the model: %s" % e)

    inputs = graph_inputs(model)
    outputs = list(model.graph.output)
    for value in inputs + outputs:
        if not value.type.HasField("tensor_type"):
            return Result(name, "unsupported",
                          "non-tensor %s '%s' (%s)" % (
                              "input" if value in inputs else "output", value.name,
                              value.type.WhichOneof("value")))
    sets = data_sets(test_dir)
    if not sets:
        return Result(name, "unsupported", "no test data")

    # Data sets grouped by their input shapes: one compile per group.
    loaded = []
    for s in sets:
        d = os.path.join(test_dir, s)
        ins = [read_tensor(os.path.join(d, "input_%d.pb" % i)) for i in range(len(inputs))
               if os.path.exists(os.path.join(d, "input_%d.pb" % i))]
        outs = [read_tensor(os.path.join(d, "output_%d.pb" % i)) for i in range(len(outputs))]
        if len(ins) != len(inputs):
            return Result(name, "unsupported", "data set %s has %d inputs, model %d" % (
                s, len(ins), len(inputs)))
        loaded.append((s, ins, outs))

    max_error = 0.0
    os.makedirs(work, exist_ok=True)
    # Inputs bound at compile time (after a "needs constant" refusal).
    bound = {}
    bind_args = []

    def finish(status, detail="", err=None):
        if bound:
            note = "bound: " + ", ".join(bound)
            detail = note + ("; " + detail if detail else "")
        return Result(name, status, detail, err, seconds=time.time() - start)

    def compile_model(out_dir, ins):
        shape_args = []
        for value, array in zip(inputs, ins):
            if value.name in bound:
                continue
            dims = value.type.tensor_type.shape.dim
            static = all(d.HasField("dim_value") for d in dims) and len(dims) == array.ndim
            if not static:
                shape_args.append("--shape=%s=%s" % (value.name, "x".join(map(str, array.shape))))
        cmd = [os.path.join(args.build, "bin", "kiln-compile"), model_path, "-o", out_dir,
               "--target=cpu", "-O0"] + shape_args + bind_args
        return subprocess.run(cmd, capture_output=True, text=True, timeout=COMPILE_TIMEOUT_S)

    compiled = {}
    for s, ins, outs in loaded:
        key = " ".join("x".join(map(str, a.shape)) for v, a in zip(inputs, ins)
                       if v.name not in bound)
        if key not in compiled:
            out_dir = os.path.join(work, "model%d" % len(compiled))
            try:
                proc = compile_model(out_dir, ins)
                message = one_line(proc.stderr + proc.stdout)
                if proc.returncode != 0 and "needs constant" in message and not bound:
                    bindable = bindable_inputs(inputs, loaded)
                    if bindable:
                        bind_dir = os.path.join(work, "bound")
                        os.makedirs(bind_dir, exist_ok=True)
                        for i, (input_name, value) in enumerate(bindable):
                            path = os.path.join(bind_dir, "input_%d.npy" % i)
                            np.save(path, value)
                            bind_args.append("--bind=%s=%s" % (input_name, path))
                            bound[input_name] = value
                        key = " ".join("x".join(map(str, a.shape))
                                       for v, a in zip(inputs, ins) if v.name not in bound)
                        proc = compile_model(out_dir, ins)
            except subprocess.TimeoutExpired:
                return finish("fail", "kiln-compile timed out")
            if proc.returncode != 0:
                return finish(*classify_refusal(proc))
            compiled[key] = (out_dir, set(bound))
        out_dir, compiled_bound = compiled[key]

        io_dir = os.path.join(work, s)
        shutil.rmtree(io_dir, ignore_errors=True)
        os.makedirs(io_dir)
        cmd = [os.path.join(args.build, "bin", "kiln-run"), out_dir]
        for i, (value, array) in enumerate(zip(inputs, ins)):
            if value.name in compiled_bound:
                continue
            path = os.path.join(io_dir, "input_%d.npy" % i)
            np.save(path, array)
            cmd.append("--input=%s=%s" % (value.name, path))
        for i, value in enumerate(outputs):
            cmd.append("--output=%s=%s" % (value.name, os.path.join(io_dir, "output_%d.npy" % i)))
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return finish("fail", "kiln-run timed out")
        if proc.returncode != 0:
            return finish("fail", "kiln-run: " + one_line(proc.stderr + proc.stdout))
        for i, (value, want) in enumerate(zip(outputs, outs)):
            got = np.load(os.path.join(io_dir, "output_%d.npy" % i))
            ok, err, message = compare(value.name, got, want)
            if err is not None:
                max_error = max(max_error, err)
            if not ok:
                return finish("fail", "%s: %s" % (s, message), err)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return finish("pass", "", max_error)


def write_report(path, results, elapsed, jobs):
    by_suite = {}
    for r in results:
        by_suite.setdefault(r.name.split("/")[0], []).append(r)
    lines = ["# ONNX conformance", "",
             "Generated by `make test-conformance` "
             "(test/e2e/conformance/run_conformance.py): every test model of Debian's "
             "libonnx-testdata 1.12 compiled with `kiln-compile --target=cpu -O0`, every "
             "`test_data_set_*` run with `kiln-run` and compared with the stored outputs.", "",
             "Tolerances: |got - want| <= atol + rtol * |want| with (rtol, atol) = "
             "(1e-3, 1e-5) for float32, (1e-2, 1e-3) for float16, (1e-7, 1e-9) for "
             "float64; integers and booleans exactly; NaN where NaN is expected.", "",
             "Ran in %.0f s with %d jobs." % (elapsed, jobs), "",
             "| suite | tests | pass | fail | unsupported |", "|---|---|---|---|---|"]
    total = [0, 0, 0, 0]
    for suite in SUITES:
        rs = by_suite.get(suite, [])
        counts = [len(rs)] + [sum(r.status == s for r in rs) for s in ("pass", "fail", "unsupported")]
        total = [a + b for a, b in zip(total, counts)]
        lines.append("| %s | %d | %d | %d | %d |" % ((suite,) + tuple(counts)))
    lines.append("| **all** | %d | %d | %d | %d |" % tuple(total))
    lines += ["", "## Tests", "", "| test | result | max error | detail |", "|---|---|---|---|"]
    for r in sorted(results, key=lambda r: r.name):
        err = "" if r.max_error is None else "%.2g" % r.max_error
        detail = r.detail.replace("|", "\\|").replace("\n", " ")
        lines.append("| %s | %s | %s | %s |" % (r.name, r.status, err, detail))
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--report", help="markdown report to write")
    parser.add_argument("--expected", help="file listing the tests that must pass")
    parser.add_argument("--update-expected", action="store_true",
                        help="rewrite the expected list with the tests that pass now")
    parser.add_argument("--filter", default="", help="regex on suite/test")
    parser.add_argument("--sample", type=int, default=1,
                        help="run every Nth test only (sanitized builds)")
    parser.add_argument("--work", default=None, help="scratch directory")
    parser.add_argument("--keep", action="store_true", help="keep compiled models")
    args = parser.parse_args()
    args.work = os.path.abspath(args.work or os.path.join(args.build, "conformance"))
    args.build = os.path.abspath(args.build)

    tests = []
    for suite in SUITES:
        root = os.path.join(DATA_ROOT, suite)
        for test in sorted(os.listdir(root)):
            if os.path.exists(os.path.join(root, test, "model.onnx")) and \
                    re.search(args.filter, "%s/%s" % (suite, test)):
                tests.append((suite, test))

    tests = tests[::args.sample]

    start = time.time()
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_test, args, s, t) for s, t in tests]
        for future in concurrent.futures.as_completed(futures):
            results.append(future.result())
    elapsed = time.time() - start

    if args.report:
        write_report(args.report, results, elapsed, args.jobs)

    status = {r.name: r for r in results}
    for suite in SUITES:
        rs = [r for r in results if r.name.startswith(suite + "/")]
        print("conformance %-18s %4d tests: %4d pass, %4d fail, %4d unsupported" % (
            suite, len(rs), sum(r.status == "pass" for r in rs),
            sum(r.status == "fail" for r in rs), sum(r.status == "unsupported" for r in rs)))

    expected = []
    if args.expected and os.path.exists(args.expected):
        with open(args.expected) as f:
            expected = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    regressions = [n for n in expected if n in status and status[n].status != "pass"]
    for n in regressions:
        print("REGRESSION %s: %s %s" % (n, status[n].status, status[n].detail))

    if args.update_expected and args.expected:
        passing = sorted(r.name for r in results if r.status == "pass")
        with open(args.expected, "w") as f:
            f.write("# Conformance tests that pass; `make test` fails when one stops passing.\n")
            f.write("# Rewrite with run_conformance.py --update-expected.\n")
            f.write("\n".join(passing) + "\n")

    checked = [n for n in expected if n in status]
    print("conformance took %.0f s; expected-pass tests checked below, the rest skipped" % elapsed)
    print("conformance: %d passed, %d failed, %d skipped" % (
        len(checked) - len(regressions), len(regressions),
        len(results) - len(checked)))
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
