#!/usr/bin/env python3
"""Compares the .npy outputs of two runs (kiln-run --output-dir A and B):
the worst |a - b| / max |a| per output, and `match` when every output is
within the relative tolerance and has the same shape and no NaN the
reference lacks.

    compare_outputs.py REFERENCE_DIR OTHER_DIR [--rtol 1e-5]
"""

import argparse
import os
import sys

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("reference")
    parser.add_argument("other")
    parser.add_argument("--rtol", type=float, default=1e-5)
    args = parser.parse_args()
    names = sorted(n for n in os.listdir(args.reference) if n.endswith(".npy"))
    if not names:
        print("no outputs in %s" % args.reference)
        return 1
    ok = True
    for name in names:
        a = np.load(os.path.join(args.reference, name))
        path = os.path.join(args.other, name)
        if not os.path.exists(path):
            print("%s: missing" % name)
            ok = False
            continue
        b = np.load(path)
        if a.shape != b.shape:
            print("%s: shape %s, reference %s" % (name, b.shape, a.shape))
            ok = False
            continue
        if (np.isnan(b) & ~np.isnan(a)).any():
            print("%s: NaN where the reference has none" % name)
            ok = False
            continue
        scale = float(np.abs(a).max()) or 1.0
        error = float(np.abs(a.astype(np.float64) - b).max()) / scale
        print("%s: shape %s, max relative error %.2e" %
              (name[:-4], "x".join(map(str, a.shape)), error))
        ok &= error <= args.rtol
    print("match" if ok else "mismatch")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
