"""Threads, lifetimes and exhaustion.

N threads x M mixed operations (create, upload, dispatch, copy, readback,
drop) on one device (and on two devices where there are two), every result
checked, under a watchdog: a hang fails the test after 60 s instead of
blocking CI. Then lifetimes: resources dropped while a Compute uses them, a
Compute dropped by one thread while another dispatches it, `del` in odd
orders, interpreter exit with live objects; and allocating more than the
device has.

COMPUSHADY_STRESS_THREADS and COMPUSHADY_STRESS_OPS raise the threads (default
4) and the operations per thread (default 40) for long runs.
"""

import gc
import os
import random
import subprocess
import sys
import threading

import pytest

import compushady as C
from compushady import formats as F
from compushady.shaders import hlsl

THREADS = int(os.environ.get("COMPUSHADY_STRESS_THREADS", "4"))
OPS = int(os.environ.get("COMPUSHADY_STRESS_OPS", "40"))
WATCHDOG_S = 60

SOURCE = """
RWStructuredBuffer<uint> output : register(u0);
StructuredBuffer<uint> input : register(t0);
struct Push { uint add; };
[[vk::push_constant]] ConstantBuffer<Push> push;
[numthreads(16, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    output[tid.x] = input[tid.x] * 3 + push.add;
}
"""

_shader = None


def shader():
    global _shader
    if _shader is None:
        _shader = hlsl.compile(SOURCE)
    return _shader


def u32(values):
    return b"".join((v & 0xFFFFFFFF).to_bytes(4, "little") for v in values)


def words(data):
    return [int.from_bytes(data[i:i + 4], "little") for i in range(0, len(data), 4)]


def run_threads(target, count, timeout=WATCHDOG_S):
    """Runs target(index) in count threads; fails (not hangs) past timeout
    and re-raises the first error of a thread."""
    errors = []

    def wrapper(i):
        try:
            target(i)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=wrapper, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        if thread.is_alive():
            pytest.fail("a thread is still running after {0} s: hang".format(timeout))
    if errors:
        raise errors[0]


def mixed_operations(device, seed, ops):
    rng = random.Random(seed)
    live = []
    for _ in range(ops):
        op = rng.choice(["work", "work", "copy", "create", "drop", "texture"])
        if op == "create" or not live:
            live.append(C.Buffer(rng.choice([64, 256, 4096]), rng.choice([0, 1, 2]), device=device))
        elif op == "drop":
            live.pop(rng.randrange(len(live)))
        elif op == "texture":
            width = rng.randint(1, 16)
            texture = C.Texture2D(width, 4, F.R32_UINT, device=device)
            data = u32(rng.randrange(2**32) for _ in range(width * 4))
            up = C.Buffer(len(data), C.HEAP_UPLOAD, device=device)
            up.upload(data)
            up.copy_to(texture)
            down = C.Buffer(len(data), C.HEAP_READBACK, device=device)
            texture.copy_to(down)
            assert down.readback() == data
        elif op == "copy":
            n = rng.randint(1, 64)
            data = bytes(rng.randrange(256) for _ in range(n))
            up = C.Buffer(n, C.HEAP_UPLOAD, device=device)
            up.upload(data)
            middle = C.Buffer(n + 8, device=device)
            up.copy_to(middle, dst_offset=8)
            down = C.Buffer(n, C.HEAP_READBACK, device=device)
            middle.copy_to(down, src_offset=8)
            assert down.readback() == data
        else:
            groups = rng.randint(1, 4)
            count = groups * 16
            values = [rng.randrange(2**32) for _ in range(count)]
            add = rng.randrange(2**32)
            src = C.Buffer(count * 4, C.HEAP_UPLOAD, device=device)
            src.upload(u32(values))
            srv = C.Buffer(count * 4, device=device)
            src.copy_to(srv)
            uav = C.Buffer(count * 4, device=device)
            compute = C.Compute(shader(), srv=[srv], uav=[uav], push_size=4, device=device)
            del srv  # the compute keeps it alive
            compute.dispatch(groups, 1, 1, u32([add]))
            down = C.Buffer(count * 4, C.HEAP_READBACK, device=device)
            uav.copy_to(down)
            assert words(down.readback()) == [(v * 3 + add) & 0xFFFFFFFF for v in values]


def test_threads_mixed_operations_one_device():
    device = C.get_current_device()
    run_threads(lambda i: mixed_operations(device, 1000 + i, OPS), THREADS)


def test_threads_mixed_operations_two_devices():
    devices = C.get_discovered_devices()
    if len(devices) < 2:
        pytest.skip("one device discovered: nothing to spread over")
    run_threads(lambda i: mixed_operations(devices[i % 2], 2000 + i, OPS), THREADS)


def test_threads_share_one_compute():
    """Several threads dispatch one Compute; each dispatch writes the same
    result, which must be intact at the end."""
    values = list(range(64))
    src = C.Buffer(256, C.HEAP_UPLOAD)
    src.upload(u32(values))
    srv = C.Buffer(256)
    src.copy_to(srv)
    uav = C.Buffer(256)
    compute = C.Compute(shader(), srv=[srv], uav=[uav], push_size=4)

    def work(_):
        for _ in range(OPS):
            compute.dispatch(4, 1, 1, u32([7]))

    run_threads(work, THREADS)
    down = C.Buffer(256, C.HEAP_READBACK)
    uav.copy_to(down)
    assert words(down.readback()) == [v * 3 + 7 for v in values]


