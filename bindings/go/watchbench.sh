#!/bin/sh
# Runs cmd/watchbench (10,000 goroutines waiting for 10,000 jobs of 5-60 s) against a CMake
# build tree of libsdrs, in both modes: the watcher (parked goroutines) and the former blocking
# WaitJob (one sdrs_job_wait, hence one OS thread, per goroutine). Figures: bindings/go/README.md.
#   SDRS_BUILD_DIR=/path/to/build bindings/go/watchbench.sh [watchbench flags]
# Environment: WATCHBENCH_JOBS (10000), WATCHBENCH_BLOCKING_JOBS (as many; the blocking run
# starts one OS thread per job), WATCHBENCH_MODES ("watcher blocking").
set -eu

here=$(cd "$(dirname "$0")" && pwd)
: "${SDRS_BUILD_DIR:?set SDRS_BUILD_DIR to the CMake build directory}"
build=$(cd "$SDRS_BUILD_DIR" && pwd)
export PKG_CONFIG_PATH="$build/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export LD_LIBRARY_PATH="$build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export SDRS_EMULATOR="${SDRS_EMULATOR:-$build/bin/sdrs-emulator}"
export CGO_ENABLED=1 GOPROXY=off GOTOOLCHAIN=local
export GOCACHE="${GOCACHE:-${TMPDIR:-/tmp}/sdrs-go-cache}"
export GOPATH="${GOPATH:-${TMPDIR:-/tmp}/sdrs-go-path}"
jobs="${WATCHBENCH_JOBS:-10000}"
blocking_jobs="${WATCHBENCH_BLOCKING_JOBS:-$jobs}"

cd "$here"
bin=$(mktemp -d)/watchbench
trap 'rm -rf "$(dirname "$bin")"' EXIT INT TERM
go build -o "$bin" ./cmd/watchbench
for mode in ${WATCHBENCH_MODES:-watcher blocking}; do
  n=$jobs
  extra="-polls 10000"
  if [ "$mode" = blocking ]; then
    n=$blocking_jobs
    extra=
  fi
  # shellcheck disable=SC2086 # $extra and "$@" are flag lists
  nice -n 5 "$bin" -mode "$mode" -jobs "$n" $extra "$@"
done
