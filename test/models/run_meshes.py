#!/usr/bin/env python3
"""Compiles models for one rank and for a set of meshes, runs each mesh
under mpirun and compares its outputs with the single rank's
(compare_outputs.py). Prints one line per model and mesh.

    run_meshes.py --models DIR --out DIR [--kiln-compile PATH]
                  [--kiln-run PATH] [--mpirun "mpirun ... -np"]
    run_meshes.py --zoo build/zoo --zoo-models gpt2-small,bert-base,resnet50
                  --out DIR ...

The test models (test/models) read OUT/<input>.npy; zoo models (exported
by bench/zoo/export_zoo.py, inputs.json beside each) get seeded random
inputs of --batch rows (--seq tokens, or 3x224x224 images).
"""

import argparse
import os
import shlex
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# model -> (file, inputs as name=shape and the .npy each run reads)
MODELS = {
    "transformer_block": ("transformer_block.onnxtxt", ["ids"]),
    "gpt_decoder": ("gpt_decoder.onnxtxt", ["ids"]),
    "bert_encoder": ("bert_encoder.onnxtxt", ["ids", "mask"]),
}
MESHES = [("dp=2", 1), ("tp=2", 1), ("pp=2", 4), ("dp=2,tp=2", 1),
          ("tp=2,pp=2", 2)]
# Meshes of a convolutional network: no GEMM weights for tp to split.
CNN_MESHES = [("dp=2", 1), ("pp=2", 2)]
CNNS = ("resnet50", "mobilenetv3")


def zoo_models(zoo, names, out, batch, seq):
    """(name, model path, inputs, meshes) of zoo models, writing their
    inputs into OUT."""
    import json

    import numpy as np
    models = []
    for name in names:
        folder = os.path.join(zoo, name)
        spec = json.load(open(os.path.join(folder, "inputs.json")))
        rng = np.random.default_rng(spec.get("seed", 0))
        inputs = []
        for entry in spec["inputs"]:
            dims = [batch if d == "batch" else seq if d == "sequence" else d
                    for d in entry["dims"]]
            if entry["dtype"].startswith("int"):
                data = rng.integers(entry.get("low", 0), entry.get("high", 2),
                                    dims).astype(entry["dtype"])
            else:
                data = rng.standard_normal(dims).astype(entry["dtype"])
            path = os.path.join(out, "%s.%s.npy" % (name, entry["name"]))
            np.save(path, data)
            inputs.append((entry["name"], "x".join(map(str, dims)), path))
        models.append((name, os.path.join(folder, "model.onnx"), inputs,
                       CNN_MESHES if name in CNNS else MESHES))
    return models


def ranks(mesh):
    n = 1
    for part in mesh.split(","):
        n *= int(part.split("=")[1])
    return n


def run(command):
    result = subprocess.run(command, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    return result.returncode, result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models")
    parser.add_argument("--zoo")
    parser.add_argument("--zoo-models", default="gpt2-small,bert-base,resnet50")
    parser.add_argument("--zoo-batch", type=int, default=4)
    parser.add_argument("--seq", type=int, default=16)
    parser.add_argument("--out", required=True)
    parser.add_argument("--kiln-compile", default="kiln-compile")
    parser.add_argument("--kiln-run", default="kiln-run")
    parser.add_argument("--mpirun", default="mpirun -np")
    parser.add_argument("--batch", default="4x8")
    parser.add_argument("--clean", action="store_true",
                        help="remove each compiled mesh after its check")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    failures = 0
    if args.zoo:
        models = zoo_models(args.zoo, args.zoo_models.split(","), args.out,
                            args.zoo_batch, args.seq)
    else:
        models = [(name, os.path.join(args.models, file),
                   [(i, args.batch, os.path.join(args.out, i + ".npy"))
                    for i in inputs], MESHES)
                  for name, (file, inputs) in MODELS.items()]
    for name, model, inputs, meshes in models:
        shapes = ["--shape=%s=%s" % (i, shape) for i, shape, _ in inputs]
        feeds = ["--input=%s=%s" % (i, path) for i, _, path in inputs]
        one = os.path.join(args.out, name + ".one")
        code, text = run([args.kiln_compile, model, "-o", one, "-O0"] + shapes)
        if code == 0:
            code, text = run([args.kiln_run, one, "--output-dir", one + ".out"]
                             + feeds)
        if code != 0:
            print("%s: single rank failed\n%s" % (name, text))
            failures += 1
            continue
        for mesh, micro in meshes:
            label = mesh + (" micro-batches=%d" % micro if micro > 1 else "")
            out = os.path.join(args.out, "%s.%s.%d" % (name, mesh, micro))
            command = [args.kiln_compile, model, "-o", out, "-O0",
                       "--mesh", mesh] + shapes
            if micro > 1:
                command += ["--micro-batches", str(micro)]
            code, text = run(command)
            if code == 0:
                code, text = run(shlex.split(args.mpirun) + [str(ranks(mesh)),
                                 args.kiln_run, out, "--output-dir",
                                 out + ".out"] + feeds)
            if code == 0:
                code, text = run([sys.executable,
                                  os.path.join(HERE, "compare_outputs.py"),
                                  one + ".out", out + ".out"])
            verdict = text.strip().splitlines()[-1] if text.strip() else ""
            if code != 0:
                failures += 1
                print("%s %s: failed\n%s" % (name, label, text))
                continue
            print("%s %s: %s" % (name, label, verdict))
            if args.clean:
                shutil.rmtree(out, ignore_errors=True)
            for line in text.strip().splitlines()[:-1]:
                print("  " + line)
    print("all meshes match" if failures == 0 else
          "%d meshes failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
