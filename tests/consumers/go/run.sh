#!/bin/sh
# The Go consumer project: a module outside bindings/go that uses the binding exactly as
# bindings/go/README.md ("Use it in your project") says: a `replace` to the checkout, cgo with
# the sdrs pkg-config module, no network. Its main.go is the README's complete program (checked
# here), built against a build tree and against an installed prefix, and run against the
# emulator. Called by bindings/go/run-tests.sh:
#   SDRS_BUILD_DIR=/path/to/build tests/consumers/go/run.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
: "${SDRS_BUILD_DIR:?set SDRS_BUILD_DIR to the CMake build directory}"
build=$(cd "$SDRS_BUILD_DIR" && pwd)
emulator="${SDRS_EMULATOR:-$build/bin/sdrs-emulator}"

# As the README says: no proxy, modules resolved from go.mod (the replace), no go.sum needed.
export GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local CGO_ENABLED=1
export GOCACHE="${GOCACHE:-${TMPDIR:-/tmp}/sdrs-go-cache}"
export GOPATH="${GOPATH:-${TMPDIR:-/tmp}/sdrs-go-path}"
unset GOWORK

work=$(mktemp -d)
emu_pid=
cleanup() {
  if [ -n "$emu_pid" ]; then
    kill "$emu_pid" 2>/dev/null || true
    wait "$emu_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "== consumer: main.go is the README's complete program"
awk '/^## A complete program/{s=1} s&&/^```go$/{p=1;next} p&&/^```$/{exit} p' \
  "$root/bindings/go/README.md" >"$work/readme.go"
if ! diff -u "$work/readme.go" "$here/main.go"; then
  echo "consumer: bindings/go/README.md's program and tests/consumers/go/main.go differ" >&2
  exit 1
fi

echo "== consumer: go build against the build tree (PKG_CONFIG_PATH=<build>/pkgconfig)"
(cd "$here" && PKG_CONFIG_PATH="$build/pkgconfig" go build -o "$work/dr-demo-buildtree" .)

echo "== consumer: go build against an installed prefix (PKG_CONFIG_PATH=<prefix>/lib/pkgconfig)"
prefix="$work/prefix"
if ! cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1; then
  cat "$work/install.log" >&2
  echo "consumer: cmake --install failed; build every target first (cmake --build $build)" >&2
  exit 1
fi
pcdir=$(dirname "$(find "$prefix" -name sdrs.pc | head -n 1)")
libdir=$(PKG_CONFIG_PATH="$pcdir" pkg-config --variable=libdir sdrs)
case "$libdir" in "$prefix"/*) ;; *) echo "consumer: libdir $libdir is not in $prefix" >&2; exit 1 ;; esac
# A runpath instead of LD_LIBRARY_PATH, as the README suggests for a private prefix.
(cd "$here" && PKG_CONFIG_PATH="$pcdir" CGO_LDFLAGS="-Wl,-rpath,$libdir" go build -o "$work/dr-demo" .)

env -u LD_LIBRARY_PATH ldd "$work/dr-demo" | grep -qF "$libdir/libsdrs.so.1" || {
  env -u LD_LIBRARY_PATH ldd "$work/dr-demo" >&2
  echo "consumer: dr-demo does not load $libdir/libsdrs.so.1" >&2
  exit 1
}

echo "== consumer: run against the emulator"
"$emulator" --port 0 --port-file "$work/port" --job-init-ms 20 --job-run-ms 80 --quiet >/dev/null &
emu_pid=$!
i=0
while [ ! -s "$work/port" ]; do
  i=$((i + 1))
  [ $i -le 150 ] || { echo "consumer: the emulator did not start" >&2; exit 1; }
  sleep 0.1
done
base="http://127.0.0.1:$(cat "$work/port")"
# A free fixture server and its VPC (read from the emulator's admin listing).
set -- $(python3 - "$base" <<'PY'
import json, sys, urllib.request
servers = json.load(urllib.request.urlopen(sys.argv[1] + "/_emulator/servers"))["servers"]
s = next(s for s in servers if s["name"] == "app-1" and s["role"] == "production")
print(s["id"], s["vpc_id"])
PY
)
out="$work/out.txt"
env -u OS_TOKEN -u OS_CLOUD -u LD_LIBRARY_PATH \
  SDRS_ENDPOINT="$base" SDRS_ALLOW_HTTP=1 \
  OS_PROJECT_ID=0123456789abcdef0123456789abcdef OS_AUTH_TOKEN=emulator-token \
  SDRS_SERVER_ID="$1" SDRS_VPC_ID="$2" \
  "$work/dr-demo" >"$out" 2>&1 || { cat "$out" >&2; echo "consumer: dr-demo failed" >&2; exit 1; }
cat "$out"
for want in "is available" "protects $1; its DR server is " "pair web-1" "is protected with 1 instance(s) and 2 pair(s)" \
  "done: group deleted"; do
  grep -qF "$want" "$out" || { echo "consumer: output lacks \"$want\"" >&2; exit 1; }
done
# A missing setting is named.
if env -u SDRS_VPC_ID "$work/dr-demo" >"$out" 2>&1; then
  echo "consumer: ran without SDRS_VPC_ID" >&2
  exit 1
fi
grep -qF "SDRS_VPC_ID is not set" "$out" || { cat "$out" >&2; exit 1; }
echo "== consumer: passed"
