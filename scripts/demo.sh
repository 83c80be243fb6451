#!/usr/bin/env bash
# Sets up everything, then runs the demo: a Mandelbrot set computed by an HLSL
# compute shader on the best device, written as a PNG outside the source
# tree: ${TMPDIR:-/tmp}/compushady-demo/mandelbrot.png, or where --output
# says (a relative path is taken from the folder the script was started
# in). The last line printed is the picture's path.
#
#   scripts/demo.sh [--output PATH] [--size 2048x2048] [--device N] ...
set -euo pipefail
CALLER=$PWD
cd "$(dirname "$0")/.."
ROOT=$PWD
scripts/setup.sh
OUTPUT=${TMPDIR:-/tmp}/compushady-demo/mandelbrot.png
mkdir -p "$(dirname "$OUTPUT")"
# a later --output in "$@" wins (argparse keeps the last)
cd "$CALLER"
"$ROOT/.venv/bin/python" "$ROOT/examples/mandelbrot.py" --output "$OUTPUT" "$@"
