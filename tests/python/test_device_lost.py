"""Device loss and wait timeouts.

Loss is simulated with the native Device's ``_simulate_device_lost()`` (a
hook for tests only) in a subprocess, so the suite's shared device is not
poisoned: after it every call on the device raises ``compushady.DeviceLost``
(a RuntimeError) naming the device, and releasing objects works.

Timeouts use a shader that runs for about a second (llvmpipe stops any loop
after 65535 iterations, so the length comes from the number of groups) and
a 50 ms wait timeout: ``GPUTimeout`` (a TimeoutError) is raised at once, the
device keeps working, and a process that exits with the work still running
exits cleanly."""

import os
import struct
import subprocess
import sys
import textwrap
import time

import pytest

import compushady
import compushady.config
from compushady import HEAP_DEFAULT, HEAP_READBACK, HEAP_UPLOAD, Buffer, Compute
from compushady.shaders import hlsl

LOOP_SOURCE = """
struct P { uint n; };
[[vk::push_constant]] ConstantBuffer<P> push;
RWStructuredBuffer<uint> data : register(u0);
[numthreads(64, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    uint k = tid.x & 255u;
    uint x = data[k] + tid.y;
    for (uint i = 0; i < push.n; i++)
        x = (x ^ (x >> 13)) * 0x5bd1e995u + i;
    data[k] = x + 1;
}
"""
STEPS = 60000


