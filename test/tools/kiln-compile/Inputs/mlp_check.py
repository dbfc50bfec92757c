"""The mlp of mlp.onnxtxt in numpy: `write X.npy` writes a fixed input,
`check X.npy Y.npy` compares Kiln's output with relu(x @ w + b)."""
import sys

import numpy as np

W = np.array([[0.5, -1.0, 0.25], [1.5, 0.0, -0.5], [-2.0, 1.0, 0.75],
              [0.125, 2.0, -1.25]], dtype=np.float32)
B = np.array([0.1, -0.2, 0.3], dtype=np.float32)

if sys.argv[1] == "write":
    x = np.linspace(-1.0, 1.0, 8, dtype=np.float32).reshape(2, 4)
    np.save(sys.argv[2], x)
    sys.exit(0)

x = np.load(sys.argv[2])
y = np.load(sys.argv[3])
want = np.maximum(x @ W + B, 0.0)
print("shape", "x".join(map(str, y.shape)), "dtype", y.dtype)
print("max abs error %.3g" % float(np.abs(y - want).max()))
print("match" if np.allclose(y, want, rtol=1e-5, atol=1e-6) else "MISMATCH")
