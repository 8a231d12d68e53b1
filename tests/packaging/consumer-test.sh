#!/usr/bin/env bash
# Consumer tests: build a tiny C program (consumer/consumer.c) against an *installed* libsdrs
# and run it against the sdrs-emulator (127.0.0.1, --port 0).
#   consumer-test.sh install   <build-dir> <prefix>
#   consumer-test.sh pkgconfig <prefix> <libdir> <emulator> <workdir>
#   consumer-test.sh cmake     <prefix> <emulator> <workdir>
#   consumer-test.sh static    <source-dir> <emulator> <workdir>
#   consumer-test.sh layout    <build-dir> <workdir>
# Environment: CC, CMAKE (defaults cc, cmake); SDRS_SANITIZE as in the CMake option (the
# consumer must carry the sanitizer runtime the library was built with).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-cc}
CMAKE=${CMAKE:-cmake}
san=()
[ -n "${SDRS_SANITIZE:-}" ] && san=("-fsanitize=$SDRS_SANITIZE")

die() {
  echo "FAIL: $*" >&2
  exit 1
}

EMU_PID=
stop_emulator() {
  if [ -n "$EMU_PID" ]; then
    kill -TERM "$EMU_PID" 2>/dev/null
    wait "$EMU_PID" 2>/dev/null
    EMU_PID=
  fi
}
trap stop_emulator EXIT

# Starts the emulator on a free loopback port; sets EMU_URL.
start_emulator() {
  local bin=$1 dir=$2
  [ -x "$bin" ] || die "emulator not executable: $bin"
  rm -f "$dir/port"
  "$bin" --port 0 --port-file "$dir/port" </dev/null >"$dir/emulator.log" 2>&1 &
  EMU_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$dir/port" ] && break
    kill -0 "$EMU_PID" 2>/dev/null || die "emulator exited: $(tail -5 "$dir/emulator.log")"
    sleep 0.1
  done
  [ -s "$dir/port" ] || die "emulator wrote no port file within 10 s"
  EMU_URL="http://127.0.0.1:$(cat "$dir/port")"
}

# Runs <consumer> against a fresh emulator and checks its output.
run_consumer() {
  local exe=$1 emulator=$2 dir=$3
  start_emulator "$emulator" "$dir"
  "$exe" "$EMU_URL" >"$dir/consumer.out" 2>&1
  local rc=$?
  cat "$dir/consumer.out"
  stop_emulator
  [ $rc -eq 0 ] || die "$exe exited with $rc"
  grep -q '^consumer: libsdrs .*, [1-9][0-9]* domains$' "$dir/consumer.out" || die "unexpected output"
}

# The libsdrs a dynamically linked program loads must be the one under <prefix>.
check_loads_from() {
  local exe=$1 prefix=$2 line
  line=$(ldd "$exe" | grep 'libsdrs\.so') || die "$exe does not load libsdrs.so"
  echo "$line"
  case "$line" in
  *"=> $prefix/"*libsdrs.so.1\ *) ;;
  *) die "$exe loads libsdrs from elsewhere than $prefix: $line" ;;
  esac
}

fresh() {
  rm -rf "$1" && mkdir -p "$1" || die "cannot create $1"
}

mode=${1:-}
shift
case "$mode" in
install)
  build=${1:?build dir} prefix=${2:?prefix}
  rm -rf "$prefix"
  "$CMAKE" --install "$build" --prefix "$prefix" >/dev/null || die "cmake --install failed"
  echo "installed $build into $prefix: $(find "$prefix" -type f | wc -l) files"
  ;;
pkgconfig)
  prefix=${1:?prefix} libdir=${2:?libdir} emulator=${3:?emulator} dir=${4:?workdir}
  fresh "$dir"
  export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
  pkg-config --exists --print-errors sdrs || die "pkg-config does not find sdrs in $PKG_CONFIG_PATH"
  cflags=$(pkg-config --cflags sdrs) libs=$(pkg-config --libs sdrs) pcdir=$(pkg-config --variable=libdir sdrs)
  echo "pkg-config sdrs $(pkg-config --modversion sdrs): cflags '$cflags' libs '$libs'"
  [ "$pcdir" = "$prefix/$libdir" ] || die "sdrs.pc libdir is $pcdir, not $prefix/$libdir"
  # shellcheck disable=SC2086
  "$CC" -std=c99 -Wall -Wextra -pedantic -Werror "${san[@]}" $cflags "$here/consumer/consumer.c" \
    -o "$dir/consumer" $libs "-Wl,-rpath,$pcdir" || die "compiling the pkg-config consumer failed"
  check_loads_from "$dir/consumer" "$prefix"
  run_consumer "$dir/consumer" "$emulator" "$dir"
  ;;
cmake)
  prefix=${1:?prefix} emulator=${2:?emulator} dir=${3:?workdir}
  fresh "$dir"
  "$CMAKE" -S "$here/consumer" -B "$dir/build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="${san[*]}" >"$dir/configure.log" 2>&1 ||
    { cat "$dir/configure.log"; die "configuring the find_package consumer failed"; }
  grep -q "sdrs" "$dir/build/CMakeCache.txt" || die "no sdrs in the consumer's cache"
  echo "find_package(sdrs): $(sed -n 's/^sdrs_DIR:PATH=//p' "$dir/build/CMakeCache.txt")"
  "$CMAKE" --build "$dir/build" >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; die "building failed"; }
  check_loads_from "$dir/build/consumer" "$prefix"
  run_consumer "$dir/build/consumer" "$emulator" "$dir"
  ;;
