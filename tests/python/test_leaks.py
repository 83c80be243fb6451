"""Leaks: create/use/destroy cycles of every resource kind with the process
RSS stable (after a warm-up, within a small margin) and the validation
layer's object tracking clean (conftest fails a test that leaves any
message; test_leak_check_subprocess runs a whole debug instance in a child
process and checks it reports nothing and exits cleanly).

CI runs a few thousand cycles in all; COMPUSHADY_LEAK_CYCLES=100000 for the
long run (cycles per kind).
"""

import gc
import os
import subprocess
import sys
import time

import pytest

import compushady as C
from compushady import formats as F
from compushady.shaders import hlsl

CYCLES = int(os.environ.get("COMPUSHADY_LEAK_CYCLES", "2000"))
WARMUP = max(100, CYCLES // 10)
# RSS may grow by allocator noise, not by a leak proportional to the
# cycles: 4 MiB, plus 64 bytes a cycle, is far below one lost object per
# cycle (a Vulkan buffer with its memory is several hundred bytes).
MARGIN = 4 * 1024 * 1024

SOURCE = """
RWStructuredBuffer<uint> output : register(u0);
[numthreads(1, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID) { output[tid.x] = tid.x + 1; }
"""

_shader = None


def shader():
    global _shader
    if _shader is None:
        _shader = hlsl.compile(SOURCE)
    return _shader


def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def cycle_buffer(heap):
    def cycle(i):
        buffer = C.Buffer(256, heap)
        if heap != C.HEAP_DEFAULT:
            buffer.upload(i.to_bytes(4, "little"))
            assert buffer.readback(4) == i.to_bytes(4, "little")
    return cycle


def cycle_texture2d(i):
    texture = C.Texture2D(8, 8, F.R8G8B8A8_UNORM)
    up = C.Buffer(texture.size, C.HEAP_UPLOAD)
    up.copy_to(texture)


def cycle_sampler(i):
    C.Sampler(C.SAMPLER_ADDRESS_MODE_CLAMP, filter_min=C.SAMPLER_FILTER_LINEAR)


def cycle_heap(i):
    heap = C.Heap(C.HEAP_DEFAULT, 65536)
    C.Buffer(256, heap=heap)


def cycle_compute(i):
    uav = C.Buffer(16)
    C.Compute(shader(), uav=[uav]).dispatch(4, 1, 1)


def cycle_errors(i):
    # failures must not leak either
    for call in (lambda: C.Buffer(0), lambda: C.Heap(C.HEAP_DEFAULT, 2**62),
                 lambda: C.Compute(b"garbage!"),
                 lambda: C.Compute(shader())):
        try:
            call()
        except (ValueError, MemoryError):
            pass


KINDS = {
    "buffer-default": cycle_buffer(C.HEAP_DEFAULT),
    "buffer-upload": cycle_buffer(C.HEAP_UPLOAD),
    "buffer-readback": cycle_buffer(C.HEAP_READBACK),
    "texture2d": cycle_texture2d,
    "sampler": cycle_sampler,
    "heap": cycle_heap,
    "compute": cycle_compute,
    "errors": cycle_errors,
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_leak(kind):
    if kind == "heap" and not C.get_current_device().supports_heaps:
        pytest.skip("the device cannot place resources in heaps (supports_heaps is False)")
    cycle = KINDS[kind]
    cycles = CYCLES if kind != "compute" else max(100, CYCLES // 4)
    for i in range(WARMUP):
        cycle(i)
    gc.collect()
    before = rss()
    start = time.monotonic()
    for i in range(cycles):
        cycle(i)
    gc.collect()
    after = rss()
    elapsed = time.monotonic() - start
    print("\nleak {0}: {1} cycles in {2:.1f} s, RSS {3:.1f} -> {4:.1f} MiB".format(
        kind, cycles, elapsed, before / 2**20, after / 2**20))
    assert after - before <= MARGIN + 64 * cycles, (
        "{0}: RSS grew by {1} bytes over {2} cycles".format(kind, after - before, cycles))


LEAK_SCRIPT = r"""
import compushady as C
from compushady import _native
instance = _native.create_instance(debug=True)
device = C.Device(instance.devices()[0])
for i in range(50):
    b = C.Buffer(64, C.HEAP_UPLOAD, device=device)
    h = C.Heap(C.HEAP_DEFAULT, 65536, device=device)
    t = C.Texture2D(4, 4, 28, heap=h, device=device)
    s = C.Sampler(device=device)
    del b, h, t, s
messages = device.get_debug_messages()
del device, instance  # the last references: the instance is destroyed
print(len(messages))
"""


def test_leak_check_subprocess():
    """A whole instance created, used and destroyed in a child process under
    the validation layer: no message, no output on stderr."""
    result = subprocess.run([sys.executable, "-c", LEAK_SCRIPT], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "0\n"
    assert result.stderr == ""
