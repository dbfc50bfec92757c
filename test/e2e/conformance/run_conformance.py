#!/usr/bin/env python3
"""ONNX conformance runner: compiles every test model of Debian's
libonnx-testdata (ONNX 1.12) and of the node suite of the pip `onnx` package
(ONNX 1.23, suite "onnx-1.23/node") for the CPU, runs every test_data_set_*
through kiln-run and compares the outputs with the stored ones.

The pip wheel ships the node suite as Python test cases rather than files;
they are written once as model.onnx + test_data_set_*/{input,output}_*.pb
under BUILD/onnx-<version>-node (or read from the package's
backend/test/data/node when a source install has it). That suite needs
onnx 1.23.2 in the Python that runs this script; with another version it is
skipped, and said so.

Each test ends as one of
  pass         every output of every data set matches within tolerance
  fail         anything else: a compile error that is not one of Kiln's
               refusals below, a crash, a sanitizer report, generated code
               that does not build, a timeout, a failed run, a wrong number
  unsupported  kiln-compile refused the model with one of Kiln's own
               diagnostics for an unsupported op, op version, op feature
               (attribute, mode or output it names as not supported),
               element type, opset or IR version, an input that must be
               constant, or (--dynamic) a dynamic dimension that needs
               --shape; or the test carries values that are not tensors

A model that kiln-compile refuses because an input must be constant (axes,
split sizes, slice bounds, resize scales given as graph inputs) is compiled
once more with every integer input and every 1-d float input whose value is
the same in all data sets bound to that value (`kiln-compile --bind`); the
detail of such a test names the bound inputs.

Modes, each reported with its own totals:
  static     every test, inputs' shapes given with --shape where the model
             leaves them open, compiled at -O0 (always)
  dynamic    (--dynamic) every test with each graph input's dims rewritten
             to symbolic dim_params, compiled without --shape
  optimized  (--opt-sample N) every Nth test that passed statically,
             compiled at kiln-compile's default optimization level

It writes a markdown report (totals per suite and mode, one row per test)
and exits non-zero when a test named in the expected-pass list does not
pass statically. The list only grows: --update-expected adds the tests that
pass; dropping an entry (and tolerating its failure) takes --allow-shrink.
"""

import argparse
import json
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

DEBIAN_DATA_ROOT = "/usr/share/libonnx-testdata/data"
DEBIAN_SUITES = ["node", "simple", "pytorch-converted", "pytorch-operator"]
# The pip package's node suite: its name and the onnx version it is made of.
PIP_SUITE = "onnx-1.23/node"
PIP_ONNX_VERSION = "1.23.2"
SUITES = DEBIAN_SUITES + [PIP_SUITE]
MODES = ["static", "dynamic", "optimized"]

# Stated tolerances, per dtype: |got - want| <= atol + rtol * |want|.
TOLERANCES = {
    np.dtype(np.float16): (1e-2, 1e-3),
    np.dtype(np.float32): (1e-3, 1e-5),
    np.dtype(np.float64): (1e-7, 1e-9),
    "bfloat16": (2e-2, 1e-3),
}
COMPILE_TIMEOUT_S = 120
RUN_TIMEOUT_S = 60


class Result:
    def __init__(self, name, status, detail="", max_error=None, seconds=0.0,
                 mode="static"):
        self.name = name
        self.status = status
        self.detail = detail
        self.max_error = max_error
        self.seconds = seconds
        self.mode = mode

    @property
    def suite(self):
        return self.name.rsplit("/", 1)[0]


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


# Kiln's own diagnostics for what it does not support (after "error: ").
UNSUPPORTED_DIAGNOSTICS = [
    re.compile(p) for p in (
        # An op, or a schema version of it, no import function implements.
        r"^unsupported ONNX op '[^']*' ",
        r"^unsupported ONNX (opset|IR) version \d+",
        # An element type: of an input, a tensor, a value, a Cast target, or
        # one the lowering or codegen of an op does not handle.
        r"has unsupported (element )?type ",
        r"^Cast to unsupported type ",
        r"does not support element type ",
        r"^cannot lower .* on (unsigned )?element type ",
        # An op feature the importer names as not supported.
        r"^unknown or unsupported attribute '",
        r" (is|are) not supported(\)| \(|$)",
        r" supports [a-z0-9]+ only( \(|$)",
        r"^cannot lower [a-z_]+ with ",
        # Shape-determining inputs that must be constants.
        r" needs (a )?constant ",
        # A dynamic dimension that kiln-compile cannot plan without --shape,
        # or that an importer needs static.
        r"^dynamic dimension .* give --shape",
        r"' does not support dynamic dims.*: give --shape for the model's inputs",
        # An importer that needs a dim static to build the op's graph.
        r" needs (a )?static ",
        r" needs an? \d+-d input of static shape",
        r" must be static: ",
        r"^a slice with dynamic dims needs ",
        r" dims are not static( \(|$)",
    )
]