def test_drop_resources_while_compute_refers_to_them():
    src = C.Buffer(64, C.HEAP_UPLOAD)
    src.upload(u32(range(16)))
    srv = C.Buffer(64)
    src.copy_to(srv)
    uav = C.Buffer(64)
    compute = C.Compute(shader(), srv=[srv], uav=[uav], push_size=4)
    down = C.Buffer(64, C.HEAP_READBACK)
    compute.dispatch(1, 1, 1, u32([1]))
    uav.copy_to(down)
    del srv, src
    compute.uav.clear()  # the wrapper's list; the native object still holds it
    del uav
    gc.collect()
    compute.dispatch(1, 1, 1, u32([2]))  # still valid: references are held
    assert words(down.readback()) == [v * 3 + 1 for v in range(16)]


def test_drop_compute_while_another_thread_dispatches():
    src = C.Buffer(64, C.HEAP_UPLOAD)
    src.upload(u32(range(16)))
    srv = C.Buffer(64)
    src.copy_to(srv)
    uav = C.Buffer(64)
    holder = {"compute": C.Compute(shader(), srv=[srv], uav=[uav], push_size=4)}
    started = threading.Event()

    def dispatcher(_):
        compute = holder["compute"]  # the dispatching thread's reference
        started.set()
        for _ in range(OPS):
            compute.dispatch(1, 1, 1, u32([5]))

    def dropper():
        started.wait(WATCHDOG_S)
        holder.pop("compute")
        gc.collect()

    thread = threading.Thread(target=dropper, daemon=True)
    thread.start()
    run_threads(dispatcher, 1)
    thread.join(WATCHDOG_S)
    down = C.Buffer(64, C.HEAP_READBACK)
    uav.copy_to(down)
    assert words(down.readback()) == [v * 3 + 5 for v in range(16)]


@pytest.mark.parametrize("order", ["device-first", "heap-first", "compute-last", "cycle"])
def test_del_in_odd_orders(order):
    # a device without heaps (OpenGL) places nothing: the rest still runs
    heap = C.Heap(C.HEAP_DEFAULT, 65536) if C.get_current_device().supports_heaps else None
    placed = C.Buffer(256, heap=heap)
    sampler = C.Sampler()
    texture = C.Texture2D(4, 4, F.R32_UINT)
    src = C.Buffer(256)
    compute = C.Compute(shader(), srv=[src], uav=[placed], push_size=4)
    if order == "device-first":
        device = compute.device
        del device
        del heap, placed, src
        compute.dispatch(1, 1, 1)
        del compute, sampler, texture
    elif order == "heap-first":
        del heap  # the placed buffer keeps it
        compute.dispatch(1, 1, 1)
        del placed, compute, src, texture, sampler
    elif order == "compute-last":
        del sampler, texture, src, placed, heap
        compute.dispatch(1, 1, 1)
        del compute
    else:
        # a reference cycle through the wrapper: freed by the collector
        compute.self_reference = compute
        compute.srv.append(compute)
        del compute, src, placed, heap, sampler, texture
    gc.collect()


SHUTDOWN_SCRIPT = r"""
import threading
import compushady as C
from compushady import formats as F
from compushady.shaders import hlsl
import compushady.config
compushady.config.set_debug(True)
shader = hlsl.compile('''
RWStructuredBuffer<uint> output : register(u0);
[numthreads(1, 1, 1)] void main(uint3 t : SV_DispatchThreadID) { output[t.x] = 1; }
''')
heap = C.Heap(C.HEAP_DEFAULT, 65536) if C.get_current_device().supports_heaps else None
objects = [C.Buffer(64, h) for h in (0, 1, 2)] + [C.Buffer(64, heap=heap), heap,
    C.Texture2D(4, 4, F.R8G8B8A8_UNORM), C.Texture3D(2, 2, 2, F.R32_FLOAT),
    C.Sampler()]
uav = C.Buffer(64)
compute = C.Compute(shader, uav=[uav])
compute.dispatch(16, 1, 1)
cycle = [compute]
cycle.append(cycle)
# a thread still dispatching when the main thread exits
def spin():
    while True:
        compute.dispatch(1, 1, 1)
threading.Thread(target=spin, daemon=True).start()
print("ok")
"""


@pytest.mark.parametrize("debug", [False, True])
def test_interpreter_exit_with_live_objects(debug):
    script = SHUTDOWN_SCRIPT if debug else SHUTDOWN_SCRIPT.replace(
        "compushady.config.set_debug(True)", "")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True,
                            text=True, timeout=WATCHDOG_S)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == "ok\n"  # and no validation message printed at exit


def test_exhaustion_then_work():
    """More than the device has: a MemoryError subclass (or the resource's
    exception over the per-resource limit), and the device keeps working."""
    device = C.get_current_device()
    with pytest.raises(C.BufferException):
        C.Buffer(device.max_buffer_size + 1)
    if device.supports_heaps:
        with pytest.raises(C.OutOfDeviceMemory) as info:
            C.Heap(C.HEAP_DEFAULT, 2**62)
        assert isinstance(info.value, MemoryError)
    # allocate the device's largest buffers until it refuses, with a cap so
    # that a device with a lot of memory (or lavapipe's lazy host memory)
    # does not take the machine
    held = []
    try:
        for _ in range(8):
            held.append(C.Buffer(device.max_buffer_size))
    except C.OutOfDeviceMemory:
        pass
    del held
    gc.collect()
    buffer = C.Buffer(64, C.HEAP_UPLOAD)
    buffer.upload(b"alive!")
    out = C.Buffer(64, C.HEAP_READBACK)
    buffer.copy_to(out)
    assert out.readback(6) == b"alive!"
