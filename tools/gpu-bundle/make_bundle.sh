#!/usr/bin/env bash
# Packs what a bare GPU machine needs to run Kiln's GPU checks into
# BUILD/gpu-bundle/ and BUILD/gpu-bundle.tar.gz (docs/gpu.md):
#
#   make_bundle.sh BUILD [ZOO]
#
# kiln-run and the runtime, kiln-compare, the CUDA kernel tests, the CUDA
# builds of tools/gpu-bundle/models.txt with their inputs and CPU reference
# outputs, every shared library they need that a bare machine lacks (found
# with ldd), and run_gpu_checks.sh. cuBLAS, cuBLASLt and NCCL (about 800 MB)
# stay out: the GPU machine's CUDA install provides them (run_gpu_checks.sh
# looks for them; NCCL has a stand-in). Ends with check_bundle.sh.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$SRC/tools/gpu-bundle
BUILD=$(cd "${1:?usage: make_bundle.sh BUILD [ZOO]}" && pwd)
ZOO=${2-$BUILD/zoo}
OUT=$BUILD/gpu-bundle
WORK=$BUILD/gpu-bundle-work
CUDA=${CUDA:-/usr/local/cuda}
PYTHON=${PYTHON:-python3}

fail() { echo "make_bundle.sh: $*" >&2; exit 1; }

for f in bin/kiln-compile bin/kiln-run lib/libkiln_runtime.so \
         lib/libkiln_runtime_cuda.so lib/libKilnSafetensors.a; do
  [ -e "$BUILD/$f" ] || fail "$BUILD/$f is missing (a build with CUDA: nvcc at $CUDA/bin)"
done
[ -x "$CUDA/bin/nvcc" ] || fail "no nvcc at $CUDA/bin"
"$PYTHON" -c "import numpy" 2>/dev/null || fail "$PYTHON lacks numpy (make deps)"

rm -rf "$OUT" "$OUT.tar.gz"
mkdir -p "$OUT/bin" "$OUT/lib/fallback" "$OUT/lib/nccl-stand-in" "$OUT/models" \
  "$WORK"

# --- Programs --------------------------------------------------------------
echo "== programs"
cp "$BUILD/bin/kiln-run" "$OUT/bin/"
cp "$BUILD/lib/libkiln_runtime.so" "$BUILD/lib/libkiln_runtime_cuda.so" "$OUT/lib/"

# kiln-compare: the output comparison, in C++ (no Python on the GPU machine).
g++ -O2 -std=c++17 -fexceptions -I"$SRC" "$HERE/kiln-compare.cpp" \
  "$BUILD/lib/libKilnSafetensors.a" -o "$OUT/bin/kiln-compare" \
  -Wl,-rpath,'$ORIGIN/../lib'

# The stand-in libnccl.so.2 for machines without NCCL.
g++ -O2 -shared -fPIC -I"$CUDA/include" -Wl,-soname,libnccl.so.2 \
  "$HERE/NcclStandIn.cpp" -o "$OUT/lib/nccl-stand-in/libnccl.so.2"

# nccl-smoke: one all-reduce over every GPU through the machine's NCCL.
g++ -O2 -std=c++17 -I"$CUDA/include" "$HERE/nccl-smoke.cpp" \
  -o "$OUT/bin/nccl-smoke" -L"$CUDA/lib" -L"$CUDA/lib64" -lcudart -lnccl \
  -Wl,-rpath,'$ORIGIN/../lib'

# kiln-cuda-unit-tests: test/unit/CudaKernelsTest.cu alone (the CUDA drivers
# against the CPU drivers). kiln-unit-tests holds it too, but links MLIR and
# LLVM (about 260 MB), which the bundle cannot hold.
CCACHE=$(command -v ccache || true)
$CCACHE "$CUDA/bin/nvcc" -O3 -DNDEBUG -std=c++17 -DGTEST_HAS_PTHREAD=1 \
  -I"$SRC" -I"$BUILD" -isystem "$CUDA/include" \
  --generate-code=arch=compute_80,code=[compute_80,sm_80] \
  --generate-code=arch=compute_90,code=[compute_90,sm_90] \
  -Xcompiler=-fPIE -x cu -c "$SRC/test/unit/CudaKernelsTest.cu" \
  -o "$WORK/CudaKernelsTest.o"
