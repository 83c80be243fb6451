#!/usr/bin/env bash
# Sets up everything, then runs the whole test suite: the C library's tests
# (plain and under AddressSanitizer/UBSan), the Python suite with the Vulkan
# validation layer on (plain, then over an extension module built with the
# sanitizers), and the original compushady 0.17 test files that apply to
# this backend.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "== format"
make -s format-check
echo "== C library and tests (-Wall -Wextra -Werror)"
make -s -j2 all
make -s -j2 test-c
echo "== make install into a staging dir, pkg-config, soname"; tests/packaging/test_install.sh
echo "== C tests under AddressSanitizer and UBSan"
make -s -j2 test-asan
echo "== fuzz targets over their seed corpus, plus a short random run"
make -s -j2 fuzz-smoke
echo "== Python suite (validation layer on)"
.venv/bin/python -m pytest -q tests/python "$@"
echo "== Python suite's backend-neutral files on the OpenGL backend (llvmpipe)"
scripts/test-opengl.sh
echo "== Python suite again, over an extension built with ASan and UBSan"
make -s test-python-asan
echo "== binary wheel: pip wheel + auditwheel, a clean venv runs the quickstart"
scripts/test-wheel.sh

echo "== the original compushady 0.17.5 test files, unchanged"
tests/compat/run_original_suite.sh
echo "== Windows: MinGW-w64 build, the C tests under Wine on lavapipe"
scripts/test-windows.sh
