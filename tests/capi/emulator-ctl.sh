#!/bin/sh
# Starts or stops the sdrs-emulator shared by the C API tests (ctest fixture sdrs_emulator).
#   emulator-ctl.sh start <statedir> <emulator-binary>
#   emulator-ctl.sh stop  <statedir>
# start: launches the emulator on a free port in the background, waits (10 s at most) for the
# port file, stores the pid. stop: SIGTERM, waits (10 s at most) and checks the exit code is 0.
set -u

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start <statedir> <emulator-binary> | stop <statedir>" >&2
  exit 2
fi

log_tail() {
  if [ -f "$dir/emulator.log" ]; then
    echo "--- last lines of $dir/emulator.log:" >&2
    tail -n 20 "$dir/emulator.log" >&2
  fi
}

case "$cmd" in
start)
  bin=${3:-}
  if [ ! -x "$bin" ]; then
    echo "emulator binary not executable: $bin" >&2
    exit 1
  fi
  mkdir -p "$dir"
  # A leftover emulator from an interrupted run is stopped first (only if that pid still is an
  # sdrs-emulator: pids get reused).
  if [ -f "$dir/pid" ]; then
    old=$(cat "$dir/pid")
    if grep -q sdrs-emulator "/proc/$old/cmdline" 2>/dev/null; then
      kill -TERM "$old" 2>/dev/null
      sleep 1
    fi
  fi
  rm -f "$dir/port" "$dir/pid" "$dir/exit-code" "$dir/emulator.log"
  # The wrapper records the emulator's exit code for `stop`. All descriptors are redirected
  # so ctest does not wait for the background process' pipes.
  (
    "$bin" --port 0 --port-file "$dir/port" --job-init-ms 20 --job-run-ms 80 \
      --user alice:alice-Pa55word-x:emulator-domain \
      --aksk OTCEXAMPLEAK00000001:OtcExampleSecretKey0000000000000000000001 \
      --aksk TEMPAK0000000000000001:TempSecretKey000000000000000000000000001:TempSecurityToken0001 \
      </dev/null >>"$dir/emulator.log" 2>&1 &
    echo $! >"$dir/pid.tmp"
    mv "$dir/pid.tmp" "$dir/pid"
    wait $!
    echo $? >"$dir/exit-code.tmp"
    mv "$dir/exit-code.tmp" "$dir/exit-code"
  ) </dev/null >/dev/null 2>&1 &
  i=0
  while [ $i -lt 100 ]; do
    if [ -s "$dir/port" ] && [ -f "$dir/pid" ]; then
      echo "sdrs-emulator pid $(cat "$dir/pid") listening on 127.0.0.1:$(cat "$dir/port")"
      exit 0
    fi
    if [ -f "$dir/exit-code" ]; then
      echo "sdrs-emulator exited early with code $(cat "$dir/exit-code")" >&2
      log_tail
      exit 1
    fi
    sleep 0.1
    i=$((i + 1))
  done
  echo "sdrs-emulator did not write $dir/port within 10 s" >&2
  log_tail
  if [ -f "$dir/pid" ]; then
    kill -TERM "$(cat "$dir/pid")" 2>/dev/null
  fi
  exit 1
  ;;
stop)
  if [ ! -f "$dir/pid" ]; then
    echo "no pid file in $dir (was the emulator started?)" >&2
    exit 1
  fi
  pid=$(cat "$dir/pid")
  if ! kill -TERM "$pid" 2>/dev/null; then
    echo "sdrs-emulator (pid $pid) was not running" >&2
    log_tail
    exit 1
  fi
  i=0
  while [ $i -lt 100 ]; do
    if [ -f "$dir/exit-code" ]; then
      code=$(cat "$dir/exit-code")
      rm -f "$dir/pid"
      if [ "$code" != "0" ]; then
        echo "sdrs-emulator exited with code $code after SIGTERM" >&2
        log_tail
        exit 1
      fi
      echo "sdrs-emulator (pid $pid) stopped cleanly"
      exit 0
    fi
    sleep 0.1
    i=$((i + 1))
  done
  echo "sdrs-emulator (pid $pid) did not exit within 10 s of SIGTERM; killing it" >&2
  kill -KILL "$pid" 2>/dev/null
  log_tail
  exit 1
  ;;
*)
  echo "unknown command: $cmd" >&2
  exit 2
  ;;
esac
