# Shared by the CLI's end-to-end scripts (cli_test.sh, watch_test.sh): their arguments, a
# local sdrs-emulator (127.0.0.1 only, stopped on exit) and the run/expect/is helpers that
# count passes and failures. Source it right after `set -u`; then:
#   take_args "$@"; require_tools TOOL...; start_emulator EMULATOR-OPTION...; ...; finish
# Knobs the sourcing script may set: RUN_TIMEOUT_S (one CLI run, default 60 s) and SHOW_BYTES
# (how much of stdout/stderr a failure shows, default all of it).

TEST_NAME=$(basename "$0" .sh)
PROJECT=0123456789abcdef0123456789abcdef
DOMAIN=5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11
PASSED=0
FAILED=0
OUT=
ERR=
RC=

WORK=$(mktemp -d)
EMU_PID=
cleanup() {
  if [ -n "$EMU_PID" ]; then
    kill -TERM "$EMU_PID" 2>/dev/null
    wait "$EMU_PID" 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# take_args ARGS...: the script's own arguments, <sdrs-binary> <sdrs-emulator-binary>.
take_args() {
  if [ $# -ne 2 ]; then
    echo "usage: $0 <sdrs-binary> <sdrs-emulator-binary>" >&2
    exit 2
  fi
  SDRS=$1
  EMULATOR=$2
}

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$TEST_NAME: '$tool' is required" >&2; exit 1; }
  done
}

# start_emulator OPTION...: starts the emulator on a free port with these options added, sets
# PORT and BASE and points the CLI at it (fixed token, the emulator's project).
start_emulator() {
  "$EMULATOR" --port 0 --port-file "$WORK/port" --quiet "$@" \
    >"$WORK/emu.out" 2>"$WORK/emu.err" &
  EMU_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$WORK/port" ] && break
    sleep 0.1
  done
  if [ ! -s "$WORK/port" ]; then
    echo "$TEST_NAME: the emulator did not start" >&2
    cat "$WORK/emu.err" >&2
    exit 1
  fi
  PORT=$(cat "$WORK/port")
  BASE=http://127.0.0.1:$PORT
  export SDRS_ENDPOINT=$BASE OS_PROJECT_ID=$PROJECT OS_AUTH_TOKEN=emulator-token SDRS_ALLOW_HTTP=1
}

# shown TEXT: TEXT, cut to SHOW_BYTES when that is set.
shown() {
  if [ -n "${SHOW_BYTES:-}" ]; then head -c "$SHOW_BYTES" <<<"$1"; else printf '%s' "$1"; fi
}

pass() { PASSED=$((PASSED + 1)); }
fail() {
  FAILED=$((FAILED + 1))
  echo "FAIL: $1" >&2
  echo "  exit code: $RC" >&2
  echo "  stdout: $(shown "$OUT")" >&2
  echo "  stderr: $(shown "$ERR")" >&2
}

# run ARGS...: runs the CLI (bounded), leaves OUT, ERR, RC.
run() {
  timeout "${RUN_TIMEOUT_S:-60}" "$SDRS" "$@" >"$WORK/out" 2>"$WORK/err"
  RC=$?
  OUT=$(cat "$WORK/out")
  ERR=$(cat "$WORK/err")
}

# interrupt_after SECONDS ARGS...: runs the CLI in the background, sends it SIGINT after
# SECONDS, gives it 10 s to end (then SIGKILL); leaves OUT, ERR, RC and elapsed_ms (SIGINT to
# exit). Not under timeout(1): it would forward SIGINT a second time (to the process group).
interrupt_after() {
  local delay=$1 pid start
  shift
  "$SDRS" "$@" >"$WORK/out" 2>"$WORK/err" &
  pid=$!
  sleep "$delay"
  start=$(date +%s%N)
  kill -INT "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid"
  RC=$?
  elapsed_ms=$((($(date +%s%N) - start) / 1000000))
  OUT=$(cat "$WORK/out")
  ERR=$(cat "$WORK/err")
}

# expect NAME RC ARGS...: runs the CLI and checks its exit code.
expect() {
  local name=$1 want=$2
  shift 2
  run "$@"
  if [ "$RC" -eq "$want" ]; then pass; else fail "$name (wanted exit $want)"; fi
}

# is NAME COMMAND...: a check on the last run (COMMAND succeeds = pass).
is() {
  local name=$1
  shift
  if "$@"; then pass; else fail "$name"; fi
}
out_has() { grep -qF -- "$1" <<<"$OUT"; }
err_has() { grep -qF -- "$1" <<<"$ERR"; }
# json_true [JQ-OPTION...] FILTER: FILTER holds on the last run's stdout.
json_true() { jq -e "$@" >/dev/null 2>&1 <<<"$OUT"; }

admin() {  # admin METHOD PATH [BODY]
  curl -sf -X "$1" -H 'Content-Type: application/json' ${3:+-d "$3"} "$BASE$2" >/dev/null
}
# How many API requests the emulator has answered so far.
api_requests() { curl -sf "$BASE/_emulator/stats" | jq .api_requests; }

# finish: prints the counts; its status (the script's last) is 0 only when nothing failed.
finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}
