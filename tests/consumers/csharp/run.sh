#!/usr/bin/env bash
# The C# consumer test (issue 17): packs the binding into a folder feed, builds this project from
# a copy outside the repository exactly as bindings/csharp/README.md "Use it in your project"
# says, and runs it against its own sdrs-emulator with neither LD_LIBRARY_PATH nor
# SDRS_LIBRARY_PATH set: the package's runtimes/linux-x64/native/libsdrs.so.1 must be what loads.
#   SDRS_BUILD_DIR=/path/to/build tests/consumers/csharp/run.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
: "${SDRS_BUILD_DIR:?set SDRS_BUILD_DIR to the CMake build directory}"
build="$(cd "$SDRS_BUILD_DIR" && pwd)"
emulator="${SDRS_EMULATOR:-$build/bin/sdrs-emulator}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_CLI_UI_LANGUAGE=en

work="$(mktemp -d "${TMPDIR:-/tmp}/sdrs-cs-consumer.XXXXXX")"
emu_pid=""
cleanup() {
  if [ -n "$emu_pid" ]; then
    kill "$emu_pid" 2>/dev/null || true
    wait "$emu_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "consumer test: $*" >&2; exit 1; }

echo "== consumer: dotnet pack into a folder feed"
app="$work/app"
mkdir -p "$app"
SDRS_BUILD_DIR="$build" dotnet pack "$repo/bindings/csharp/Sdrs/Sdrs.csproj" -c Release -o "$app/libsdrs-feed" -v q -nologo --disable-build-servers
nupkg="$app/libsdrs-feed/Libsdrs.1.0.0.nupkg"
[ -f "$nupkg" ] || fail "no $nupkg"
listing="$(unzip -l "$nupkg")"
echo "$listing" | grep -E 'runtimes/|lib/|README.md' || true
echo "$listing" | grep -q ' runtimes/linux-x64/native/libsdrs\.so\.1$' || fail "the package lacks runtimes/linux-x64/native/libsdrs.so.1"
# The packed library is the build's without debug sections, and exports the same sdrs_* symbols.
unzip -p "$nupkg" runtimes/linux-x64/native/libsdrs.so.1 >"$work/packed.so"
if readelf -S "$work/packed.so" | grep -q '\.debug_'; then fail "the packed libsdrs.so.1 still has debug sections"; fi
exports() { nm -D --defined-only "$1" | awk '{print $3}' | sort; }
[ "$(exports "$work/packed.so")" = "$(exports "$build/lib/libsdrs.so.1")" ] || fail "the packed libsdrs.so.1 exports differ from the build's"
echo "packed libsdrs.so.1: $(stat -c %s "$work/packed.so") bytes (built: $(stat -L -c %s "$build/lib/libsdrs.so.1"))"
unzip -p "$nupkg" Libsdrs.nuspec | grep -q '<license type="expression">Apache-2.0</license>' || fail "the nuspec has no Apache-2.0 licence expression"

echo "== consumer: restore from the folder feed and build (outside the repository)"
cp "$here/Consumer.csproj" "$here/Program.cs" "$here/nuget.config" "$app/"
# A private global-packages folder: a package cached by an earlier run must not stand in for this one.
export NUGET_PACKAGES="$work/nuget-packages"
dotnet build "$app/Consumer.csproj" -c Release -v q -nologo --disable-build-servers
native="$app/bin/Release/net10.0/runtimes/linux-x64/native/libsdrs.so.1"
[ -f "$native" ] || fail "the build did not copy the native asset to $native"

echo "== consumer: run against sdrs-emulator without LD_LIBRARY_PATH or SDRS_LIBRARY_PATH"
"$emulator" --port 0 --job-init-ms 20 --job-run-ms 80 --quiet >"$work/emu.out" 2>"$work/emu.err" &
emu_pid=$!
port=""
for _ in $(seq 1 200); do
  port="$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$work/emu.out")"
  [ -n "$port" ] && break
  kill -0 "$emu_pid" 2>/dev/null || fail "sdrs-emulator exited: $(cat "$work/emu.err")"
  sleep 0.1
done
[ -n "$port" ] || fail "sdrs-emulator did not report its port"

out="$(env -u LD_LIBRARY_PATH -u SDRS_LIBRARY_PATH \
  SDRS_ENDPOINT="http://127.0.0.1:$port" SDRS_PROJECT_ID=0123456789abcdef0123456789abcdef \
  SDRS_TOKEN=emulator-token SDRS_ALLOW_HTTP=1 \
  dotnet "$app/bin/Release/net10.0/Consumer.dll")" || fail "the consumer program failed: $out"
echo "$out"
echo "$out" | grep -q "loaded from $native\$" || fail "libsdrs was not loaded from the package's native asset $native"
echo "$out" | grep -q '^deleted group consumer-' || fail "the scenario did not finish"
echo "consumer test: passed"
