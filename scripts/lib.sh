# Shared shell helpers for scripts/demo and scripts/test (sourced, not run).

# Configures and builds into $1 with the remaining arguments as extra CMake options.
sdrs_build() {
  local dir=$1
  shift
  cmake -S "$SDRS_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$dir.configure.log" 2>&1 ||
    { cat "$dir.configure.log"; return 1; }
  cmake --build "$dir" -j "$(nproc)"
}

# Starts the emulator from build dir $1 on a free port; sets EMU_PID and EMU_PORT.
sdrs_start_emulator() {
  local bin=$1/bin/sdrs-emulator
  shift
  local portfile
  portfile=$(mktemp)
  rm -f "$portfile"
  "$bin" --port 0 --port-file "$portfile" --quiet "$@" >/dev/null &
  EMU_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$portfile" ] && break
    sleep 0.1
  done
  [ -s "$portfile" ] || { echo "emulator did not start" >&2; return 1; }
  EMU_PORT=$(cat "$portfile")
  rm -f "$portfile"
}

sdrs_stop_emulator() {
  if [ -n "${EMU_PID:-}" ]; then
    kill -TERM "$EMU_PID" 2>/dev/null || true
    wait "$EMU_PID" 2>/dev/null || true
    EMU_PID=
  fi
}
