#!/usr/bin/env python3
"""Compiles models for one rank and for a set of meshes, runs each mesh
under mpirun and compares its outputs with the single rank's
(compare_outputs.py). Prints one line per model and mesh.

    run_meshes.py --models DIR --out DIR [--kiln-compile PATH]
                  [--kiln-run PATH] [--mpirun "mpirun ... -np"]
"""

import argparse
import os
import shlex
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
    parser.add_argument("--models", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--kiln-compile", default="kiln-compile")
    parser.add_argument("--kiln-run", default="kiln-run")
    parser.add_argument("--mpirun", default="mpirun -np")
    parser.add_argument("--batch", default="4x8")
    args = parser.parse_args()
    failures = 0
    for name, (file, inputs) in MODELS.items():
        model = os.path.join(args.models, file)
        shapes = ["--shape=%s=%s" % (i, args.batch) for i in inputs]
        feeds = ["--input=%s=%s" % (i, os.path.join(args.out, i + ".npy"))
                 for i in inputs]
        one = os.path.join(args.out, name + ".one")
        code, text = run([args.kiln_compile, model, "-o", one, "-O0"] + shapes)
        if code == 0:
            code, text = run([args.kiln_run, one, "--output-dir", one + ".out"]
                             + feeds)
        if code != 0:
            print("%s: single rank failed\n%s" % (name, text))
            failures += 1
            continue
        for mesh, micro in MESHES:
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
            for line in text.strip().splitlines()[:-1]:
                print("  " + line)
    print("all meshes match" if failures == 0 else
          "%d meshes failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
