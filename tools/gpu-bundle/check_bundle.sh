#!/usr/bin/env bash
# Checks a GPU bundle as far as a machine without a GPU can:
#
#   check_bundle.sh BUILD/gpu-bundle.tar.gz
#
# Unpacks it into an empty folder; checks its size against the device
# tool's 64 MiB; runs ldd on every program and library in it with only the
# bundle's lib/ on the path and fails when one needs a library that is
# neither in the bundle, nor glibc / libstdc++ / libgcc_s, nor one of those
# the GPU machine must provide (libcuda, cuBLAS, cuBLASLt, NCCL); then runs
# run_gpu_checks.sh, which must end with a report (exit status 2 without a
# GPU, not a crash).
set -uo pipefail

TARBALL=$(cd "$(dirname "${1:?usage: check_bundle.sh BUNDLE.tar.gz}")" && pwd)/$(basename "$1")
LIMIT=$((64 * 1048576))
DIR=$(mktemp -d "${TMPDIR:-/tmp}/kiln-bundle-check.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
fail() { echo "check_bundle.sh: $*" >&2; exit 1; }

echo "== check: unpack into an empty folder"
mkdir "$DIR/unpacked"
tar -C "$DIR/unpacked" -xzf "$TARBALL" || fail "cannot unpack $TARBALL"
B=$DIR/unpacked/gpu-bundle
[ -x "$B/run_gpu_checks.sh" ] || fail "no run_gpu_checks.sh at the bundle's top"

packed=$(stat -c %s "$TARBALL")
unpacked=$(du -sb "$B" | cut -f1)
printf '   packed %.1f MiB, unpacked %.1f MiB (the device tool carries 64 MiB with the working tree)\n' \
  "$(echo "$packed" | awk '{ print $1 / 1048576 }')" "$(echo "$unpacked" | awk '{ print $1 / 1048576 }')"
[ "$packed" -lt "$LIMIT" ] || fail "the tarball is over 64 MiB"
[ "$unpacked" -lt "$LIMIT" ] ||
  echo "   note: unpacked it is over 64 MiB: carry the tarball, not the folder"

echo "== check: ldd with only the bundle's libraries"
ALLOWED='^(linux-vdso\.so\.1|ld-linux-x86-64\.so\.2|libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libstdc\+\+\.so\.6|libgcc_s\.so\.1)$'
MACHINE='^(libcuda\.so\.1|libcublas\.so\.13|libcublasLt\.so\.13|libnccl\.so\.2)$'
bad=0
declare -A from_machine=()
count=0
while read -r elf; do
  count=$((count + 1))
  while read -r lib arrow path _; do
    [ "$arrow" = "=>" ] || { [[ $lib == /* ]] || [[ $lib == linux-vdso* ]] || continue; }
    [[ $lib == /* ]] && continue
    if [[ $path == "$B"/* ]] || [[ $lib =~ $ALLOWED ]]; then
      continue
    elif [[ $lib =~ $MACHINE ]]; then
      from_machine[$lib]=1
    else
      echo "   ${elf#"$B"/} needs $lib, found at $path: not in the bundle"
      bad=1
    fi
  done < <(env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH="$B/lib" ldd "$elf" 2>&1)
done < <(find "$B/bin" "$B/lib" "$B/models" -type f \( -perm -u+x -o -name '*.so*' \))
[ $bad = 0 ] || fail "libraries missing from the bundle"
echo "   $count files: every library is in the bundle or the base system," \
  "except what the GPU machine provides: ${!from_machine[*]}"

echo "== check: run_gpu_checks.sh here"
env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$DIR" \
  bash "$B/run_gpu_checks.sh" "$DIR/report" >"$DIR/stdout" 2>&1
status=$?
[ -s "$DIR/report/gpu-report.md" ] || fail "no report (exit status $status)"
case $status in
  0) echo "   exit 0: every check passes" ;;
  1) echo "   exit 1: checks fail (see the report)" ;;
  2) echo "   exit 2: no GPU here, reported as such" ;;
  *) cat "$DIR/stdout"; fail "run_gpu_checks.sh ended with status $status" ;;
esac
if [ -n "${KILN_BUNDLE_REPORT:-}" ]; then
  cp "$DIR/report/gpu-report.md" "$KILN_BUNDLE_REPORT"
  echo "   report copied to $KILN_BUNDLE_REPORT"
fi
sed 's/^/   | /' "$DIR/report/gpu-report.md"