def run_script(body, timeout=120, **env_vars):
    script = textwrap.dedent(body)
    env = dict(os.environ, COMPUSHADY_DEBUG="1", **env_vars)
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def test_device_lost_every_call_raises():
    result = run_script(
        r'''
        import struct
        import compushady
        from compushady import (HEAP_DEFAULT, HEAP_READBACK, HEAP_UPLOAD,
                                Buffer, CommandList, Compute, DeviceLost,
                                Heap, Sampler, Texture2D)
        from compushady.formats import R8G8B8A8_UNORM
        from compushady.shaders import hlsl

        assert issubclass(DeviceLost, RuntimeError)
        device = compushady.get_current_device()
        source = """
        RWStructuredBuffer<uint> data : register(u0);
        [numthreads(1, 1, 1)] void main() { data[0] += 1; }
        """
        spirv = hlsl.compile(source)
        upload = Buffer(64, HEAP_UPLOAD)
        readback = Buffer(64, HEAP_READBACK)
        data = Buffer(64, HEAP_DEFAULT, stride=4)
        compute = Compute(spirv, uav=[data])
        compute.dispatch(1, 1, 1)
        heap = Heap(HEAP_DEFAULT, 65536) if device.supports_heaps else None
        recorded = CommandList()
        recorded.dispatch(compute, 1, 1, 1)
        fence = recorded.submit(wait=False)
        empty = CommandList()

        device.handle._simulate_device_lost()

        expected = "device '%s' was lost (" % device.name
        calls = {
            "Buffer": lambda: Buffer(64, HEAP_DEFAULT),
            "Texture2D": lambda: Texture2D(4, 4, R8G8B8A8_UNORM),
            "Sampler": lambda: Sampler(),
            "Compute": lambda: Compute(spirv, uav=[data]),
            "CommandList": lambda: CommandList(),
            "dispatch": lambda: compute.dispatch(1, 1, 1),
            "dispatch_indirect": lambda: compute.dispatch_indirect(data),
            "copy_to": lambda: upload.copy_to(data),
            "upload": lambda: upload.upload(b"1234"),
            "readback": lambda: readback.readback(4),
            "list.dispatch": lambda: empty.dispatch(compute, 1, 1, 1),
            "list.copy": lambda: empty.copy(upload, data),
            "list.submit": lambda: recorded.submit(),
            "list.reset": lambda: recorded.reset(),
            "fence.wait": lambda: fence.wait(),
            "fence.wait(1)": lambda: fence.wait(1.0),
        }
        if device.supports_heaps:
            calls["Heap"] = lambda: Heap(HEAP_UPLOAD, 65536)
        failures = []
        for name, call in calls.items():
            try:
                call()
            except DeviceLost as e:
                if expected not in str(e) or "create a new instance" not in str(e):
                    failures.append("%s: message %r" % (name, str(e)))
            except Exception as e:
                failures.append("%s: raised %r" % (name, e))
            else:
                failures.append("%s: did not raise" % name)
        # releasing works, in any order
        del fence, recorded, empty, compute, heap, upload, readback, data
        import gc
        gc.collect()
        messages = device.get_debug_messages()
        assert not messages, messages
        assert not failures, "\n".join(failures)
        print("ok")
        '''
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok" in result.stdout


def test_device_lost_other_instance_works():
    result = run_script(
        r'''
        import struct
        from compushady import _native
        from compushady.shaders import hlsl

        first = _native.create_instance(debug=True)
        lost = first.devices()[0]
        lost._simulate_device_lost()
        try:
            lost.create_buffer(0, 64)
        except _native.DeviceLost:
            pass
        else:
            raise AssertionError("no DeviceLost")
        del lost, first
        second = _native.create_instance(debug=True)
        device = second.devices()[0]
        buffer = device.create_buffer(1, 64)
        buffer.upload(struct.pack("I", 7), 0)
        assert device.get_debug_messages() == []
        print("ok")
        '''
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok" in result.stdout


@pytest.fixture
def long_dispatch():
    """A compute and the groups that make it run about a second, or skip."""
    data = Buffer(256 * 4, HEAP_DEFAULT, stride=4)
    compute = Compute(hlsl.compile(LOOP_SOURCE), uav=[data], push_size=4)
    push = struct.pack("I", STEPS)
    x, y = 16, 1
    while True:
        start = time.monotonic()
        compute.dispatch(x, y, 1, push=push)
        took = time.monotonic() - start
        if took > 0.2 or y >= 4096:
            break
        if x < 4096:
            x *= 4
        else:
            y *= 4
    scale = 1.0 / took
    if x < 4096:
        x = int(x * scale) + 1
    else:
        y = int(y * scale) + 1
    if took * scale < 0.5 or x > 65535 or y > 65535:
        pytest.skip("cannot make a dispatch that long on this device")
    yield compute, data, (x, y, 1), push
    compushady.config.set_wait_timeout(None)


def test_wait_timeout_raises_quickly(long_dispatch):
    if (compushady.get_backend().name == "opengl"
            and not compushady.get_current_device().is_hardware):
        pytest.skip("llvmpipe's OpenGL runs a dispatch to its end inside the "
                    "call: nothing is left running for a wait timeout to "
                    "interrupt")
    compute, data, groups, push = long_dispatch
    assert issubclass(compushady.GPUTimeout, TimeoutError)
    compushady.config.set_wait_timeout(0.05)
    assert compushady.get_current_device().get_wait_timeout() == pytest.approx(0.05)
    start = time.monotonic()
    with pytest.raises(TimeoutError, match="still running"):
        compute.dispatch(*groups, push=push)
    assert time.monotonic() - start < 1.0
    # a copy queued behind it times out too
    upload = Buffer(256 * 4, HEAP_UPLOAD)
    with pytest.raises(compushady.GPUTimeout):
        upload.copy_to(data)
    # Fence.wait(timeout) returns False, wait() raises
    commands = compushady.CommandList()
    commands.dispatch(compute, *groups, push=push)
    fence = commands.submit(wait=False)
    assert fence.wait(0.01) is False
    with pytest.raises(
        compushady.GPUTimeout,
        match=r"waiting for a command list of 1 commands: .* wait timeout of "
        r"0\.050 s and is still running",
    ):
        fence.wait()

    compushady.config.set_wait_timeout(None)
    assert compushady.get_current_device().get_wait_timeout() is None
    assert fence.wait() is True
    upload.upload(bytes(256 * 4))
    upload.copy_to(data)
    compute.dispatch(4, 1, 1, push=struct.pack("I", 0))
    readback = Buffer(256 * 4, HEAP_READBACK)
    data.copy_to(readback)
    assert struct.unpack("256I", readback.readback()) == (1,) * 256


def test_wait_timeout_bad_values():
    with pytest.raises(ValueError):
        compushady.config.set_wait_timeout(0)
    with pytest.raises(ValueError):
        compushady.config.set_wait_timeout(-1)
    assert compushady.config.wait_timeout is None


def test_wait_timeout_exit_with_work_running():
    """Exiting right after a timeout, the shader still running: no crash,
    no hang; COMPUSHADY_WAIT_TIMEOUT sets the timeout."""
    result = run_script(
        r'''
        import os, struct, sys, time
        sys.path.insert(0, %r)
        import compushady
        from compushady import HEAP_DEFAULT, Buffer, Compute
        from compushady.shaders import hlsl
        from test_device_lost import LOOP_SOURCE, STEPS

        assert compushady.config.wait_timeout == 0.05
        compushady.config.set_wait_timeout(None)
        data = Buffer(1024, HEAP_DEFAULT, stride=4)
        compute = Compute(hlsl.compile(LOOP_SOURCE), uav=[data], push_size=4)
        push = struct.pack("I", STEPS)
        x, y = 16, 1
        while True:
            start = time.monotonic()
            compute.dispatch(x, y, 1, push=push)
            took = time.monotonic() - start
            if took > 0.2 or y >= 4096:
                break
            if x < 4096:
                x *= 4
            else:
                y *= 4
        if x < 4096:
            x = min(65535, int(x / took) + 1)
        else:
            y = min(65535, int(y / took) + 1)
        compushady.config.set_wait_timeout(0.05)
        try:
            compute.dispatch(x, y, 1, push=push)
        except compushady.GPUTimeout:
            print("timeout")
        print("exiting")
        '''
        % os.path.dirname(os.path.abspath(__file__)),
        COMPUSHADY_WAIT_TIMEOUT="0.05",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "exiting" in result.stdout