def kiln_errors(text):
    """The messages of the "error:" lines kiln-compile printed."""
    messages = []
    for line in text.splitlines():
        _, sep, message = line.partition("error: ")
        if sep:
            messages.append(message.strip())
    return messages


def classify_refusal(proc):
    """Why kiln-compile exited non-zero: "unsupported" only when Kiln said so
    with one of its own diagnostics for what it does not support; any other
    error, a crash, a sanitizer report or a failed build of the generated
    code is a "fail"."""
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
    errors = kiln_errors(text)
    if errors and any(p.search(errors[0]) for p in UNSUPPORTED_DIAGNOSTICS):
        return "unsupported", one_line(text)
    return "fail", "kiln-compile: " + one_line(text)


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


def is_bfloat16(array):
    """numpy has no bfloat16: onnx gives its arrays a 2-byte void dtype or
    ml_dtypes' bfloat16."""
    return array.dtype.name == "bfloat16" or (
        array.dtype.kind == "V" and array.dtype.itemsize == 2)


# ml_dtypes' one-byte types, which kiln-run reads and writes as their uint8
# bits (a 4- or 2-bit value in the low bits of its byte).
NARROW_DTYPES = {"float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2",
                 "float8_e5m2fnuz", "float4_e2m1fn", "int4", "uint4", "int2",
                 "uint2"}


def is_narrow(array):
    return array.dtype.name in NARROW_DTYPES


def to_npy(array):
    """The array as kiln-run reads it: bfloat16 as its uint16 bits, the
    narrow types as their uint8 bits."""
    if is_bfloat16(array):
        return array.view(np.uint16)
    if is_narrow(array):
        return array.view(np.uint8)
    return array


