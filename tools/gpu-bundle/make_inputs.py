#!/usr/bin/env python3
"""Writes the input .npy files of one bundled model (build machine only).

    make_inputs.py OUT_DIR SEED NAME=KIND:SHAPE...

KIND: normal (float32, standard normal), uniform (float32 in [-1, 1)),
intN (int64 in [0, N), token ids), mask (int64 ones with a zero tail in
every odd row, an attention mask). SHAPE: d0xd1x..., or `scalar`.
"""

import os
import sys

import numpy as np


def make(rng, kind, shape):
    if kind == "normal":
        return rng.standard_normal(shape).astype(np.float32)
    if kind == "uniform":
        return rng.uniform(-1.0, 1.0, shape).astype(np.float32)
    if kind.startswith("int"):
        return rng.integers(0, int(kind[3:]), shape).astype(np.int64)
    if kind == "mask":
        mask = np.ones(shape, np.int64)
        for row in range(1, shape[0], 2):
            mask[row, shape[-1] // 2 + row % 3:] = 0
        return mask
    sys.exit("make_inputs.py: unknown kind '%s'" % kind)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out, seed = sys.argv[1], int(sys.argv[2])
    rng = np.random.default_rng(seed)
    os.makedirs(out, exist_ok=True)
    for spec in sys.argv[3:]:
        name, rest = spec.split("=", 1)
        kind, shape_text = rest.split(":", 1)
        shape = () if shape_text == "scalar" else tuple(
            int(d) for d in shape_text.split("x"))
        np.save(os.path.join(out, name + ".npy"), make(rng, kind, shape))


if __name__ == "__main__":
    main()
