#!/usr/bin/env bash
# Installs the build into a temporary prefix, as a user would with `cmake --install`, and
# checks that the installed sdrs runs without LD_LIBRARY_PATH, loading the library installed
# beside it, and that its man pages and bash completion are where the system looks for them.
# Usage: install_test.sh <cmake> <build-dir> <bindir> <libdir> <mandir> <datadir>
#        (the last four relative to the prefix, i.e. the CMAKE_INSTALL_* values)
set -u
if [ $# -ne 6 ]; then
  echo "usage: $0 <cmake> <build-dir> <bindir> <libdir> <mandir> <datadir>" >&2
  exit 2
fi
CMAKE=$1 BUILD=$2 BINDIR=$3 LIBDIR=$4 MANDIR=$5 DATADIR=$6
for tool in readelf ldd; do
  command -v "$tool" >/dev/null || { echo "install_test: '$tool' is required" >&2; exit 1; }
done
PREFIX=$(mktemp -d)
trap 'rm -rf "$PREFIX"' EXIT

PASSED=0
FAILED=0
check() {  # check NAME COMMAND...
  local name=$1
  shift
  if "$@"; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); echo "FAIL: $name" >&2; fi
}

if ! "$CMAKE" --install "$BUILD" --prefix "$PREFIX" >"$PREFIX.log" 2>&1; then
  cat "$PREFIX.log" >&2
  rm -f "$PREFIX.log"
  echo "install_test: cmake --install failed" >&2
  exit 1
fi
rm -f "$PREFIX.log"
SDRS="$PREFIX/$BINDIR/sdrs"

check "sdrs installed" test -x "$SDRS"
runpath=$(readelf -d "$SDRS" | sed -nE 's/.*\((RUNPATH|RPATH)\).*\[(.*)\]/\2/p')
check "runpath is relative to the binary (got '$runpath')" test "$runpath" = "\$ORIGIN/../$LIBDIR"
# Neither the build tree nor the environment may be what makes it run.
version=$(cd / && env -u LD_LIBRARY_PATH "$SDRS" version 2>&1)
rc=$?
check "installed sdrs version runs without LD_LIBRARY_PATH (exit $rc: $version)" test "$rc" -eq 0
check "installed sdrs version prints the library version" grep -q '^libsdrs ' <<<"$version"
resolved=$(env -u LD_LIBRARY_PATH ldd "$SDRS" | sed -nE 's/^\s*libsdrs\.so\.[0-9]+ => (\S+).*/\1/p')
check "libsdrs resolved inside the prefix (got '$resolved')" \
  test "$(cd "$(dirname "$resolved")" 2>/dev/null && pwd -P)" = "$(cd "$PREFIX/$LIBDIR" && pwd -P)"

check "sdrs.1 installed" test -s "$PREFIX/$MANDIR/man1/sdrs.1"
check "sdrs-emulator.1 installed" test -s "$PREFIX/$MANDIR/man1/sdrs-emulator.1"
COMPLETION="$PREFIX/$DATADIR/bash-completion/completions/sdrs"
check "bash completion installed as completions/sdrs" test -s "$COMPLETION"
# bash-completion loads the file inside a function: its tables must still be global then.
reply=$(bash -c 'load() { source "$1"; }; load "$1"
  COMP_WORDS=(sdrs pg cr); COMP_CWORD=2; _sdrs; echo "${COMPREPLY[*]}"' _ "$COMPLETION")
check "installed completion works when loaded from a function (got '$reply')" test "$reply" = create

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
