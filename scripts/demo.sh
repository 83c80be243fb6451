#!/usr/bin/env bash
# Sets up everything, then runs the demo: a Mandelbrot set computed by an HLSL
# compute shader on the best device, written to mandelbrot.png.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python examples/mandelbrot.py "$@"
