#!/bin/sh
# Asserts that the shared library exports only sdrs_* symbols (c-abi.md rule 3) and that
# every function declared with SDRS_API in the public headers is exported.
#   check-exports.sh <libsdrs.so> <include-dir> [<generated-include-dir>]
set -u
lib=${1:?library}
incdir=${2:?include dir}
genincdir=${3:-}

if [ ! -f "$lib" ]; then
  echo "no such library: $lib" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Column 3 is the name; newer binutils append @@VERSION (or @VERSION): strip it.
if ! nm -D --defined-only "$lib" >"$tmp/nm.txt"; then
  echo "nm failed on $lib" >&2
  exit 1
fi
awk 'NF >= 3 { print $3 } NF == 2 { print $2 }' "$tmp/nm.txt" | sed 's/@.*$//' | sort -u >"$tmp/exported"

# The version node symbol SDRS_1 is the only allowed non-sdrs_ name.
grep -v -e '^sdrs_' -e '^SDRS_1$' "$tmp/exported" >"$tmp/bad"
status=0
if [ -s "$tmp/bad" ]; then
  echo "symbols exported without the sdrs_ prefix:" >&2
  sed 's/^/  /' "$tmp/bad" >&2
  status=1
fi

n=$(grep -c '^sdrs_' "$tmp/exported")
if [ "$n" -eq 0 ]; then
  echo "no sdrs_ symbol exported at all" >&2
  status=1
fi

# Every public function must be there.
cat "$incdir"/sdrs/*.h ${genincdir:+"$genincdir"/sdrs/*.h} |
  grep -o 'SDRS_API[^(]*(' | grep -o 'sdrs_[a-z0-9_]*(' | tr -d '(' | sort -u >"$tmp/declared"
d=$(wc -l <"$tmp/declared")
comm -23 "$tmp/declared" "$tmp/exported" >"$tmp/missing"
if [ -s "$tmp/missing" ]; then
  echo "declared in the headers but not exported:" >&2
  sed 's/^/  /' "$tmp/missing" >&2
  status=1
fi

if [ $status -eq 0 ]; then
  echo "OK: $n sdrs_ symbols exported, all $d declared functions present, nothing else"
fi
exit $status