def bfloat16_bits_to_float32(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


def compare(name, got, want):
    """Returns (ok, max_error, message)."""
    if is_bfloat16(want):
        # kiln-run writes bfloat16 as uint16 bits; compare the values.
        if got.dtype != np.uint16:
            return False, None, "output %s: dtype %s, expected bfloat16 bits" % (name, got.dtype)
        got = bfloat16_bits_to_float32(got)
        want = bfloat16_bits_to_float32(want.view(np.uint16))
        rtol, atol = TOLERANCES["bfloat16"]
        return compare_floats(name, got, want, rtol, atol)
    if got.shape != want.shape:
        return False, None, "output %s: shape %s, expected %s" % (
            name, "x".join(map(str, got.shape)), "x".join(map(str, want.shape)))
    if is_narrow(want):
        # kiln-run writes the narrow types as uint8 bits; compare the values
        # exactly (any NaN matches any NaN).
        if got.dtype != np.uint8:
            return False, None, "output %s: dtype %s, expected %s bits" % (
                name, got.dtype, want.dtype.name)
        return compare_floats(name, got.view(want.dtype).astype(np.float32),
                              want.astype(np.float32), 0.0, 0.0)
    if want.dtype.kind in "fc":
        if got.dtype != want.dtype:
            return False, None, "output %s: dtype %s, expected %s" % (name, got.dtype, want.dtype)
        rtol, atol = TOLERANCES.get(want.dtype, (1e-3, 1e-5))
        return compare_floats(name, got, want, rtol, atol)
    if got.dtype != want.dtype and not (want.dtype == np.bool_ and got.dtype == np.bool_):
        return False, None, "output %s: dtype %s, expected %s" % (name, got.dtype, want.dtype)
    if not np.array_equal(got, want):
        return False, None, "output %s: %d of %d values differ" % (
            name, int((got != want).sum()), want.size)
    return True, 0.0, ""


def compare_floats(name, got, want, rtol, atol):
    """Floats within |got - want| <= atol + rtol * |want|, NaN and infinity
    where the reference has them."""
    if got.shape != want.shape:
        return False, None, "output %s: shape %s, expected %s" % (
            name, "x".join(map(str, got.shape)), "x".join(map(str, want.shape)))
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


def make_dynamic(model):
    """`model` with every dim of its graph inputs symbolic (in<i>_d<j>)."""
    dynamic = onnx.ModelProto()
    dynamic.CopyFrom(model)
    for i, value in enumerate(graph_inputs(dynamic)):
        if not value.type.HasField("tensor_type") or \
                not value.type.tensor_type.HasField("shape"):
            continue
        for j, dim in enumerate(value.type.tensor_type.shape.dim):
            dim.Clear()
            dim.dim_param = "in%d_d%d" % (i, j)
    return dynamic


def run_test(args, suite, test, test_dir, mode="static"):
    start = time.time()
    name = "%s/%s" % (suite, test)
    work = os.path.join(args.work, mode, suite, test)
    model_path = os.path.join(test_dir, "model.onnx")
    try:
        model = onnx.load(model_path)
    except Exception as e:  # noqa: BLE001 - a model the reader cannot load
        return Result(name, "unsupported", "onnx cannot load the model: %s" % e,
                      mode=mode)

    inputs = graph_inputs(model)
    outputs = list(model.graph.output)
    for value in inputs + outputs:
        if not value.type.HasField("tensor_type"):
            return Result(name, "unsupported",
                          "non-tensor %s '%s' (%s)" % (
                              "input" if value in inputs else "output", value.name,
                              value.type.WhichOneof("value")), mode=mode)
    sets = data_sets(test_dir)
    if not sets:
        return Result(name, "unsupported", "no test data", mode=mode)

    # Data sets grouped by their input shapes: one compile per group.
    loaded = []
    for s in sets:
        d = os.path.join(test_dir, s)
        ins = [read_tensor(os.path.join(d, "input_%d.pb" % i)) for i in range(len(inputs))
               if os.path.exists(os.path.join(d, "input_%d.pb" % i))]
        outs = [read_tensor(os.path.join(d, "output_%d.pb" % i)) for i in range(len(outputs))]
        if len(ins) != len(inputs):
            return Result(name, "unsupported", "data set %s has %d inputs, model %d" % (
                s, len(ins), len(inputs)), mode=mode)
        loaded.append((s, ins, outs))

    max_error = 0.0
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work, exist_ok=True)
    if mode == "dynamic":
        model_path = os.path.join(work, "model.onnx")
        onnx.save(make_dynamic(model), model_path)
    # Inputs bound at compile time (after a "needs constant" refusal).
    bound = {}
    bind_args = []

    def finish(status, detail="", err=None):
        if bound:
            note = "bound: " + ", ".join(bound)
            detail = note + ("; " + detail if detail else "")
        return Result(name, status, detail, err, seconds=time.time() - start,
                      mode=mode)

    def compile_model(out_dir, ins):
        shape_args = []
        for value, array in zip(inputs, ins):
            if value.name in bound or mode == "dynamic":
                continue
            # The model's own static shape stands even where a data set
            # disagrees with it (the run then fails on the data).
            tensor_type = value.type.tensor_type
            static = tensor_type.HasField("shape") and all(
                d.HasField("dim_value") for d in tensor_type.shape.dim)
            if not static:
                shape_args.append("--shape=%s=%s" % (value.name, "x".join(map(str, array.shape))))
        level = [] if mode == "optimized" else ["-O0"]
        cmd = [os.path.join(args.build, "bin", "kiln-compile"), model_path, "-o", out_dir,
               "--target=cpu"] + level + shape_args + bind_args
        return subprocess.run(cmd, capture_output=True, text=True, timeout=COMPILE_TIMEOUT_S)

    def shape_key(ins):
        if mode == "dynamic":
            return "dynamic"
        return " ".join("x".join(map(str, a.shape)) for v, a in zip(inputs, ins)
                        if v.name not in bound)

    compiled = {}
    for s, ins, outs in loaded:
        key = shape_key(ins)
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
                            np.save(path, to_npy(value))
                            bind_args.append("--bind=%s=%s" % (input_name, path))
                            bound[input_name] = value
                        key = shape_key(ins)
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
            np.save(path, to_npy(array))
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
            with np.errstate(invalid="ignore"):
                ok, err, message = compare(value.name, got, want)
            if err is not None:
                max_error = max(max_error, err)
            if not ok:
                return finish("fail", "%s: %s" % (s, message), err)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return finish("pass", "", max_error)


