"""python -m compushady: devices, compile, bench (see compushady.cli)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
