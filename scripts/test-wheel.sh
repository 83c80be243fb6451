#!/usr/bin/env bash
# Builds the binary wheel as a release would, from a clean copy of the tree
# (pip wheel, then auditwheel repair into a manylinux wheel), installs it
# into a fresh venv and runs the quickstart there, from outside the source
# tree. Then checks that the running program uses nothing of the build's
# packages: every shared library it maps belongs to a run-time package (no
# -dev package, no compiler), so a machine with only a Vulkan driver
# (libvulkan1 + mesa-vulkan-drivers or a GPU's driver) runs it.
#
#   scripts/test-wheel.sh            the wheel lands in build/wheelhouse/
#   KEEP=1 scripts/test-wheel.sh     keep the temporary directory
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=$ROOT/.venv/bin/python
[ -x "$PYTHON" ] || { echo "test-wheel: run scripts/setup.sh first" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/compushady-wheel.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT

echo "== a clean copy of the tree (the files git knows, no build/ or .venv)"
mkdir -p "$WORK/src"
git ls-files -z --cached --others --exclude-standard |
    tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$WORK/src"

echo "== pip wheel"
(cd "$WORK/src" &&
    "$PYTHON" -m pip wheel -q --no-deps --no-build-isolation -w "$WORK/dist" .)

echo "== auditwheel repair"
PATH="$ROOT/.venv/bin:$PATH" auditwheel repair -w "$WORK/wheelhouse" \
    "$WORK"/dist/*.whl 2>&1 | grep -E "Fixed-up|WHEEL info tags" || true
WHEEL=$(ls "$WORK"/wheelhouse/compushady-*manylinux*.whl)
mkdir -p build/wheelhouse
cp "$WHEEL" build/wheelhouse/
echo "wheel: build/wheelhouse/$(basename "$WHEEL")"

echo "== a fresh venv installs it (no index, no compiler involved)"
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install -q --no-index "$WHEEL"

NATIVE=$(ls "$WORK"/venv/lib/python*/site-packages/compushady/_native*.so)
if readelf -d "$NATIVE" | grep NEEDED | grep -q -e libvulkan -e libshaderc \
    -e libglslang -e libSPIRV -e libspirv-cross; then
    echo "test-wheel: the extension links a library it must not need:" >&2
    readelf -d "$NATIVE" | grep NEEDED >&2
    exit 1
fi

echo "== the quickstart, from outside the source tree, with a bare environment"
mkdir -p "$WORK/run"
cp examples/quickstart.py "$WORK/run/"
cat >"$WORK/run/check.py" <<'EOF'
"""Runs the quickstart, then lists the shared libraries this process maps,
with the Debian package of each."""
import os
import runpy
import subprocess
import sys

import compushady

here = os.path.dirname(os.path.abspath(__file__))
assert compushady.__file__.startswith(sys.prefix), compushady.__file__
runpy.run_path(os.path.join(here, "quickstart.py"), run_name="__main__")
libraries = set()
with open("/proc/self/maps") as maps:
    for line in maps:
        path = line.split()[-1]
        if ".so" in os.path.basename(path) and path.startswith("/"):
            libraries.add(os.path.realpath(path))


def owner(path):
    """The Debian package of a file; with merged /usr, dpkg may know it
    under /lib instead of /usr/lib."""
    for candidate in (path, path[len("/usr"):] if path.startswith("/usr/") else None):
        if candidate:
            found = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if found.returncode == 0:
                return found.stdout.split(":")[0]
    return None


interpreter = (os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix))
owners = {path: owner(path) for path in sorted(libraries) if not path.startswith(interpreter)}
bad = ["{0} ({1})".format(path, package) for path, package in owners.items()
       if package and (package.endswith("-dev") or package.startswith(("gcc", "g++", "cpp")))]
print("run-time packages used:", " ".join(sorted({p for p in owners.values() if p})))
unowned = [path for path, package in owners.items() if not package]
if unowned:
    print("not from a package:", " ".join(unowned))
if bad:
    sys.exit("libraries of build packages were loaded:\n" + "\n".join(bad))
EOF
OUTPUT=$(cd "$WORK/run" && env -i PATH=/usr/bin:/bin HOME="$WORK/run" \
    ${VK_DRIVER_FILES:+VK_DRIVER_FILES=$VK_DRIVER_FILES} \
    ${VK_ICD_FILENAMES:+VK_ICD_FILENAMES=$VK_ICD_FILENAMES} \
    "$WORK/venv/bin/python" check.py)
echo "$OUTPUT"
grep -q "^(0, 1, 4, 9, 16, 25, 36, 49)$" <<<"$OUTPUT" ||
    { echo "test-wheel: the quickstart's result is wrong" >&2; exit 1; }
(cd "$WORK/run" && env -i PATH=/usr/bin:/bin HOME="$WORK/run" \
    "$WORK/venv/bin/python" -m compushady devices --json >/dev/null)
echo "test-wheel: OK"