def write_value(path, info, value):
    """Writes one input or output of a pip test case as a TensorProto;
    False when it is not a tensor (a sequence, map or optional value)."""
    if not info.type.HasField("tensor_type"):
        return False
    if isinstance(value, onnx.TensorProto):
        tensor = value
    elif isinstance(value, np.ndarray) or np.isscalar(value):
        tensor = numpy_helper.from_array(np.asarray(value), info.name)
    else:
        return False
    with open(path, "wb") as f:
        f.write(tensor.SerializeToString())
    return True


def write_pip_case(case, test_dir):
    """model.onnx and the data sets of one pip node case; data sets with a
    value that is not a tensor are left out."""
    os.makedirs(test_dir)
    with open(os.path.join(test_dir, "model.onnx"), "wb") as f:
        f.write(case.model.SerializeToString())
    graph = case.model.graph
    for i, (ins, outs) in enumerate(case.data_sets or []):
        set_dir = os.path.join(test_dir, "test_data_set_%d" % i)
        os.makedirs(set_dir)
        try:
            written = all(
                write_value(os.path.join(set_dir, "input_%d.pb" % j), graph.input[j], v)
                for j, v in enumerate(ins)) and all(
                write_value(os.path.join(set_dir, "output_%d.pb" % j), graph.output[j], v)
                for j, v in enumerate(outs))
        except Exception:  # noqa: BLE001 - values numpy_helper cannot write
            written = False
        if not written:
            shutil.rmtree(set_dir)


def pip_node_suite(build):
    """The directory of the pip package's node suite, written under `build`
    on first use; (None, why) when it cannot be had."""
    if onnx.__version__ != PIP_ONNX_VERSION:
        return None, "needs onnx %s, this Python has onnx %s" % (
            PIP_ONNX_VERSION, onnx.__version__)
    packaged = os.path.join(os.path.dirname(onnx.__file__), "backend", "test",
                            "data", "node")
    if os.path.isdir(packaged) and os.listdir(packaged):
        return packaged, ""
    root = os.path.join(build, "onnx-%s-node" % onnx.__version__)
    if os.path.exists(os.path.join(root, ".complete")):
        return root, ""
    import warnings
    from onnx.backend.test.case import node as node_cases
    start = time.time()
    tmp = root + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    with warnings.catch_warnings():
        # The cases compute their expected outputs with numpy, warnings and
        # all (divisions by zero, overflows).
        warnings.simplefilter("ignore")
        cases = node_cases.collect_testcases()
    for case in cases:
        write_pip_case(case, os.path.join(tmp, case.name))
    open(os.path.join(tmp, ".complete"), "w").close()
    shutil.rmtree(root, ignore_errors=True)
    os.replace(tmp, root)
    print("conformance: wrote %d test cases of onnx %s to %s in %.0f s" % (
        len(cases), onnx.__version__, root, time.time() - start))
    return root, ""


def test_digest(test_dir):
    """A digest of every file of a test (model and data)."""
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(test_dir):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            digest.update(os.path.relpath(path, test_dir).encode() + b"\0")
            with open(path, "rb") as f:
                digest.update(f.read())
            digest.update(b"\0")
    return digest.hexdigest()


def find_twins(tests):
    """{pip test name: Debian node test name} for the tests of the pip suite
    whose files are byte for byte those of a Debian node test in `tests`:
    the same test, run once."""
    debian = {t: d for s, t, d in tests if s == "node"}
    twins = {}
    for suite, test, test_dir in tests:
        if suite == PIP_SUITE and test in debian and \
                test_digest(test_dir) == test_digest(debian[test]):
            twins["%s/%s" % (suite, test)] = "node/%s" % test
    return twins


def list_tests(args):
    """(suite, test, test dir) of every test whose name matches --filter."""
    roots = [(suite, os.path.join(DEBIAN_DATA_ROOT, suite)) for suite in DEBIAN_SUITES]
    pip_root, why = pip_node_suite(args.build)
    if pip_root:
        roots.append((PIP_SUITE, pip_root))
    else:
        print("conformance: suite %s skipped: %s" % (PIP_SUITE, why))
    tests = []
    for suite, root in roots:
        if not os.path.isdir(root):
            print("conformance: suite %s skipped: no %s" % (suite, root))
            continue
        for test in sorted(os.listdir(root)):
            test_dir = os.path.join(root, test)
            if os.path.exists(os.path.join(test_dir, "model.onnx")) and \
                    re.search(args.filter, "%s/%s" % (suite, test)):
                tests.append((suite, test, test_dir))
    return tests


