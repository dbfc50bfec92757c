#!/usr/bin/env bash
# Kiln's GPU checks, run from the unpacked GPU bundle (docs/gpu.md):
#
#   bash run_gpu_checks.sh [REPORT_DIR]     (default: $OUT, else ./gpu-report)
#
# Writes REPORT_DIR/gpu-report.md (the GPU, the libraries found, each
# model's run against its CPU reference with its error and tolerance, the
# CUDA kernel tests, the median latencies) and REPORT_DIR/gpu-checks.log
# (every command's output); prints the report last. Needs bash, coreutils,
# awk and the NVIDIA driver; no Python. Exit status: 0 when every check
# passes, 1 when one fails, 2 when no GPU is usable (nothing could pass).
#
# KILN_CUDA_LIB_DIRS (colon-separated) names folders holding libcublas.so.13,
# libcublasLt.so.13 and libnccl.so.2 when the usual places lack them.
# KILN_CHECK_TIMEOUT bounds each command (seconds, default 300).

set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPORT_DIR=${1:-${OUT:-$PWD/gpu-report}}
mkdir -p "$REPORT_DIR" || exit 2
REPORT_DIR=$(cd "$REPORT_DIR" && pwd)
REPORT=$REPORT_DIR/gpu-report.md
LOG=$REPORT_DIR/gpu-checks.log
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kiln-gpu.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
LIMIT=${KILN_CHECK_TIMEOUT:-300}
: >"$REPORT"
: >"$LOG"

say() { printf '%s\n' "$*" >>"$REPORT"; }
log() { printf '%s\n' "$*" >>"$LOG"; }
# Runs a command with the time limit, its output to the log and to
# $WORK/last; returns its status (124: timed out).
run() {
  log "\$ $*"
  timeout "$LIMIT" "$@" >"$WORK/last" 2>&1
  local status=$?
  cat "$WORK/last" >>"$LOG"
  log "[exit $status]"
  return $status
}
# The last line of the last command that names an error (else its last line).
why() {
  local line
  line=$(grep -iE 'error|fail|cannot|no cuda|not found|unavailable' "$WORK/last" | tail -1)
  [ -n "$line" ] || line=$(tail -1 "$WORK/last")
  [ "$1" = 124 ] && line="timed out after ${LIMIT}s"
  printf '%s' "$line" | sed "s|$HERE/||g" | tr '|' '/' | cut -c1-300
}

say "# Kiln GPU checks"
say ""
say "$(head -1 "$HERE/MANIFEST.txt" 2>/dev/null)"
say ""
say "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(uname -n) ($(uname -m), kernel $(uname -r))."

# --- The GPU -----------------------------------------------------------------
say ""
say "## GPU"
say ""
GPU=no
if command -v nvidia-smi >/dev/null 2>&1 && run nvidia-smi -L; then
  GPU=yes
  say '```'
  cat "$WORK/last" >>"$REPORT"
  if run nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used,clocks.sm,clocks.mem,temperature.gpu,power.draw --format=csv; then
    cat "$WORK/last" >>"$REPORT"
  fi
  run nvidia-smi && grep -m1 "CUDA Version" "$WORK/last" >>"$REPORT"
  say '```'
else
  say "No GPU: nvidia-smi is $(command -v nvidia-smi >/dev/null 2>&1 && echo "there but lists none ($(why 1))" || echo "not on the PATH")."
  say "The CUDA checks below run anyway and are expected to fail, each with its message."
fi

