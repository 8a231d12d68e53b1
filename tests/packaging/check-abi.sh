#!/usr/bin/env bash
# Compares the built library with the committed ABI baseline (abi/libsdrs.abi) using abidiff.
#   check-abi.sh <libsdrs.so> <abi/libsdrs.abi> <include-dir> <generated-include-dir>
# abidiff's exit status is a bit field: 1 error, 2 usage error, 4 ABI change, 8 incompatible
# change (a function or variable removed). 4 alone covers both additions and changed types, so
# a status of 4 is checked again with --no-added-syms: if that is 0 the only changes are
# additions, which the ABI policy allows. Fails on 1, 2, 8, and on a change that remains.
# Exits 77 (skipped) for a library without debug info.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/packaging/abi-lib.sh
. "$here/abi-lib.sh"
lib=${1:?library}
baseline=${2:?baseline}
inc=${3:?include dir}
geninc=${4:?generated include dir}

command -v abidiff >/dev/null || { echo "abidiff not found: apt-get install abigail-tools (scripts/install-deps test)" >&2; exit 1; }
[ -f "$lib" ] || { echo "no such library: $lib" >&2; exit 1; }
[ -f "$baseline" ] || { echo "no baseline $baseline (scripts/update-abi <build-dir>)" >&2; exit 1; }
if ! sdrs_has_debug_info "$lib"; then
  # 77: ctest's SKIP_RETURN_CODE for this test. Not a pass (nothing was compared), not a
  # failure of the library; packaging_symbols still checks the exported names.
  echo "SKIPPED: $lib has no debug info, so abidiff could only compare symbol names;"
  echo "build with CMAKE_BUILD_TYPE=RelWithDebInfo or Debug (or -g in CFLAGS) to run this check"
  exit 77
fi

opts=(--no-corpus-path --fail-no-debug-info --hd2 "$inc" --hd2 "$geninc")
abidiff "${opts[@]}" "$baseline" "$lib"
rc=$?
echo "abidiff exit status $rc"
if [ $((rc & 3)) -ne 0 ]; then
  echo "FAIL: abidiff could not compare (error bits $((rc & 3)))" >&2
  exit 1
fi
if [ $((rc & 8)) -ne 0 ]; then
  echo "FAIL: incompatible ABI change against $baseline (a function or variable was removed)" >&2
  exit 1
fi
if [ $((rc & 4)) -ne 0 ]; then
  abidiff "${opts[@]}" --no-added-syms "$baseline" "$lib" >/dev/null
  rc2=$?
  if [ "$rc2" -ne 0 ]; then
    echo "FAIL: ABI change other than additions (status $rc2 without added symbols): an" >&2
    echo "exported function's signature or a public type changed; see docs/packaging.md" >&2
    exit 1
  fi
  echo "OK: only additions against $baseline (compatible; run scripts/update-abi to record them)"
  exit 0
fi
echo "OK: ABI identical to $baseline"