def counts(results):
    return [len(results)] + [sum(r.status == s for r in results)
                             for s in ("pass", "fail", "unsupported")]


def write_report(path, results, elapsed, jobs, opt_sample):
    modes = [m for m in MODES if any(r.mode == m for r in results)]
    by_mode = {m: {} for m in modes}
    for r in results:
        by_mode[r.mode].setdefault(r.suite, []).append(r)
    lines = ["# ONNX conformance", "",
             "Generated by `make conformance-report` "
             "(test/e2e/conformance/run_conformance.py): every test model of Debian's "
             "libonnx-testdata 1.12 (suites `node`, `simple`, `pytorch-converted`, "
             "`pytorch-operator`) and of the node suite of the pip `onnx` %s package "
             "(suite `%s`) compiled with `kiln-compile --target=cpu -O0`, every "
             "`test_data_set_*` run with `kiln-run` and compared with the stored "
             "outputs." % (PIP_ONNX_VERSION, PIP_SUITE), "",
             "Tolerances: |got - want| <= atol + rtol * |want| with (rtol, atol) = "
             "(1e-3, 1e-5) for float32, (1e-2, 1e-3) for float16, (1e-7, 1e-9) for "
             "float64; integers and booleans exactly; NaN where NaN is expected.", "",
             "A test is unsupported only when kiln-compile refused it with Kiln's own "
             "diagnostic for an unsupported op, op version, op feature, element type, "
             "opset or IR version, an input that must be constant or (dynamic) a "
             "dimension that needs --shape, or when it carries non-tensor values; "
             "every other error is a failure.", "",
             "Ran in %.0f s with %d jobs." % (elapsed, jobs), ""]
    titles = {
        "static": "Static shapes (inputs' shapes given with --shape, -O0)",
        "dynamic": "Dynamic shapes (graph inputs' dims symbolic, no --shape, -O0)",
        "optimized": "Optimized (every %dth static pass, default -O level)" % (
            opt_sample or 0),
    }
    for mode in modes:
        lines += ["## %s" % titles[mode], "",
                  "| suite | tests | pass | fail | unsupported |", "|---|---|---|---|---|"]
        total = [0, 0, 0, 0]
        for suite in SUITES:
            rs = by_mode[mode].get(suite, [])
            if not rs:
                continue
            c = counts(rs)
            total = [a + b for a, b in zip(total, c)]
            lines.append("| %s | %d | %d | %d | %d |" % ((suite,) + tuple(c)))
        lines.append("| **all** | %d | %d | %d | %d |" % tuple(total))
        lines.append("")
    other = {(r.mode, r.name): r for r in results if r.mode != "static"}
    extra = [m for m in modes if m != "static"]
    lines += ["## Tests", "",
              "| test | result | max error | detail |" + "".join(" %s |" % m for m in extra),
              "|---|---|---|---|" + "---|" * len(extra)]
    for r in sorted((r for r in results if r.mode == "static"), key=lambda r: r.name):
        err = "" if r.max_error is None else "%.2g" % r.max_error
        detail = r.detail.replace("|", "\\|").replace("\n", " ")
        cells = ["%s" % other[(m, r.name)].status if (m, r.name) in other else ""
                 for m in extra]
        lines.append("| %s | %s | %s | %s |" % (r.name, r.status, err, detail) +
                     "".join(" %s |" % c for c in cells))
    failed = sorted((r for r in other.values() if r.status == "fail"),
                    key=lambda r: (r.mode, r.name))
    if failed:
        lines += ["", "## Failures of the dynamic and optimized runs", "",
                  "| test | mode | max error | detail |", "|---|---|---|---|"]
        for r in failed:
            err = "" if r.max_error is None else "%.2g" % r.max_error
            lines.append("| %s | %s | %s | %s |" % (
                r.name, r.mode, err, r.detail.replace("|", "\\|").replace("\n", " ")))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


def run_all(args, jobs):
    """Runs `jobs` [(suite, test, dir, mode)]; the results in completion order."""
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_test, args, s, t, d, m) for s, t, d, m in jobs]
        for future in concurrent.futures.as_completed(futures):
            results.append(future.result())
    return results


