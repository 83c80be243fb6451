#!/usr/bin/env bash
# Cross-builds the library and the C tests for Windows (make windows, with
# MinGW-w64) and runs the tests under Wine on lavapipe: Wine's vulkan-1.dll
# hands Vulkan to the host's loader and driver, and needs an X server, so
# an Xvfb is started on a free display and stopped at the end. Wine gets a
# fresh prefix of its own (wineboot takes a few seconds). No shader
# compiler DLL is there: the same tests built for Linux run first with
# CS_TEST_SPIRV_RECORD, keeping the SPIR-V of each source they compile
# (tests/c/harness.h), and the Windows tests read it back; the tests of
# the compilers themselves say so as they skip.
#
#   scripts/test-windows.sh            build and run every Windows C test
#   CS_TEST_ONLY=name scripts/test-windows.sh   one test of each program
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-windows.sh
make -s -j2 windows windows-python-check

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

# the SPIR-V of the tests' sources, compiled by the Linux build
mkdir -p "$scratch/spirv"
for test in build/windows/tests/*.exe; do
    name=$(basename "$test" .exe)
    make -s -j2 "build/tests/$name"
    CS_TEST_SPIRV_RECORD="$scratch/spirv" CS_TEST_NO_DEBUG=1 \
        COMPUSHADY_CACHE_DIR= "build/tests/$name" >"$scratch/$name.log" 2>&1 ||
        echo "(the Linux $name failed: make test-c tells why)"
done
echo "== $(ls "$scratch/spirv" | wc -l) SPIR-V modules compiled on Linux"

export DISPLAY=":$display" WINEPREFIX="$scratch/prefix" WINEDEBUG=-all \
    WINEDLLOVERRIDES="mscoree,mshtml=" COMPUSHADY_CACHE_DIR=0 \
    CS_TEST_NO_DEBUG=1 CS_TEST_SPIRV_DIR="Z:$scratch/spirv"
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
