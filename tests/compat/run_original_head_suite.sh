#!/usr/bin/env bash
# Runs the test files of the original compushady at the head of its
# repository (0.17.6: test/, 73 tests) unchanged against the installed
# package. The files come from a local mirror when there is one
# (COMPUSHADY_ORIGINAL_REPO, a git repository, default
# /work/.mirror/rdeioris+compushady/repo), else from a shallow clone of
# https://github.com/rdeioris/compushady. Extra arguments go to pytest
# (e.g. -k "not wgsl"). docs/original-suite.md lists what passes.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-$PWD/.venv/bin/python}
REPO=${COMPUSHADY_ORIGINAL_REPO:-/work/.mirror/rdeioris+compushady/repo}
work=build/compat-head
if [ ! -d "$work/test" ]; then
    rm -rf "$work" && mkdir -p "$work"
    if [ -d "$REPO" ]; then
        git -C "$REPO" archive HEAD test | tar -x -C "$work"
    else
        git clone -q --depth 1 https://github.com/rdeioris/compushady \
            "$work/repository"
        cp -r "$work/repository/test" "$work/test"
    fi
fi
# run from the test folder so `compushady` is the installed package
cd "$work/test"
exec "$PYTHON" -m pytest -q -p no:cacheprovider -rfE "$@"