# --- Libraries ---------------------------------------------------------------
# The bundle's own first; then cuBLAS, cuBLASLt and NCCL from the machine.
say ""
say "## Libraries"
say ""
find_lib() {
  local name=$1 dir d
  local IFS=:
  for dir in ${KILN_CUDA_LIB_DIRS:-}; do
    [ -e "$dir/$name" ] && { echo "$dir"; return 0; }
  done
  unset IFS
  if command -v ldconfig >/dev/null 2>&1 || [ -x /sbin/ldconfig ]; then
    d=$( (ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null) |
      awk -v n="$name" '$1 == n && /x86-64/ { print $NF; exit }')
    [ -n "$d" ] && { dirname "$d"; return 0; }
  fi
  for dir in /usr/local/cuda/lib64 /usr/local/cuda/lib \
             /usr/local/cuda/targets/x86_64-linux/lib /usr/local/cuda-*/lib64 \
             /usr/local/cuda-*/lib /usr/local/nvidia/lib64 /usr/local/nvidia/lib \
             /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/local/lib; do
    [ -e "$dir/$name" ] && { echo "$dir"; return 0; }
  done
  # The NVIDIA wheels of a Python install (PyTorch's nvidia-cublas,
  # nvidia-nccl-cu13).
  d=$(find /opt /usr/local/lib /usr/lib /root/.local -maxdepth 10 -path '*nvidia*' \
        -name "$name" 2>/dev/null | head -1)
  [ -n "$d" ] && { dirname "$d"; return 0; }
  return 1
}
LIBPATH=$HERE/lib
say "| library | from |"
say "|---|---|"
say "| libkiln_runtime, libkiln_runtime_cuda, libcudart.so.13, OpenBLAS, Open MPI's libmpi and the rest | the bundle's lib/ |"
MISSING=""
NCCL_STAND_IN=""
for name in libcuda.so.1 libcublas.so.13 libcublasLt.so.13 libnccl.so.2; do
  if dir=$(find_lib "$name"); then
    say "| $name | $dir |"
    case ":$LIBPATH:" in *":$dir:"*) ;; *) LIBPATH=$LIBPATH:$dir ;; esac
  elif [ "$name" = libnccl.so.2 ]; then
    say "| $name | **not found**: the bundle's stand-in (lib/nccl-stand-in), which fails any NCCL call; one-rank runs make none |"
    LIBPATH=$LIBPATH:$HERE/lib/nccl-stand-in
    NCCL_STAND_IN=yes
  else
    say "| $name | **not found** |"
    MISSING="$MISSING $name"
  fi
done
export LD_LIBRARY_PATH=$LIBPATH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
# libstdc++ / libgcc_s: the machine's, unless it has none.
if run "$HERE/bin/kiln-compare" --help; [ $? = 127 ] ||
   grep -q "error while loading shared libraries" "$WORK/last"; then
  export LD_LIBRARY_PATH=$LD_LIBRARY_PATH:$HERE/lib/fallback
  say "| libstdc++.so.6, libgcc_s.so.1 | the bundle's lib/fallback (the machine's are missing or too old) |"
fi
UNRESOLVED=""
for elf in "$HERE"/bin/* "$HERE"/lib/*.so* "$HERE"/models/*/cuda/libmodel.so; do
  [ -f "$elf" ] || continue
  for lib in $(ldd "$elf" 2>/dev/null | awk '/not found/ { print $1 }'); do
    case " $UNRESOLVED " in *" $lib "*) ;; *) UNRESOLVED="$UNRESOLVED $lib" ;; esac
  done
done
say ""
if [ -n "$UNRESOLVED" ]; then
  say "Unresolved by ldd:$UNRESOLVED (what needs them cannot load)."
else
  say "ldd resolves every library of every bundled program and model."
fi
log "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"

