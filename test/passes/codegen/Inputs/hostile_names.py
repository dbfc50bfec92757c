"""A model whose every name is hostile to a C++ printer, and its reference.

  hostile_names.py model DIR   writes DIR/model.onnx, DIR/x.npy, DIR/want.npy
  hostile_names.py check SRC   checks the generated source SRC: with comments,
                               string literals and Kiln's own identifiers
                               (kiln*, which may spell a name's letters and
                               digits) taken out, no byte of a name is left
  hostile_names.py compare WANT GOT

The names hold newlines followed by code (on a line of its own, a name in a
`//` comment would become a statement of run or a static initializer that
runs when the library loads), a trailing backslash (which splices the next
line into a comment), quotes, `*/`, `#include`, `??/` (a trigraph
backslash), non-ASCII and 10,000 characters.
"""
import os
import re
import sys

import numpy as np

MARK = "PWNED"
INPUT = 'x\nputs("%s-input");//' % MARK
WEIGHT = 'W */ #include "/etc/hostname" \u00fc ??/'
BIAS = "b\\"
ADD = 'add\nstatic int %s = puts("%s-node");//' % (MARK, MARK)
MATMUL = "mm\n#include \"/etc/hostname\"\n"
RELU = "r" * 9990 + "\u540d\u524d\u00fc" + MARK
OUTPUT = 'y "quoted" \\ ??/ \u00fc\n%s();' % MARK


def write_model(out):
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    w = rng.standard_normal((64, 64)).astype(np.float32)
    b = rng.standard_normal((64,)).astype(np.float32)
    x = rng.standard_normal((2, 64)).astype(np.float32)
    nodes = [
        helper.make_node("MatMul", [INPUT, WEIGHT], ["t0\n" + MARK], name=MATMUL),
        helper.make_node("Add", ["t0\n" + MARK, BIAS], ["t1\\"], name=ADD),
        helper.make_node("Relu", ["t1\\"], [OUTPUT], name=RELU),
    ]
    graph = helper.make_graph(
        nodes, "hostile\n" + MARK,
        [helper.make_tensor_value_info(INPUT, TensorProto.FLOAT, [2, 64])],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, [2, 64])],
        [numpy_helper.from_array(w, WEIGHT), numpy_helper.from_array(b, BIAS)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    os.makedirs(out, exist_ok=True)
    onnx.save(model, os.path.join(out, "model.onnx"))
    np.save(os.path.join(out, "x.npy"), x)
    np.save(os.path.join(out, "want.npy"), np.maximum(x @ w + b, 0.0))


def strip_comments_and_literals(source):
    """The code of `source` with comments, string and character literals
    replaced by spaces (line splices joined first, as the compiler does)."""
    source = source.replace("\\\n", "")
    pattern = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|'
                         r"'(?:\\.|[^'\\\n])*'", re.S)
    return pattern.sub(" ", source)


def check(path):
    source = open(path, encoding="latin-1").read()
    code = re.sub(r"\bkiln\w*", " ", strip_comments_and_literals(source))
    bad = [line for line in code.splitlines() if MARK in line or "hostname" in line]
    for line in bad:
        print("name bytes in code:", line.strip()[:120])
    directives = [l.strip() for l in source.replace("\\\n", "").splitlines()
                  if l.strip().startswith("#")]
    print("directives:", " ".join(directives))
    print("lines with name bytes in code:", len(bad))
    # The comments name the ops, escaped and shortened.
    print("longest line:", max(len(l) for l in source.splitlines()))


def compare(want_path, got_path):
    want, got = np.load(want_path), np.load(got_path)
    ok = want.shape == got.shape and np.allclose(got, want, rtol=1e-4, atol=1e-5)
    print("match" if ok else "MISMATCH")


if __name__ == "__main__":
    if sys.argv[1] == "model":
        write_model(sys.argv[2])
    elif sys.argv[1] == "check":
        check(sys.argv[2])
    else:
        compare(sys.argv[2], sys.argv[3])
