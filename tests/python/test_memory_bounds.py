"""No memory grows without bound (issue 12, item 7): a loop of distinct
shaders, each Compute made, dispatched and dropped, keeps the process's
memory flat once the caches are full, and every cache honours the limits
set with compushady.config.set_cache_limits / COMPUSHADY_*_CACHE_*.

Distinct shaders are made cheaply: one compiled module with a constant
patched to a new value for each (no compile per shader). The default suite
runs a few hundred with small cache limits; COMPUSHADY_LONG_TESTS=1 runs
10,000 with the default limits.

Figures (lavapipe, validation layer on): before the fix every distinct
shader left ~4 KiB of malloc'd memory behind in the validation layer (a
command pool per Compute); now ~0.6 KiB, all of it LLVM's type tables
inside lavapipe. With the driver's pipelines cached (~370 KiB each on
lavapipe) the caches' own bound is what keeps RSS flat.
"""

import ctypes
import os
import struct
import subprocess
import sys

import pytest

import compushady as C
import compushady.config as config
from compushady.shaders import hlsl

from helpers import read_buffer

MAGIC = 0x5EED1234
SOURCE = ("RWStructuredBuffer<uint> d : register(u0);\n"
          "[numthreads(1, 1, 1)] void main() {{ d[0] = {0}u; }}")
_words = None


def variant(value):
    """SPIR-V of SOURCE with MAGIC replaced by value (a distinct module)."""
    global _words
    if _words is None:
        spirv = hlsl.compile(SOURCE.format(MAGIC))
        _words = list(struct.unpack("<%dI" % (len(spirv) // 4), spirv))
        assert _words.count(MAGIC) == 1
    words = list(_words)
    words[words.index(MAGIC)] = value
    return struct.pack("<%dI" % len(words), *words)


def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
        "fsmblks", "uordblks", "fordblks", "keepcost")]


def heap_in_use():
    """Bytes malloc has handed out and not taken back (glibc), or None."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
    except (OSError, AttributeError):
        return None
    info = libc.mallinfo2()
    return info.uordblks + info.hblkhd


def run_distinct(start, count, out):
    for value in range(start, start + count):
        compute = C.Compute(variant(value), uav=[out])
        compute.dispatch(1, 1, 1)
        del compute
    assert struct.unpack("<I", read_buffer(out, 4))[0] == start + count - 1


@pytest.fixture
def small_caches():
    saved = {kind: config.get_cache_limits(kind) for kind in config.CACHES}
    config.set_cache_limits("pipeline", 16, 64 << 20)
    config.set_cache_limits("module", 32, 64 << 20)
    config.set_cache_limits("driver", 8, 64 << 20)
    yield
    for kind, (entries, size) in saved.items():
        config.set_cache_limits(kind, entries, size)


def test_distinct_shaders_keep_memory_flat(small_caches):
    out = C.Buffer(4, stride=4)
    run_distinct(1, 150, out)  # warm-up: every cache full
    rss_before, heap_before = rss(), heap_in_use()
    shaders = 450
    run_distinct(1000, shaders, out)
    rss_growth = rss() - rss_before
    # one leaked pipeline (~370 KiB on lavapipe) a shader would be 160 MiB
    assert rss_growth < 8 * 1024 * 1024, "RSS grew by {0} bytes over {1} shaders".format(
        rss_growth, shaders)
    if heap_before is not None:
        heap_growth = heap_in_use() - heap_before
        # the validation layer's ~4 KiB a shader of a command pool per
        # Compute would be 1.8 MiB
        assert heap_growth < 2 * 1024 * shaders, "malloc'd memory grew by {0} bytes over {1} " \
            "shaders".format(heap_growth, shaders)


@pytest.mark.skipif(not os.environ.get("COMPUSHADY_LONG_TESTS"),
                    reason="long run: set COMPUSHADY_LONG_TESTS=1")
def test_ten_thousand_distinct_shaders_keep_memory_flat():
    # measured on lavapipe with the validation layer: the heap grows by
    # ~0.9 KiB a shader (lavapipe's LLVM types), RSS stays within a few
    # MiB once malloc's arenas settled (~1500 shaders)
    out = C.Buffer(4, stride=4)
    run_distinct(1, 1500, out)  # warm-up with the default limits
    rss_before, heap_before = rss(), heap_in_use()
    shaders = 10000
    for start in range(100000, 100000 + shaders, 1000):
        run_distinct(start, 1000, out)
    rss_growth = rss() - rss_before
    assert rss_growth < 48 * 1024 * 1024, "RSS grew by {0} bytes over {1} shaders".format(
        rss_growth, shaders)
    if heap_before is not None:
        heap_growth = heap_in_use() - heap_before
        assert heap_growth < 2048 * shaders, "malloc'd memory grew by {0} bytes over {1} " \
            "shaders".format(heap_growth, shaders)


def test_cache_limits_are_settable_and_checked():
    for kind in config.CACHES:
        entries, size = config.get_cache_limits(kind)
        assert entries >= 1 and size >= 1
    saved = config.get_cache_limits("compile")
    try:
        config.set_cache_limits("compile", max_entries=3)
        assert config.get_cache_limits("compile") == (3, saved[1])
        config.set_cache_limits("compile", max_bytes=12345)
        assert config.get_cache_limits("compile") == (3, 12345)
    finally:
        config.set_cache_limits("compile", *saved)
    with pytest.raises(ValueError, match=r"unknown cache 'shaders': expected 'compile', 'module', "
                                         r"'pipeline' or 'driver'"):
        config.get_cache_limits("shaders")
    with pytest.raises(ValueError, match="max_entries must be >= 1, got 0"):
        config.set_cache_limits("pipeline", max_entries=0)
    with pytest.raises(ValueError, match="max_bytes must be >= 1, got -5"):
        config.set_cache_limits("pipeline", max_bytes=-5)
    with pytest.raises(TypeError, match="max_entries must be an int, got str"):
        config.set_cache_limits("pipeline", max_entries="8")


@pytest.mark.parametrize("variable,value,expected", [
    ("COMPUSHADY_PIPELINE_CACHE_ENTRIES", "17", "('pipeline', (17, 67108864))"),
    ("COMPUSHADY_DRIVER_CACHE_BYTES", "3M", "('driver', (1024, 3145728))"),
    ("COMPUSHADY_MODULE_CACHE_BYTES", "2k", "('module', (512, 2048))"),
    ("COMPUSHADY_COMPILE_CACHE_ENTRIES", "abc", "ValueError: environment variable "
     "COMPUSHADY_COMPILE_CACHE_ENTRIES='abc' is not a valid number of entries"),
    ("COMPUSHADY_PIPELINE_CACHE_BYTES", "0", "ValueError: environment variable "
     "COMPUSHADY_PIPELINE_CACHE_BYTES='0' is not a valid byte size"),
    ("COMPUSHADY_DRIVER_CACHE_ENTRIES", "-4", "ValueError: environment variable "
     "COMPUSHADY_DRIVER_CACHE_ENTRIES='-4'"),
])
def test_cache_limits_from_the_environment(variable, value, expected):
    kind = variable.split("_")[1].lower()
    code = ("import compushady, compushady.config as c\n"
            "try:\n"
            "    compushady.get_current_device()\n"
            "    print((%r, c.get_cache_limits(%r)))\n"
            "except ValueError as e:\n"
            "    print('ValueError:', e)\n") % (kind, kind)
    env = dict(os.environ, **{variable: value})
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout, result.stdout
