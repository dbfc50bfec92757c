#!/usr/bin/env bash
# The demo: compile the bundled example models for the CPU, run them on
# random inputs, check them against onnxruntime and time them.
set -euo pipefail
BUILD=${1:-build}
BIN=$BUILD/bin
OUT=$BUILD/demo
rm -rf "$OUT"
mkdir -p "$OUT"

echo "== kiln-compile test/models/cnn.onnxtxt (batch 2) --target=cpu"
"$BIN/kiln-compile" test/models/cnn.onnxtxt -o "$OUT/cnn" --target=cpu --shape x=2x3x32x32
ls "$OUT/cnn"
echo "== kiln-run on random inputs"
"$BIN/kiln-run" "$OUT/cnn" --random-inputs 1
echo "== against onnxruntime"
python3 test/models/check_reference.py test/models/cnn.onnxtxt "$OUT/cnn" \
  --shape x=2x3x32x32 --kiln-run "$BIN/kiln-run"
echo "== latency"
"$BIN/kiln-run" "$OUT/cnn" --random-inputs 1 --bench 50

echo "== kiln-compile test/models/transformer_block.onnxtxt (batch 3) --target=cpu"
"$BIN/kiln-compile" test/models/transformer_block.onnxtxt -o "$OUT/encoder" --target=cpu --shape ids=3x8
python3 test/models/check_reference.py test/models/transformer_block.onnxtxt "$OUT/encoder" \
  --shape ids=3x8 --int-high 50 --kiln-run "$BIN/kiln-run"
"$BIN/kiln-run" "$OUT/encoder" --random-inputs 1 --bench 50
