#!/usr/bin/env bash
# Builds and tests the C# binding against a CMake build of libsdrs and its emulator.
#   SDRS_BUILD_DIR=/path/to/build bindings/csharp/run-tests.sh [extra dotnet test args]
# Packages come from the folder feed in nuget.config (/opt/nuget/packages); only the net8.0
# reference pack comes from the machine's NuGet registry. Without extra arguments the consumer
# test (tests/consumers/csharp: the NuGet package from a folder feed, no LD_LIBRARY_PATH) runs
# after the unit tests; with them (a --filter, say) only dotnet test runs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
: "${SDRS_BUILD_DIR:?set SDRS_BUILD_DIR to the CMake build directory}"
build="$(cd "$SDRS_BUILD_DIR" && pwd)"

export SDRS_LIBRARY_PATH="${SDRS_LIBRARY_PATH:-$build/lib/libsdrs.so.1}"
export SDRS_EMULATOR="${SDRS_EMULATOR:-$build/bin/sdrs-emulator}"
export SDRS_INCLUDE_DIR="${SDRS_INCLUDE_DIR:-$repo/include}"
# dotnet and NuGet need a home for their caches; CI environments may not set one.
export HOME="${HOME:-${TMPDIR:-/tmp}/sdrs-csharp-home}"
mkdir -p "$HOME"
export DOTNET_CLI_HOME="${DOTNET_CLI_HOME:-$HOME}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_UI_LANGUAGE=en NUGET_XMLDOC_MODE=skip

for f in "$SDRS_LIBRARY_PATH" "$SDRS_EMULATOR"; do
  [ -e "$f" ] || { echo "run-tests.sh: missing $f (build libsdrs and sdrs-emulator first)" >&2; exit 2; }
done

echo "== scripts/gen-bindings --check (generated Native.g.cs up to date)"
python3 "$repo/scripts/gen-bindings" --check

cd "$here"
# Restore once, then build and test without touching any source again.
dotnet restore Sdrs.Tests/Sdrs.Tests.csproj --configfile nuget.config
# Extra arguments (e.g. --filter ...) go to dotnet test; the session timeout bounds a hang.
dotnet test Sdrs.Tests/Sdrs.Tests.csproj --no-restore -c Release --disable-build-servers \
  --logger "console;verbosity=normal" "$@" -- RunConfiguration.TestSessionTimeout=600000

if [ $# -eq 0 ]; then
  echo "== tests/consumers/csharp (the package from a folder feed, no LD_LIBRARY_PATH)"
  # The consumer must find libsdrs through the package alone: no override from this script.
  env -u SDRS_LIBRARY_PATH SDRS_BUILD_DIR="$build" bash "$repo/tests/consumers/csharp/run.sh"
fi