g++ -O2 "$WORK/CudaKernelsTest.o" -o "$OUT/bin/kiln-cuda-unit-tests" \
  -L"$BUILD/lib" -lkiln_runtime_cuda -lkiln_runtime \
  -lgtest_main -lgtest -L"$CUDA/lib" -L"$CUDA/lib64" -lcudart -lcublas \
  -lpthread -Wl,-rpath,'$ORIGIN/../lib'

# --- Models ----------------------------------------------------------------
echo "== models"
: >"$OUT/models/skipped.txt"
seed=0
trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; echo "${s%"${s##*[![:space:]]}"}"; }
while IFS='|' read -r name model flags inputs tol bench; do
  name=$(trim "$name")
  { [ -z "$name" ] || [ "${name:0:1}" = "#" ]; } && continue
  model=$(trim "$model"); flags=$(trim "$flags"); inputs=$(trim "$inputs")
  tol=$(trim "$tol"); bench=$(trim "$bench")
  seed=$((seed + 1))
  case $model in
    zoo:*) path=$ZOO/${model#zoo:}/model.onnx ;;
    *) path=$SRC/$model ;;
  esac
  if [ ! -f "$path" ]; then
    echo "   $name: skipped, no $path"
    echo "$name: $path is missing (make zoo)" >>"$OUT/models/skipped.txt"
    continue
  fi
  dir=$OUT/models/$name
  mkdir -p "$dir"
  # The GPU machine's host CPU is not this one: its host code is built for
  # x86-64-v3 (AVX2), not -march=native.
  # shellcheck disable=SC2086  # flags are words
  if ! "$BUILD/bin/kiln-compile" "$path" -o "$dir/cuda" --target=cuda \
      --cpu=x86-64-v3 $flags \
      >"$WORK/$name.cuda.log" 2>&1; then
    echo "   $name: the CUDA build fails: $(tail -1 "$WORK/$name.cuda.log")"
    echo "$name: kiln-compile --target=cuda $flags fails: $(tail -1 "$WORK/$name.cuda.log")" \
      >>"$OUT/models/skipped.txt"
    rm -rf "$dir"
    continue
  fi
  # The generated source and IR stay here: the run needs the library and
  # the weights.
  rm -rf "$dir/cuda/src" "$dir/cuda/model.mlir" "$dir/cuda/build.log"
  # shellcheck disable=SC2086
  "$PYTHON" "$HERE/make_inputs.py" "$dir/inputs" "$seed" $inputs
  # The reference: Kiln's CPU build of the same model (unpartitioned),
  # itself checked against onnxruntime by the lit and zoo tests.
  cpuflags=$(echo "$flags" | sed -E 's/--mesh[= ][^ ]+//; s/--micro-batches[= ][^ ]+//')
  rm -rf "$WORK/$name.cpu"
  # shellcheck disable=SC2086
  "$BUILD/bin/kiln-compile" "$path" -o "$WORK/$name.cpu" --target=cpu $cpuflags \
    >"$WORK/$name.cpu.log" 2>&1 || fail "$name: the CPU build fails (see $WORK/$name.cpu.log)"
  args=()
  for f in "$dir"/inputs/*.npy; do
    args+=(--input "$(basename "$f" .npy)=$f")
  done
  "$BUILD/bin/kiln-run" "$WORK/$name.cpu" "${args[@]}" --output-dir "$dir/ref" >/dev/null
  cpu_ms=$("$BUILD/bin/kiln-run" "$WORK/$name.cpu" "${args[@]}" --bench 20 |
    awk 'NR == 2 { print $2 }')
  # atol rtol bench-runs cpu-median-ms (on this machine) kiln-compile flags
  echo "$tol $bench $cpu_ms $flags" >"$dir/check.txt"
  echo "   $name: $(du -sh "$dir" | cut -f1) ($flags)"
done <"$HERE/models.txt"

# --- Shared libraries ------------------------------------------------------
# Every library a bundled program or model needs, except the base system
# (glibc, and libstdc++ / libgcc_s, which lib/fallback holds for a machine
# without them) and what the GPU machine's driver and CUDA install provide.
echo "== shared libraries"
BASE='^(linux-vdso\.so\.1|ld-linux-x86-64\.so\.2|libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1)$'
FALLBACK='^(libstdc\+\+\.so\.6|libgcc_s\.so\.1)$'
MACHINE='^(libcuda\.so\.1|libcublas\.so\.13|libcublasLt\.so\.13|libnccl\.so\.2)$'
elves() {
  find "$OUT/bin" "$OUT/lib" "$OUT/models" -type f \
    \( -perm -u+x -o -name '*.so*' \) -print
}
: >"$WORK/machine-libs.txt"
for round in 1 2 3; do
  copied=0
  for elf in $(elves); do
    while read -r lib arrow path _; do
      [ "$arrow" = "=>" ] || continue
      [ -e "$OUT/lib/$lib" ] && continue
      if [[ $lib =~ $BASE ]]; then continue; fi
      if [[ $lib =~ $FALLBACK ]]; then
        [ -e "$OUT/lib/fallback/$lib" ] || cp -L "$path" "$OUT/lib/fallback/$lib"
        continue
      fi
      if [[ $lib =~ $MACHINE ]]; then
        echo "$lib ($path here)" >>"$WORK/machine-libs.txt"
        continue
      fi
      [ "$path" = "not" ] && fail "$elf needs $lib, which is not found here"
      cp -L "$path" "$OUT/lib/$lib"
      echo "   $lib <- $path"
      copied=1
    done < <(LD_LIBRARY_PATH="$OUT/lib" ldd "$elf" 2>/dev/null)
  done
  [ $copied = 0 ] && break
done
cut -d' ' -f1 "$WORK/machine-libs.txt" | sort -u >"$WORK/machine-libs.sorted"

# Run paths into the bundle, so that ldd and the loader find its libraries
# wherever it is unpacked (run_gpu_checks.sh sets LD_LIBRARY_PATH too).
setpath() {
  cmake -DF="$1" -DR="$2" -P "$HERE/set_runpath.cmake" >/dev/null ||
    echo "   warning: the run path of $1 stays (LD_LIBRARY_PATH still finds lib/)"
}
for f in "$OUT"/bin/*; do setpath "$f" '$ORIGIN/../lib'; done
for f in "$OUT"/lib/libkiln_runtime*.so; do setpath "$f" '$ORIGIN'; done
for f in "$OUT"/models/*/cuda/libmodel.so; do
  [ -e "$f" ] && setpath "$f" '$ORIGIN/../../../lib'
