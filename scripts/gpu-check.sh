#!/usr/bin/env bash
# Builds and checks compushady on a machine whose Vulkan/shaderc packages are
# already in place (no package registry needed): the C tests, the Python
# suite with the validation layer, the original module's tests when their
# sources are in build/compat, and the benchmark. Used on the GPU machine;
# results go to $OUT (or build/gpu-check) as logs.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-build/gpu-check}
mkdir -p "$out"
PYTHON=${PYTHON:-python3}
step() { echo "== $1"; }

step "vulkan devices"
"$PYTHON" - <<'PY' 2>&1 | tee "$out/devices.log"
import compushady
for i, d in enumerate(compushady.get_discovered_devices()):
    print(i, d.name, "hardware" if d.is_hardware else "software",
          "discrete" if d.is_discrete else "", d.dedicated_video_memory >> 20, "MiB")
print("best:", compushady.get_best_device().name)
PY
step "C tests"
make -s -j8 all test-c 2>&1 | tail -5 | tee "$out/test-c.log"
step "Python suite"
"$PYTHON" -m pytest -q -p no:cacheprovider tests/python 2>&1 | tail -15 | tee "$out/pytest.log"
if [ -d build/compat/compushady-0.17.5/test ]; then
    step "original suite"
    PYTHON=$(command -v "$PYTHON") tests/compat/run_original_suite.sh 2>&1 |
        tail -8 | tee "$out/compat.log"
fi
if [ -d build/compat-head/test ]; then
    step "original suite 0.17.6 (73 tests)"
    PYTHON=$(command -v "$PYTHON") tests/compat/run_original_head_suite.sh 2>&1 |
        tail -15 | tee "$out/compat-head.log"
fi
step "benchmark"
"$PYTHON" bench/bench.py --json "$out/bench.json" 2>&1 | tee "$out/bench.log"
