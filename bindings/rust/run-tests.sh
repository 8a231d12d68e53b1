#!/usr/bin/env bash
# Builds and tests the Rust binding against a CMake build tree of libsdrs.
#   SDRS_BUILD_DIR=/path/to/build bindings/rust/run-tests.sh
# Runs clippy (if installed, -D warnings), cargo test --offline, the README examples, a small
# watcher benchmark run and the consumer project tests/consumers/rust against an emulator,
# cargo package of both crates, and a valgrind leak check of four test binaries. Exits
# non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${SDRS_BUILD_DIR:?set SDRS_BUILD_DIR to the CMake build directory}"
build="$(cd "$SDRS_BUILD_DIR" && pwd)"

export PKG_CONFIG_PATH="$build/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export LD_LIBRARY_PATH="$build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export SDRS_EMULATOR="$build/bin/sdrs-emulator"
export SDRS_LIB="$build/lib/libsdrs.so.1"
export CARGO_TARGET_DIR="$build/rust-target"
export CARGO_TERM_COLOR=never
# A loaded 2-core machine: keep cargo's own parallelism modest.
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"

for f in "$SDRS_EMULATOR" "$SDRS_LIB" "$build/pkgconfig/sdrs.pc"; do
  [[ -e "$f" ]] || { echo "run-tests.sh: missing $f (build libsdrs and the emulator first)" >&2; exit 1; }
done

command -v valgrind >/dev/null || { echo "run-tests.sh: valgrind is required (apt-get install -y valgrind)" >&2; exit 1; }

cd "$here"
step() { printf '\n=== %s\n' "$*"; }

step "scripts/gen-bindings --check (generated sdrs-sys declarations up to date)"
python3 "$here/../../scripts/gen-bindings" --check

if cargo clippy --version >/dev/null 2>&1; then
  step "cargo clippy --offline --all-targets -- -D warnings"
  cargo clippy --offline --all-targets -- -D warnings
else
  echo "cargo clippy not installed: lint step skipped"
fi

step "cargo test --offline"
cargo test --offline

# Starts an emulator on a free port; sets emu_pid and emu_endpoint.
start_emulator() {
  emu_out="$(mktemp)"
  "$SDRS_EMULATOR" --port 0 --quiet --job-init-ms 20 --job-run-ms 80 >"$emu_out" &
  emu_pid=$!
  trap 'kill -TERM "$emu_pid" 2>/dev/null || true; rm -f "$emu_out"' EXIT
  local port=""
  for _ in $(seq 1 200); do
    port="$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$emu_out")"
    [[ -n "$port" ]] && break
    sleep 0.05
  done
  [[ -n "$port" ]] || { echo "emulator did not start" >&2; exit 1; }
  emu_endpoint="http://127.0.0.1:$port"
}
stop_emulator() {
  kill -TERM "$emu_pid"
  wait "$emu_pid" || true
  trap - EXIT
  rm -f "$emu_out"
}
emulator_env=(SDRS_ALLOW_HTTP=1 SDRS_PROJECT_ID=0123456789abcdef0123456789abcdef SDRS_TOKEN=emulator-token)

step "README example (examples/lifecycle.rs) against an emulator"
cargo build --offline --example lifecycle
start_emulator
env SDRS_ENDPOINT="$emu_endpoint" "${emulator_env[@]}" timeout 120 "$CARGO_TARGET_DIR/debug/examples/lifecycle"
stop_emulator

step "README watcher example (examples/watch.rs) against an emulator"
cargo build --offline --example watch
start_emulator
env SDRS_ENDPOINT="$emu_endpoint" "${emulator_env[@]}" timeout 120 "$CARGO_TARGET_DIR/debug/examples/watch"
stop_emulator

# A small run of the watcher benchmark (it starts its own emulator and seeds jobs of 1-3 s):
# both modes must complete every wait. The figures of the full run are in the README.
step "examples/watch_bench --jobs 200 --min-s 1 --max-s 3 (smoke run, both modes)"
cargo build --offline --example watch_bench
timeout 120 "$CARGO_TARGET_DIR/debug/examples/watch_bench" --jobs 200 --min-s 1 --max-s 3 --emulator-threads 256

# The consumer project outside the binding folder, built as the README's "Use it in your
# project" says (a path dependency, PKG_CONFIG_PATH for the build tree, cargo --offline), then
# run against an emulator with LD_LIBRARY_PATH for the build tree's libsdrs.so.1.
consumer="$here/../../tests/consumers/rust"
step "consumer project tests/consumers/rust (cargo build --offline) against an emulator"
(cd "$consumer" && CARGO_TARGET_DIR="$build/rust-consumer-target" cargo build --offline)
start_emulator
env SDRS_ENDPOINT="$emu_endpoint" "${emulator_env[@]}" timeout 120 "$build/rust-consumer-target/debug/sdrs-consumer"
stop_emulator

step "cargo package --offline --workspace (both crates, verified by building the packaged sources)"
# --allow-dirty: the check runs on work in progress too; the packaged files are what matters.
# A fresh CARGO_HOME: cargo unpacks the packaged sdrs-sys for the verification build under
# CARGO_HOME/registry/src and reuses an unpacked copy of the same name and version, so a run
# after the C API grew built sdrs against the sdrs-sys of an earlier run (stale, E0425).
package_home="$build/rust-package-home"
rm -rf "$package_home"
CARGO_HOME="$package_home" cargo package --offline --workspace --allow-dirty

step "valgrind leak check (emulator, protection, rehearsal and watcher test binaries: lifecycle, failed job, progress, listing, DR scenario, service errors, validation, tags, drills, task center, quotas; watcher futures)"
test_bins="$(cargo test --offline --no-run --message-format=json 2>/dev/null | grep -o '"executable":"[^"]*"' | sed 's/^"executable":"//; s/"$//')"
test_bin() {
  local bin
  bin="$(grep "/$1-[^/]*$" <<<"$test_bins" | head -n1)"
  [[ -x "$bin" ]] || { echo "could not find the $1 test binary" >&2; exit 1; }
  echo "$bin"
}
leak_check() {
  timeout 600 valgrind --quiet --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --error-exitcode=1 \
    "$@" --test-threads=1
}
leak_check "$(test_bin emulator)" \
  lifecycle_end_to_end failed_job_reports_job_detail job_poll_and_wait_with_progress \
  listing_filters_and_paging panic_in_progress_closure builders_validate
leak_check "$(test_bin protection)" \
  disaster_recovery_end_to_end service_errors_carry_the_sdrs_code invalid_calls_send_no_request
leak_check "$(test_bin rehearsal)" \
  tags_query_drill_task_center_quota_end_to_end task_center_scopes_and_deletes invalid_inputs_send_no_request \
  builders_validate_at_once
# The watcher: every completion callback takes back the reference its add leaked (a missed
# callback is a definite leak, a second one an invalid read).
leak_check "$(test_bin watcher)" \
  success_with_many_futures_and_blocking_wait failed_job_carries_its_error_code refused_adds_and_bad_options \
  per_job_cancel_explicit_by_token_and_by_drop watcher_drop_completes_pending_futures_thread_dispatch \
  watcher_drop_completes_pending_futures_manual_dispatch shutdown_refuses_new_jobs \
  next_job_added_after_one_completes manual_dispatch_through_the_fd
echo "valgrind: no definite leaks"

echo
echo "rust binding: all checks passed"
