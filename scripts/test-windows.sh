#!/usr/bin/env bash
# Cross-builds the library and the C tests for Windows (make windows, with
# MinGW-w64) and runs the tests under Wine on lavapipe: Wine's vulkan-1.dll
# hands Vulkan to the host's loader and driver, and needs an X server, so
# an Xvfb is started on a free display and stopped at the end. Wine gets a
# fresh prefix of its own (wineboot takes a few seconds). No shader
# compiler DLL is there: the tests use precompiled SPIR-V, and those that
# need a compiler say so as they skip.
#
#   scripts/test-windows.sh            build and run every Windows C test
#   CS_TEST_ONLY=name scripts/test-windows.sh   one test of each program
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-windows.sh
make -j2 windows >/dev/null

scratch=$(mktemp -d)
xvfb_pid=""
cleanup() {
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
    WINEPREFIX="$scratch/prefix" wineserver -k 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

# a display nobody uses: no lock file and no socket
display=99
while [ -e "/tmp/.X$display-lock" ] || [ -e "/tmp/.X11-unix/X$display" ]; do
    display=$((display + 1))
done
Xvfb ":$display" -screen 0 640x480x24 -nolisten tcp >"$scratch/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do
    [ -e "/tmp/.X11-unix/X$display" ] && break
    sleep 0.1
done

export DISPLAY=":$display" WINEPREFIX="$scratch/prefix" WINEDEBUG=-all \
    WINEDLLOVERRIDES="mscoree,mshtml=" COMPUSHADY_CACHE_DIR= \
    CS_TEST_NO_DEBUG=1
wineboot -i >"$scratch/wineboot.log" 2>&1 || {
    cat "$scratch/wineboot.log"
    exit 1
}

status=0
for test in build/windows/tests/*.exe; do
    echo "== $test (Wine)"
    wine "$test" || status=1
done
exit $status
