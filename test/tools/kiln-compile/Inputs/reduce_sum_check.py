"""The model of reduce_sum_axes.onnxtxt in numpy: `write DIR` writes a fixed
input x.npy and the bindings (axes.npy, and mismatched ones), `check X.npy
Y.npy` compares Kiln's output with x.sum(axis=1, keepdims=True)."""
import os
import sys

import numpy as np

if sys.argv[1] == "write":
    out = sys.argv[2]
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4) * 0.5 - 3.0
    np.save(os.path.join(out, "x.npy"), x)
    np.save(os.path.join(out, "axes.npy"), np.array([1], dtype=np.int64))
    np.save(os.path.join(out, "axes_i32.npy"), np.array([1], dtype=np.int32))
    np.save(os.path.join(out, "axes_2.npy"), np.array([1, 2], dtype=np.int64))
    with open(os.path.join(out, "garbage.npy"), "wb") as f:
        f.write(b"not an npy file")
    sys.exit(0)

x = np.load(sys.argv[2])
y = np.load(sys.argv[3])
want = x.sum(axis=1, keepdims=True)
print("shape", "x".join(map(str, y.shape)), "dtype", y.dtype)
print("match" if np.allclose(y, want, rtol=1e-5, atol=1e-6) else "MISMATCH")
