#!/usr/bin/env bash
# Runs Doxygen on the public headers (docs/Doxyfile.in, configured by CMake) into <workdir>
# and fails on any warning, on a header without a page, or when the comments were not read.
#   check-docs.sh <doxygen> <configured Doxyfile> <include-dir> <workdir>
# The Doxyfile already fails on warnings (WARN_AS_ERROR); any stderr output fails here too.
set -uo pipefail
doxygen=${1:?doxygen} doxyfile=${2:?Doxyfile} inc=${3:?include dir} dir=${4:?workdir}

[ -x "$doxygen" ] || command -v "$doxygen" >/dev/null ||
  { echo "FAIL: doxygen not found ($doxygen): scripts/install-deps test (Debian: doxygen)" >&2; exit 1; }
rm -rf "$dir" && mkdir -p "$dir" || exit 1
# The configured file with its output redirected, so this never races with the docs target.
{ cat "$doxyfile"; echo "OUTPUT_DIRECTORY = $dir"; } >"$dir/Doxyfile"
(cd "$dir" && "$doxygen" Doxyfile) >"$dir/doxygen.out" 2>"$dir/doxygen.err"
rc=$?
cat "$dir/doxygen.err"
[ $rc -eq 0 ] || { echo "FAIL: doxygen exited with $rc" >&2; exit 1; }
[ ! -s "$dir/doxygen.err" ] || { echo "FAIL: doxygen printed warnings (above)" >&2; exit 1; }

status=0
html=$dir/html
# Every public header has a page (doxygen names it <file>_8h.html).
for h in "$inc"/sdrs.h "$inc"/sdrs/*.h; do
  page=$html/$(basename "$h" .h)_8h.html
  [ -f "$page" ] || { echo "FAIL: no page for $h ($page)" >&2; status=1; }
done
# The /** comments were read: a function's description and an enum value's trailing comment.
grep -q 'Frees a string that libsdrs handed to the caller' "$html/common_8h.html" ||
  { echo "FAIL: the description of sdrs_string_free is missing" >&2; status=1; }
grep -q 'resource does not exist' "$html/common_8h.html" ||
  { echo "FAIL: the comment of SDRS_ENOTFOUND is missing" >&2; status=1; }
# One comment before a run of getters documents each of them (/** @{ */ groups).
# sdrs_pg_name is the second getter after the comment: its own section must carry the text.
awk '/memtitle/ { inside = /sdrs_pg_name\(\)/ } inside' "$html/pg_8h.html" |
  grep -q 'String getters: borrowed' ||
  { echo "FAIL: sdrs_pg_name lacks its group's comment (/** @{ */ ... /** @} */)" >&2; status=1; }
[ $status -eq 0 ] || exit 1
echo "OK: $(find "$html" -name '*_8h.html' | wc -l) header pages, no doxygen warnings ($html)"
