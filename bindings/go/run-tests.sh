#!/bin/sh
# Runs the Go binding's checks against a CMake build tree of libsdrs:
#   SDRS_BUILD_DIR=/path/to/build bindings/go/run-tests.sh
# Uses $SDRS_BUILD_DIR/pkgconfig (sdrs.pc), $SDRS_BUILD_DIR/lib (libsdrs.so.1) and
# $SDRS_BUILD_DIR/bin/sdrs-emulator. Needs no network: the module has no dependencies.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
: "${SDRS_BUILD_DIR:?set SDRS_BUILD_DIR to the CMake build directory}"
build=$(cd "$SDRS_BUILD_DIR" && pwd)

export PKG_CONFIG_PATH="$build/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export LD_LIBRARY_PATH="$build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export SDRS_EMULATOR="${SDRS_EMULATOR:-$build/bin/sdrs-emulator}"
export SDRS_LIB="${SDRS_LIB:-$build/lib/libsdrs.so.1}"
export SDRS_INCLUDE_DIR="${SDRS_INCLUDE_DIR:-$here/../../include}"
export CGO_ENABLED=1
export GOFLAGS="${GOFLAGS:-}"
export GOPROXY=off
export GOTOOLCHAIN=local
export GOCACHE="${GOCACHE:-${TMPDIR:-/tmp}/sdrs-go-cache}"
export GOPATH="${GOPATH:-${TMPDIR:-/tmp}/sdrs-go-path}"
# The race detector slows cgo-heavy tests down; a loaded machine needs time.
timeout="${SDRS_GO_TEST_TIMEOUT:-15m}"

for f in "$SDRS_EMULATOR" "$SDRS_LIB" "$build/pkgconfig/sdrs.pc"; do
  [ -e "$f" ] || { echo "run-tests.sh: missing $f (build the library and the emulator first)" >&2; exit 2; }
done

echo "== scripts/gen-bindings --check (generated zconstants*.go up to date)"
python3 "$here/../../scripts/gen-bindings" --check

cd "$here"
echo "== gofmt"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "gofmt: not formatted: $unformatted" >&2
  exit 1
fi
echo "== go doc shows values, not cgo expressions"
if go doc -all . | grep -E '=[^/]*\bC\.[A-Za-z_]'; then
  echo "go doc: a constant above is a cgo expression; generate it as a literal" >&2
  exit 1
fi
echo "== no cgo.Handle held as an unsafe.Pointer in Go"
# A handle is a small integer: in a pointer-typed Go variable or parameter the runtime throws
# "invalid pointer found on stack" when it copies that goroutine's stack (seen in CI). Handles
# cross as uintptr_t and become void * only in C (client.go, context.go, watcher.go).
if grep -nE 'unsafe\.Pointer\(uintptr\(|cgo\.Handle\(uintptr\(|userdata unsafe\.Pointer|void \*sdrs_go_handle_ptr' ./*.go; then
  echo "a cgo.Handle above travels as an unsafe.Pointer in Go; pass C.uintptr_t and convert in C" >&2
  exit 1
fi
echo "== go vet ./..."
go vet ./...
echo "== go test -race -count=1 ./..."
go test -race -count=1 -timeout "$timeout" ./...
if [ "${SDRS_GO_SKIP_PLAIN:-0}" != 1 ]; then
  echo "== go test -count=1 ./..."
  go test -count=1 -timeout "$timeout" ./...
fi
echo "== tests/consumers/go (a project outside the binding, as the README describes)"
SDRS_BUILD_DIR="$build" sh "$here/../../tests/consumers/go/run.sh"
echo "== Go binding: all checks passed"
