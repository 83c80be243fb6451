#!/usr/bin/env bash
# Runs the original compushady's test/test_wgsl.py (3 tests) against this
# package, unchanged. The 0.17.5 source distribution that
# run_original_suite.sh uses has no WGSL tests, so the file comes from a
# git checkout or mirror of the original: ORIGINAL_REPO (default: the bare
# mirror /work/.mirror/rdeioris+compushady/repo), its HEAD.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-$PWD/.venv/bin/python}
repo=${ORIGINAL_REPO:-/work/.mirror/rdeioris+compushady/repo}
work=build/compat-wgsl
mkdir -p "$work"
git -C "$repo" show HEAD:test/test_wgsl.py > "$work/test_wgsl.py"
# run from the copy's folder so `compushady` is the installed package
cd "$work"
exec "$PYTHON" -m pytest -q -p no:cacheprovider test_wgsl.py "$@"
