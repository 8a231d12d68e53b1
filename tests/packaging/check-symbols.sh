#!/usr/bin/env bash
# Fails when the shared library exports a different set of symbols (or version nodes) than the
# committed abi/symbols.txt: every addition must be deliberate (scripts/update-abi).
#   check-symbols.sh <libsdrs.so> <abi/symbols.txt>
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/packaging/abi-lib.sh
. "$here/abi-lib.sh"
lib=${1:?library}
list=${2:?symbols.txt}
[ -f "$lib" ] || { echo "no such library: $lib" >&2; exit 1; }
[ -f "$list" ] || { echo "no such list: $list" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sdrs_exported_symbols "$lib" >"$tmp/built" || { echo "nm failed on $lib" >&2; exit 1; }
grep -v '^#' "$list" | LC_ALL=C sort -u >"$tmp/committed"
[ -s "$tmp/built" ] || { echo "$lib exports nothing" >&2; exit 1; }

LC_ALL=C comm -13 "$tmp/committed" "$tmp/built" >"$tmp/added"
LC_ALL=C comm -23 "$tmp/committed" "$tmp/built" >"$tmp/removed"
status=0
if [ -s "$tmp/added" ]; then
  echo "exported but not in $list (new API? run scripts/update-abi <build-dir> and commit):" >&2
  sed 's/^/  + /' "$tmp/added" >&2
  status=1
fi
if [ -s "$tmp/removed" ]; then
  echo "in $list but no longer exported (this breaks the ABI; see docs/packaging.md):" >&2
  sed 's/^/  - /' "$tmp/removed" >&2
  status=1
fi
[ $status -eq 0 ] && echo "OK: $(wc -l <"$tmp/built") exported symbols match $list"
exit $status
