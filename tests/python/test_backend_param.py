"""The suite runs on the backend COMPUSHADY_BACKEND names: conftest.py
reports it, a test that fails because that backend lacks a capability
("<capability>: not supported by the <name> backend") is a skip naming the
capability, and helpers.needs(feature) skips where the current device
lacks a feature. Checked on a copy of conftest.py and helpers.py in a
scratch directory, by running pytest there."""

import os
import shutil
import subprocess
import sys

import compushady

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = '''
import compushady
from helpers import needs


def test_lacks_a_capability():
    raise compushady.ComputeException(
        "bindless descriptors: not supported by the {0} backend (use a "
        "backend that has it)".format(compushady.get_backend().name))


def test_lacks_it_said_with_capitals():
    raise compushady.HeapException(
        "placing resources in heaps (heap aliasing) is not supported by the "
        "{0} backend; use another".format(compushady.get_backend().name.upper()))


def test_another_backend_lacks_it():
    raise compushady.ComputeException(
        "samplers: not supported by the nonexistent backend")


@needs("supports_time_travel")
def test_needs_a_feature_no_device_has():
    pass


@needs("is_hardware")
def test_needs_a_feature_of_this_device():
    assert compushady.get_current_device().is_hardware


def test_a_real_failure():
    assert 1 == 2
'''


def test_capabilities_a_backend_lacks_are_named_skips(tmp_path):
    for name in ("conftest.py", "helpers.py"):
        shutil.copy(os.path.join(HERE, name), str(tmp_path / name))
    (tmp_path / "test_cases.py").write_text(CASES)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-rsf", "-p", "no:cacheprovider",
         "test_cases.py"],
        cwd=str(tmp_path), capture_output=True, text=True, timeout=300)
    out = result.stdout
    backend = compushady.get_backend().name
    assert "compushady backend: {0}".format(backend) in out
    assert "the {0} backend lacks bindless descriptors".format(backend) in out
    assert "lacks supports_time_travel" in out
    assert "the {0} backend lacks placing resources in heaps (heap aliasing)".format(
        backend.upper()) in out
    assert "FAILED test_cases.py::test_another_backend_lacks_it" in out
    assert "FAILED test_cases.py::test_a_real_failure" in out
    hardware = compushady.get_current_device().is_hardware
    assert ("lacks is_hardware" in out) == (not hardware)
    assert "2 failed" in out and "{0} skipped".format(4 - hardware) in out, out
