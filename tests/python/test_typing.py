"""Typing: the installed package is typed (py.typed, stubs for the package
and for _native), `mypy --strict` passes on examples/*.py, the stubs match
the runtime (mypy's stubtest) and catch misuse."""

import importlib.util
import os
import subprocess
import sys

import pytest

import compushady

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
ALLOWLIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stubtest_allowlist.txt")

needs_mypy = pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None,
    reason="mypy is not installed (scripts/setup.sh installs it: pip install mypy)",
)


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory):
    return str(tmp_path_factory.mktemp("mypy-cache"))


def run_mypy(cache, *args):
    # run from a folder without the sources: compushady is the installed one
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", cache, *args],
        cwd=str(cache), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True,
    )


def test_the_package_ships_its_types():
    package = os.path.dirname(compushady.__file__)
    for name in ("py.typed", "__init__.pyi", "_native.pyi"):
        assert os.path.isfile(os.path.join(package, name)), name


@needs_mypy
def test_mypy_strict_passes_on_the_examples(mypy_cache):
    examples = sorted(os.path.join(EXAMPLES, name) for name in os.listdir(EXAMPLES)
                      if name.endswith(".py"))
    assert len(examples) >= 7
    result = run_mypy(mypy_cache, "--strict", *examples)
    assert result.returncode == 0, result.stdout
    assert "Success: no issues found in {0} source files".format(len(examples)) in result.stdout


@needs_mypy
def test_the_stubs_match_the_runtime(mypy_cache):
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "compushady", "--allowlist", ALLOWLIST],
        cwd=mypy_cache, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True,
    )
    assert result.returncode == 0, result.stdout[-8000:]


MISUSE = '''
import numpy
import compushady
from compushady import Buffer, HEAP_UPLOAD

buffer = Buffer("16")
view: bytes = memoryview(Buffer(16, HEAP_UPLOAD))
count: str = Buffer.from_numpy(numpy.zeros(4)).to_numpy().size
compushady.compute_with_arrays(b"", uav=[(4, numpy.float32)], groups="x")
ok_view = memoryview(Buffer(16, HEAP_UPLOAD))
ok_array = numpy.asarray(Buffer(16, HEAP_UPLOAD)).view(numpy.float32)
ok_results: list[numpy.ndarray] = compushady.compute_with_arrays(b"", srv=[ok_array], uav=[ok_array])
'''


@needs_mypy
def test_mypy_catches_misuse(mypy_cache):
    path = os.path.join(mypy_cache, "misuse.py")
    with open(path, "w") as f:
        f.write(MISUSE)
    result = run_mypy(mypy_cache, "--strict", path)
    errors = [line.split(":")[1] for line in result.stdout.splitlines() if ": error:" in line]
    # lines 6 to 9 are wrong; 10 to 12 are right
    assert errors == ["6", "7", "8", "9"], result.stdout