FAILS=0
FAILED=""
fail_check() { FAILS=$((FAILS + 1)); FAILED="$FAILED
- $1"; }

# --- The CUDA kernel tests ---------------------------------------------------
say ""
say "## CUDA kernel tests (kiln-cuda-unit-tests)"
say ""
run "$HERE/bin/kiln-cuda-unit-tests" --gtest_color=no
status=$?
summary=$(grep -E '^\[ *(PASSED|FAILED|SKIPPED) *\]|tests? ran' "$WORK/last" |
  grep -vE '^\[ *(FAILED|SKIPPED) *\] [A-Za-z]' | sed 's/, listed below://' | tr '\n' ' ')
failed_tests=$(grep -E '^\[  FAILED  \] [A-Za-z]' "$WORK/last" | sed 's/^\[  FAILED  \] //' | sort -u)
skipped=$(grep -cE '^\[  SKIPPED \] [A-Za-z]' "$WORK/last")
if [ $status = 0 ] && [ "$skipped" = 0 ]; then
  say "pass: $summary"
elif [ $status = 0 ]; then
  say "skipped: $summary (the tests skip without a CUDA device)"
  [ $GPU = yes ] && fail_check "CUDA kernel tests skipped although nvidia-smi lists a GPU"
else
  say "FAIL (exit $status): ${summary:-$(why $status)}"
  [ -n "$failed_tests" ] && say "" && say "Failed: $(echo "$failed_tests" | tr '\n' ' ')"
  fail_check "CUDA kernel tests (exit $status)"
fi

# --- NCCL --------------------------------------------------------------------
say ""
say "## NCCL (nccl-smoke: one process, a rank per GPU, one all-reduce)"
say ""
if [ -n "$NCCL_STAND_IN" ]; then
  say "skipped: the machine has no NCCL"
elif run "$HERE/bin/nccl-smoke"; then
  say "pass: $(tail -1 "$WORK/last")"
else
  status=$?
  say "FAIL (exit $status): $(why $status)"
  fail_check "nccl-smoke: $(why $status)"
fi

# --- The models --------------------------------------------------------------
say ""
say "## Models: CUDA build against Kiln's CPU build"
say ""
say "Pass: |gpu - cpu| <= atol + rtol * |cpu| for every element of every output."
say "max rel = max |gpu - cpu| / max |cpu|; worst = max |gpu - cpu| / (atol + rtol |cpu|) (at most 1 passes)."
say "GPU ms: median of \`kiln-run --bench N\`; CPU ms: the reference build's median on the machine that made the bundle, 20 runs."
say ""
say "| model | kiln-compile flags | run | max abs | max rel | worst | atol / rtol | result | GPU ms (N) | CPU ms |"
say "|---|---|---|---|---|---|---|---|---|---|"
for dir in "$HERE"/models/*/; do
  dir=${dir%/}
  name=$(basename "$dir")
  [ -f "$dir/check.txt" ] || continue
  read -r atol rtol bench cpu_ms flags <"$dir/check.txt"
  args=()
  for f in "$dir"/inputs/*.npy; do
    args+=(--input "$(basename "$f" .npy)=$f")
  done
  out=$WORK/$name.out
  maxabs=-; maxrel=-; worst=-; gpu_ms=-
  if run "$HERE/bin/kiln-run" "$dir/cuda" "${args[@]}" --output-dir "$out"; then
    ran=ok
    run "$HERE/bin/kiln-compare" "$dir/ref" "$out" --atol "$atol" --rtol "$rtol"
    cmp=$?
    # The largest of each column over the outputs.
    read -r maxabs maxrel worst < <(awk '
      / max abs / {
        for (i = 1; i <= NF; ++i) {
          v = $(i + 1); sub(/[,:]$/, "", v)
          if ($i == "abs" && v + 0 > a) a = v + 0
          if ($i == "rel" && v + 0 > r) r = v + 0
          if ($i == "worst" && v + 0 > w) w = v + 0
        }
      }
      END { printf "%.3g %.3g %.3g\n", a, r, w }' "$WORK/last")
    if [ $cmp = 0 ]; then
      result=pass
    else
      result="**FAIL**: $(grep -E 'FAIL' "$WORK/last" | head -1 | cut -c1-200)"
      fail_check "$name: outputs differ from the CPU reference"
    fi
    if run "$HERE/bin/kiln-run" "$dir/cuda" "${args[@]}" --bench "$bench"; then
      gpu_ms=$(awk 'NR == 2 { print $2 }' "$WORK/last")
    else
      gpu_ms="fails"
    fi
  else
    status=$?
    ran="**FAIL**"
    result="**FAIL**: $(why $status)"
    fail_check "$name: kiln-run fails: $(why $status)"
  fi
  say "| $name | ${flags:-(none)} | $ran | $maxabs | $maxrel | $worst | $atol / $rtol | $result | $gpu_ms ($bench) | $cpu_ms |"
done
if [ -s "$HERE/models/skipped.txt" ]; then
  say ""
  say "Not in this bundle:"
  sed 's/^/- /' "$HERE/models/skipped.txt" >>"$REPORT"
fi

# --- Summary -----------------------------------------------------------------
say ""
say "## Summary"
say ""
if [ $GPU = no ]; then
  say "No GPU on this machine: $FAILS checks failed, as expected without one."
  status=2
elif [ -n "$MISSING" ]; then
  say "The machine lacks$MISSING: the CUDA checks cannot load. $FAILS checks failed."
  status=1
elif [ $FAILS = 0 ]; then
  say "All checks pass."
  status=0
else
  say "$FAILS checks failed:"
  status=1
fi
[ -n "$FAILED" ] && say "$FAILED"
say ""
say "Full output: gpu-checks.log beside this report."
cat "$REPORT"
exit $status
