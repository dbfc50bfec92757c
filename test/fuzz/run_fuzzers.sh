#!/usr/bin/env bash
# Runs each libFuzzer target of a sanitized build for a while, from its
# corpus (kept between runs) and the seeds, and prints one row per fuzzer.
#
#   run_fuzzers.sh BUILD SECONDS [JOBS]
#
# Findings (crashes, hangs, leaks, sanitizer reports) are written to
# BUILD/fuzz/findings/ and make the script exit non-zero.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
SECONDS_EACH=$2
JOBS=${3:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
FUZZ=$BUILD/fuzz
FUZZERS="onnx onnxtxt safetensors npy"

/usr/bin/python3 "$HERE/make_seeds.py" "$FUZZ/seeds"
mkdir -p "$FUZZ/findings" "$FUZZ/logs"

run_one() {
  local name=$1
  local corpus=$FUZZ/corpus/$name
  mkdir -p "$corpus"
  local extra=()
  if [ "$name" = onnxtxt ]; then extra+=(-dict="$HERE/onnxtxt.dict"); fi
  # A sanitizer report or a leak ends the run as a finding.
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
  LSAN_OPTIONS=suppressions=$HERE/../sanitize/lsan.supp \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$BUILD/bin/kiln-fuzz-$name" "$corpus" "$FUZZ/seeds/$name" \
      -max_total_time="$SECONDS_EACH" -timeout=20 -rss_limit_mb=4096 \
      -print_final_stats=1 -artifact_prefix="$FUZZ/findings/$name-" \
      "${extra[@]}" > "$FUZZ/logs/$name.log" 2>&1
}

pids=()
status=0
for name in $FUZZERS; do
  run_one "$name" &
  pids+=($!)
  if [ "${#pids[@]}" -ge "$JOBS" ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done

printf '%-12s %8s %12s %10s %8s  %s\n' fuzzer seconds executions exec/s corpus result
for name in $FUZZERS; do
  log=$FUZZ/logs/$name.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(ls "$FUZZ/corpus/$name" | wc -l)
  result=ok
  if grep -qE '^==[0-9]+==ERROR|^SUMMARY: |runtime error:|Test unit written' "$log"; then
    result="FINDING (see $log)"
    status=1
  fi
  printf '%-12s %8s %12s %10s %8s  %s\n' "$name" "$SECONDS_EACH" "${execs:-?}" \
    "${rate:-?}" "$corpus" "$result"
done
exit $status