def read_expected(path):
    if not path or not os.path.exists(path):
        return []
    with open(path) as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def write_expected(path, names):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("# Conformance tests that pass (static shapes); `make test` fails when one\n")
        f.write("# stops passing. run_conformance.py --update-expected adds the tests that\n")
        f.write("# pass; removing one takes --allow-shrink.\n")
        f.write("\n".join(sorted(names)) + "\n")
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--report", help="markdown report to write")
    parser.add_argument("--expected", help="file listing the tests that must pass")
    parser.add_argument("--update-expected", action="store_true",
                        help="add the tests that pass now to the expected list")
    parser.add_argument("--allow-shrink", action="store_true",
                        help="with --update-expected, drop the expected tests that "
                             "do not pass; without, do not fail on them")
    parser.add_argument("--filter", default="", help="regex on suite/test")
    parser.add_argument("--sample", type=int, default=1,
                        help="run every Nth test only (sanitized builds)")
    parser.add_argument("--dynamic", action="store_true",
                        help="also run every test with symbolic input dims, "
                             "without --shape")
    parser.add_argument("--opt-sample", type=int, default=0, metavar="N",
                        help="also run every Nth passing test compiled optimized")
    parser.add_argument("--work", default=None, help="scratch directory")
    parser.add_argument("--keep", action="store_true", help="keep compiled models")
    parser.add_argument("--json", help="write every result (all modes) as JSON")
    args = parser.parse_args()
    args.build = os.path.abspath(args.build)
    args.work = os.path.abspath(args.work or os.path.join(args.build, "conformance"))

    tests = list_tests(args)[::args.sample]
    start = time.time()
    twins = find_twins(tests)
    distinct = [(s, t, d) for s, t, d in tests if "%s/%s" % (s, t) not in twins]
    jobs = [(s, t, d, "static") for s, t, d in distinct]
    if args.dynamic:
        jobs += [(s, t, d, "dynamic") for s, t, d in distinct]
    results = run_all(args, jobs)
    if args.opt_sample > 0:
        passing = sorted(r.name for r in results
                         if r.mode == "static" and r.status == "pass")
        chosen = set(passing[::args.opt_sample])
        results += run_all(args, [(s, t, d, "optimized") for s, t, d in distinct
                                  if "%s/%s" % (s, t) in chosen])
    # A test identical to a Debian one has that test's results.
    by_name = {(r.mode, r.name): r for r in results}
    for name, twin in sorted(twins.items()):
        for mode in MODES:
            r = by_name.get((mode, twin))
            if r:
                detail = "as %s" % twin + ("; " + r.detail if r.detail else "")
                results.append(Result(name, r.status, detail, r.max_error, 0.0, mode))
    static = {r.name: r for r in results if r.mode == "static"}
    elapsed = time.time() - start
    print("conformance: %d tests of %s are identical to Debian's and share their "
          "results" % (len(twins), PIP_SUITE))

    if args.report:
        write_report(args.report, results, elapsed, args.jobs, args.opt_sample)
    if args.json:
        with open(args.json, "w") as f:
            json.dump([{"name": r.name, "mode": r.mode, "status": r.status,
                        "detail": r.detail, "max_error": r.max_error}
                       for r in results], f, indent=1)

    for mode in MODES:
        for suite in SUITES:
            rs = [r for r in results if r.mode == mode and r.suite == suite]
            if rs:
                print("conformance %-9s %-18s %4d tests: %4d pass, %4d fail, "
                      "%4d unsupported" % ((mode, suite) + tuple(counts(rs))))
    # What each mode costs, summed over the tests (the wall time is about
    # this over --jobs).
    print("conformance test time: " + ", ".join(
        "%s %.0f s" % (mode, sum(r.seconds for r in results if r.mode == mode))
        for mode in MODES if any(r.mode == mode for r in results)))

    expected = read_expected(args.expected)
    not_passing = [n for n in expected if n in static and static[n].status != "pass"]
    for n in not_passing:
        print("%s %s: %s %s" % ("DROPPED" if args.allow_shrink else "REGRESSION",
                                n, static[n].status, static[n].detail))
    if args.update_expected and args.expected:
        names = set(expected) | {n for n, r in static.items() if r.status == "pass"}
        if args.allow_shrink:
            names -= set(not_passing)
        added = len(names - set(expected))
        write_expected(args.expected, names)
        print("conformance: expected-pass list: %d added, %d dropped" % (
            added, len(set(expected) - names)))

    checked = [n for n in expected if n in static]
    print("conformance took %.0f s; expected-pass tests checked below, the rest skipped" %
          elapsed)
    print("conformance: %d passed, %d failed, %d skipped" % (
        len(checked) - len(not_passing), len(not_passing),
        len(static) - len(checked)))
    if not_passing and not args.allow_shrink:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