done

# --- Script, list, tarball -------------------------------------------------
cp "$HERE/run_gpu_checks.sh" "$OUT/"
chmod +x "$OUT/run_gpu_checks.sh"
{
  echo "Kiln GPU bundle, from $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?')" \
    "on $(date -u +%Y-%m-%d); run: bash run_gpu_checks.sh OUT_DIR (docs/gpu.md)."
  echo
  echo "The GPU machine must provide (its driver and CUDA 13 install):"
  echo "  libcuda.so.1 (driver), libcublas.so.13, libcublasLt.so.13;"
  echo "  libnccl.so.2 (else lib/nccl-stand-in: no multi-rank collectives)"
  echo
  echo "Files (bytes):"
  (cd "$OUT" && find . -type f ! -name MANIFEST.txt -printf '%s %p\n' | sort -k2)
} >"$OUT/MANIFEST.txt"
tar -C "$BUILD" -czf "$OUT.tar.gz" gpu-bundle

echo "== sizes"
echo "   $(du -sb "$OUT" | awk '{ printf "%.1f MiB", $1 / 1048576 }') unpacked ($OUT)"
echo "   $(stat -c %s "$OUT.tar.gz" | awk '{ printf "%.1f MiB", $1 / 1048576 }') packed ($OUT.tar.gz)"
echo "   the GPU machine must provide: $(tr '\n' ' ' <"$WORK/machine-libs.sorted")"

bash "$HERE/check_bundle.sh" "$OUT.tar.gz"
