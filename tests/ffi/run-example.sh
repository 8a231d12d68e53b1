#!/usr/bin/env bash
# Runs one FFI example of docs/ffi.md against a fresh sdrs-emulator on a free loopback port.
#   run-example.sh <emulator> <libdir> <workdir> <example command...>
# The example gets the endpoint URL as its last argument and finds libsdrs.so.1 through
# LD_LIBRARY_PATH=<libdir> (an installed libdir). Passes when the example exits 0, printed its
# OK line and loaded libsdrs.so.1 from <libdir>.
set -uo pipefail
emulator=${1:?emulator} libdir=${2:?libdir} dir=${3:?workdir}
shift 3
[ $# -gt 0 ] || { echo "usage: see the header of $0" >&2; exit 2; }
[ -x "$emulator" ] || { echo "FAIL: emulator not executable: $emulator" >&2; exit 1; }
[ -e "$libdir/libsdrs.so.1" ] || { echo "FAIL: no $libdir/libsdrs.so.1" >&2; exit 1; }
rm -rf "$dir" && mkdir -p "$dir" || exit 1

"$emulator" --port 0 --port-file "$dir/port" --job-init-ms 20 --job-run-ms 80 \
  </dev/null >"$dir/emulator.log" 2>&1 &
emu=$!
trap 'kill -TERM "$emu" 2>/dev/null; wait "$emu" 2>/dev/null' EXIT
for _ in $(seq 1 100); do
  [ -s "$dir/port" ] && break
  kill -0 "$emu" 2>/dev/null ||
    { echo "FAIL: emulator exited: $(tail -5 "$dir/emulator.log")" >&2; exit 1; }
  sleep 0.1
done
[ -s "$dir/port" ] || { echo "FAIL: emulator wrote no port file within 10 s" >&2; exit 1; }

LD_LIBRARY_PATH="$libdir" "$@" "http://127.0.0.1:$(cat "$dir/port")" >"$dir/out" 2>"$dir/err"
rc=$?
cat "$dir/out"
sed 's/^/stderr: /' "$dir/err"
[ $rc -eq 0 ] || { echo "FAIL: $* exited with $rc" >&2; exit 1; }
grep -q '^[a-z_]*_example: OK$' "$dir/out" || { echo "FAIL: no OK line" >&2; exit 1; }
real=$(cd "$libdir" && pwd -P)
grep -Eq "^loaded ($libdir|$real)/libsdrs\.so\.1" "$dir/out" ||
  { echo "FAIL: libsdrs.so.1 was not loaded from $libdir" >&2; exit 1; }
