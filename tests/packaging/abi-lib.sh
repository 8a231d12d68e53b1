# Shared by scripts/update-abi and the tests/packaging checks (sourced, not run).

# Prints the dynamic symbols <lib> defines, one "name version-node" a line, sorted. The version
# node's own symbol (SDRS_1, type A) is left out; a symbol without a version prints "name -".
sdrs_exported_symbols() {
  nm -D --defined-only "$1" |
    awk '$2 != "A" && NF >= 3 { n = $3; v = "-"; i = index(n, "@");
           if (i > 0) { v = substr(n, i); sub(/^@+/, "", v); n = substr(n, 1, i - 1) }
           print n, v }' |
    LC_ALL=C sort -u
}

# The abidw options behind abi/libsdrs.abi: only the interfaces the library exports, only the
# types declared in the public headers (<include-dir> and the generated <build>/include), and
# no build paths or line numbers, so the file changes only when the ABI does.
SDRS_ABIDW_OPTS="--exported-interfaces-only --drop-private-types --no-corpus-path
  --no-comp-dir-path --no-show-locs --no-elf-needed"

# True if <file> carries DWARF (abidw/abidiff need it to see types, not just symbol names).
sdrs_has_debug_info() {
  readelf -S -W "$1" 2>/dev/null | grep -q '\.debug_info'
}
