#!/usr/bin/env bash
# Runs the test files of the original compushady 0.17.5 (from its PyPI
# source distribution, fetched at test time, never committed) against this
# package, unchanged. test_metal.py tests the original's Metal backend, which
# this module does not have, so it is left out; test_dxc.py's cross-compiles
# (HLSL to GLSL and MSL) run through glslang and SPIRV-Cross here. The
# 0.17.6 files (test_glsl.py too) run with run_original_head_suite.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-$PWD/.venv/bin/python}
work=build/compat
if [ ! -d "$work/compushady-0.17.5/test" ]; then
    mkdir -p "$work"
    "$PYTHON" -m pip download -q --no-deps --no-binary=:all: \
        compushady==0.17.5 -d "$work"
    tar -xzf "$work/compushady-0.17.5.tar.gz" -C "$work"
fi
files=()
for name in test_buffer test_compute test_dxc test_heap test_sampler \
    test_texture1d test_texture2d test_texture3d; do
    files+=("$work/compushady-0.17.5/test/$name.py")
done
# run from the test folder's parent so `compushady` is the installed package,
# not the original's sources beside the tests
cd "$work/compushady-0.17.5/test"
exec "$PYTHON" -m pytest -q -p no:cacheprovider "${files[@]##*/}" "$@"
