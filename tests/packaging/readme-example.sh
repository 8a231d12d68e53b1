#!/usr/bin/env bash
# Builds the C example of README.md ("Using the C API") exactly as printed, against an
# installed libsdrs through pkg-config, and runs it against a fresh sdrs-emulator: the README's
# first program must work for a newcomer who copies it.
#   readme-example.sh <README.md> <prefix> <libdir name> <emulator> <workdir>
set -uo pipefail
readme=${1:?readme} prefix=${2:?prefix} libdir=${3:?libdir} emulator=${4:?emulator} dir=${5:?workdir}
rm -rf "$dir" && mkdir -p "$dir" || exit 1

# The first ```c block after the "## Using the C API" heading.
awk '/^## Using the C API/ { in_section = 1 }
     in_section && /^```c$/ { in_block = 1; next }
     in_block && /^```$/ { exit }
     in_block { print }' "$readme" >"$dir/example.c"
[ -s "$dir/example.c" ] || { echo "FAIL: no C example under '## Using the C API' in $readme" >&2; exit 1; }

export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
# shellcheck disable=SC2046 # word splitting of pkg-config's flags is intended
"${CC:-cc}" -std=c99 -Wall -Wextra -Werror -o "$dir/example" "$dir/example.c" \
  $(pkg-config --cflags --libs sdrs) -Wl,-rpath,"$prefix/$libdir" ||
  { echo "FAIL: the README's C example does not compile" >&2; exit 1; }

"$emulator" --port 0 --port-file "$dir/port" --job-init-ms 20 --job-run-ms 80 \
  </dev/null >"$dir/emulator.log" 2>&1 &
emu=$!
trap 'kill -TERM "$emu" 2>/dev/null; wait "$emu" 2>/dev/null' EXIT
for _ in $(seq 1 100); do
  [ -s "$dir/port" ] && break
  kill -0 "$emu" 2>/dev/null || { echo "FAIL: emulator exited" >&2; exit 1; }
  sleep 0.1
done
[ -s "$dir/port" ] || { echo "FAIL: emulator wrote no port file" >&2; exit 1; }

# Only what the README names: the endpoint, the http opt-in, the project and the token.
env -i PATH="$PATH" SDRS_ENDPOINT="http://127.0.0.1:$(cat "$dir/port")" SDRS_ALLOW_HTTP=1 \
  OS_PROJECT_ID=0123456789abcdef0123456789abcdef OS_AUTH_TOKEN=emulator-token \
  "$dir/example" >"$dir/out" 2>"$dir/err"
rc=$?
cat "$dir/out"
sed 's/^/stderr: /' "$dir/err"
[ $rc -eq 0 ] || { echo "FAIL: the README's C example exited with $rc" >&2; exit 1; }
grep -Eq '^created [0-9a-f-]{32,36}$' "$dir/out" ||
  { echo "FAIL: the README's C example did not print 'created <group id>'" >&2; exit 1; }
echo "readme example: OK"
