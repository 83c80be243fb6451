"""COMPUSHADY_PIPELINE_CACHE: whose cache keeps compiled pipelines across
runs. auto (the default) uses compushady's pipeline cache file except on
NVIDIA's driver, which keeps its own and skips it for pipelines made with
an application's cache; own and driver force one or the other; anything
else is refused naming the variable. Each case in a fresh process."""
import os
import subprocess
import sys

import pytest

WORK = """
import glob, os, struct, compushady
from compushady import Buffer, Compute, HEAP_DEFAULT, HEAP_READBACK
from compushady.shaders import hlsl
counter = Buffer(4, HEAP_DEFAULT, stride=4)
compute = Compute(hlsl.compile(
    "RWStructuredBuffer<uint> c : register(u0);"
    "[numthreads(1, 1, 1)] void main() { c[0] = 41 + 1; }"), uav=[counter])
compute.dispatch(1, 1, 1)
readback = Buffer(4, HEAP_READBACK)
counter.copy_to(readback)
assert struct.unpack("<I", readback.readback(4)) == (42,)
del compute
import gc; gc.collect()
print(compushady.get_current_device().name)
"""


def run(mode, cache_dir):
    env = dict(os.environ, COMPUSHADY_CACHE_DIR=str(cache_dir))
    env.pop("COMPUSHADY_PIPELINE_CACHE", None)
    if mode is not None:
        env["COMPUSHADY_PIPELINE_CACHE"] = mode
    return subprocess.run([sys.executable, "-c", WORK], env=env, capture_output=True,
                          text=True, timeout=120)


def pipeline_files(cache_dir):
    return [name for name in os.listdir(cache_dir) if name.startswith("pipelines-")]


@pytest.mark.parametrize("mode, own_file", [("own", True), ("driver", False)])
def test_forced_modes(tmp_path, mode, own_file):
    result = run(mode, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    # the file is written at the first pipeline and when the device goes
    assert bool(pipeline_files(tmp_path)) == own_file


def test_auto_keeps_the_driver_cache_on_nvidia_only(tmp_path):
    result = run(None, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    device = result.stdout.strip().splitlines()[-1]
    nvidia = "NVIDIA" in device.upper()
    assert bool(pipeline_files(tmp_path)) == (not nvidia)


@pytest.mark.parametrize("value", ["OWN", "disk", "1", " own"])
def test_bad_value_names_the_variable(tmp_path, value):
    result = run(value, tmp_path)
    assert result.returncode != 0
    assert ("COMPUSHADY_PIPELINE_CACHE='{0}' is not valid: expected auto, own or "
            "driver".format(value)) in result.stderr