static)
  src=${1:?source dir} emulator=${2:?emulator} dir=${3:?workdir}
  fresh "$dir"
  # A static-only libsdrs (so -lsdrs can only mean libsdrs.a), installed into its own prefix.
  "$CMAKE" -S "$src" -B "$dir/lib-build" -DBUILD_SHARED_LIBS=OFF -DSDRS_BUILD_TOOLS=OFF \
    -DSDRS_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release -DSDRS_SANITIZE="${SDRS_SANITIZE:-}" \
    -DCMAKE_INSTALL_PREFIX="$dir/prefix" -DCMAKE_INSTALL_LIBDIR=lib >"$dir/lib-configure.log" 2>&1 ||
    { cat "$dir/lib-configure.log"; die "configuring the static libsdrs failed"; }
  "$CMAKE" --build "$dir/lib-build" -j 2 >"$dir/lib-build.log" 2>&1 ||
    { tail -30 "$dir/lib-build.log"; die "building the static libsdrs failed"; }
  "$CMAKE" --install "$dir/lib-build" >/dev/null || die "installing the static libsdrs failed"
  [ -f "$dir/prefix/lib/libsdrs.a" ] || die "no libsdrs.a installed"
  [ -z "$(find "$dir/prefix" -name 'libsdrs.so*')" ] || die "a shared libsdrs in the static prefix"

  # pkg-config --static: only Libs.private/Requires.private can make this link.
  export PKG_CONFIG_PATH="$dir/prefix/lib/pkgconfig"
  cflags=$(pkg-config --cflags sdrs) libs=$(pkg-config --static --libs sdrs) ||
    die "pkg-config --static sdrs failed"
  echo "pkg-config --static --libs sdrs: $libs"
  # shellcheck disable=SC2086
  "$CC" -std=c99 -Wall -Wextra -pedantic -Werror "${san[@]}" $cflags "$here/consumer/consumer.c" \
    -o "$dir/consumer-pc" $libs || die "linking the static pkg-config consumer failed"
  if readelf -d "$dir/consumer-pc" | grep -q 'NEEDED.*libsdrs'; then
    die "the static consumer needs a shared libsdrs"
  fi
  run_consumer "$dir/consumer-pc" "$emulator" "$dir"

  # find_package(sdrs) with a static libsdrs: the package must bring libcurl and threads.
  "$CMAKE" -S "$here/consumer" -B "$dir/cmake-build" -DCMAKE_PREFIX_PATH="$dir/prefix" \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="${san[*]}" >"$dir/cmake-configure.log" 2>&1 ||
    { cat "$dir/cmake-configure.log"; die "configuring the static find_package consumer failed"; }
  "$CMAKE" --build "$dir/cmake-build" >"$dir/cmake-build.log" 2>&1 ||
    { cat "$dir/cmake-build.log"; die "building the static find_package consumer failed"; }
  if readelf -d "$dir/cmake-build/consumer" | grep -q 'NEEDED.*libsdrs'; then
    die "the static find_package consumer needs a shared libsdrs"
  fi
  run_consumer "$dir/cmake-build/consumer" "$emulator" "$dir"
  ;;
layout)
  build=${1:?build dir} dir=${2:?workdir}
  fresh "$dir"
  DESTDIR="$dir/root" "$CMAKE" --install "$build" --prefix /usr >"$dir/install.log" 2>&1 ||
    { cat "$dir/install.log"; die "DESTDIR install failed"; }
  libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$build/CMakeCache.txt")
  docdir=$(sed -n 's/^CMAKE_INSTALL_DOCDIR:PATH=//p' "$build/CMakeCache.txt")
  status=0
  (cd "$dir/root" && find . -type f -o -type l) | sed 's|^\./|/|' | sort >"$dir/files"
  while read -r f; do
    case "$f" in
    /usr/include/sdrs.h | /usr/include/sdrs/*.h) ;;
    /usr/bin/sdrs | /usr/bin/sdrs-emulator) ;;
    "/usr/$libdir"/libsdrs.so* | "/usr/$libdir"/libsdrs.a) ;;
    "/usr/$libdir/pkgconfig/sdrs.pc" | "/usr/$libdir"/cmake/sdrs/*.cmake) ;;
    # man pages and the bash completion of the tools; the API reference (SDRS_BUILD_DOCS=ON)
    /usr/share/man/man1/sdrs.1 | /usr/share/man/man1/sdrs-emulator.1) ;;
    /usr/share/bash-completion/completions/sdrs) ;;
    "/usr/${docdir:-share/doc/sdrs}"/html/*) ;;
    *) echo "installed outside the expected GNUInstallDirs locations: $f" >&2; status=1 ;;
    esac
  done <"$dir/files"
  for f in /usr/include/sdrs.h /usr/include/sdrs/version.h "/usr/$libdir/pkgconfig/sdrs.pc" \
    "/usr/$libdir/cmake/sdrs/sdrsConfig.cmake" "/usr/$libdir/cmake/sdrs/sdrsConfigVersion.cmake" \
    "/usr/$libdir/cmake/sdrs/sdrsTargets.cmake"; do
    grep -qx "$f" "$dir/files" || { echo "not installed: $f" >&2; status=1; }
  done
  grep -q '^prefix=/usr$' "$dir/root/usr/$libdir/pkgconfig/sdrs.pc" ||
    { echo "sdrs.pc: prefix is not /usr" >&2; status=1; }
  if grep -rq "$dir" "$dir/root/usr/$libdir/pkgconfig" "$dir/root/usr/$libdir/cmake"; then
    echo "the DESTDIR path leaked into the installed .pc or CMake files" >&2
    status=1
  fi
  [ $status -eq 0 ] || exit 1
  echo "OK: $(wc -l <"$dir/files") files under /usr, all in GNUInstallDirs locations"
  cat "$dir/files"
  ;;
*)
  echo "usage: see the header of $0" >&2
  exit 2
  ;;
esac
