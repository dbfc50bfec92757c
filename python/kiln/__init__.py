"""Kiln from Python: compile an ONNX model, load it, run it on numpy arrays.

    import kiln
    kiln.compile("model.onnx", "out", target="cpu")
    m = kiln.load("out")
    m.inputs        # [{'name': 'x', 'dtype': 'float32', 'shape': ('batch', 3)}]
    y = m.run({"x": x})["y"]

A dynamic dim shows as its name (or None); a run takes any size the model
allows. Every failure raises kiln.Error with Kiln's one-line message.
"""

import os
import subprocess

import numpy

from kiln import _runtime
from kiln._runtime import Error
from kiln._runtime import Model as _Model

if _runtime.pybind11_version < (2, 12) and int(numpy.__version__.split(".")[0]) >= 2:
    raise ImportError(
        "kiln's module was built with pybind11 %d.%d, which reads numpy 1.x "
        "arrays only, but numpy %s is loaded: use the python3 and numpy of "
        "the system Kiln was built with" % (_runtime.pybind11_version +
                                            (numpy.__version__,)))

__all__ = ["Error", "Model", "compile", "load"]


def _tool(name):
    """The path of a Kiln tool: beside this package's build, or on PATH."""
    here = os.path.dirname(os.path.abspath(__file__))
    local = os.path.join(here, "..", "..", "bin", name)
    return os.path.normpath(local) if os.path.exists(local) else name


class Model:
    """A compiled model directory, loaded."""

    def __init__(self, path):
        self._model = _Model(os.fspath(path))
        self.path = os.fspath(path)

    @property
    def target(self):
        return self._model.target

    @property
    def entries(self):
        """The names of the model's entry points; the first is the default."""
        return self._model.entries

    @property
    def inputs(self):
        return self._model.inputs("")

    @property
    def outputs(self):
        return self._model.outputs("")

    def entry_inputs(self, entry):
        return self._model.inputs(entry)

    def entry_outputs(self, entry):
        return self._model.outputs(entry)

    def set_threads(self, threads):
        """Worker threads of this model's CPU runs; 0 means one per core."""
        self._model.set_threads(threads)

    def run(self, feeds, entry=""):
        """Runs `entry` (the first by default) on a dict name -> array and
        returns a dict name -> array."""
        return self._model.run(dict(feeds), entry)

    def __repr__(self):
        return "kiln.Model(%r, target=%r)" % (self.path, self.target)


def load(path):
    """Loads a directory that kiln-compile wrote."""
    return Model(path)


def compile(model, out, target="cpu", shapes=None, fast_build=False,
            extra=()):
    """Compiles `model` (.onnx or .onnxtxt) into the directory `out` with
    kiln-compile. `shapes` maps an input name to a shape to specialize to;
    `fast_build` builds the generated code without optimization."""
    command = [_tool("kiln-compile"), os.fspath(model), "-o", os.fspath(out),
               "--target=" + target]
    for name, shape in (shapes or {}).items():
        command += ["--shape", "%s=%s" % (name, "x".join(str(d) for d in shape))]
    if fast_build:
        command.append("--O0")
    command += list(extra)
    done = subprocess.run(command, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        lines = [l for l in done.stderr.splitlines() if l.strip()]
        raise Error(lines[0] if lines else "kiln-compile failed")
    return out
