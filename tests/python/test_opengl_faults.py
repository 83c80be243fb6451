"""What a failed OpenGL call leaves behind: COMPUSHADY_GL_FAIL_EVERY=N makes
every Nth GL error check of the backend report an error (gl_context.c), so
that each call fails at each of its checks in turn: buffer and texture
creation, copies of every kind, compute creation, dispatches with push
constants, timed dispatches, command lists with timestamps, samplers. After
each failure the same call on the same device is made again and must work,
with the right values read back and no debug message: a failure must leave
no lock held, no binding, mapping, query or error flag behind. (On NVIDIA a
device left in a bad state failed every later test of the process.) Each
period runs in its own process: the variable is read once."""

import os
import subprocess
import sys

import pytest

import compushady

pytestmark = pytest.mark.skipif(
    compushady.get_backend().name != "opengl",
    reason="OpenGL backend only: run with COMPUSHADY_BACKEND=opengl",
)

SCRIPT = r'''
import struct
import compushady
from compushady import (HEAP_DEFAULT, HEAP_READBACK, HEAP_UPLOAD, Buffer,
                        CommandList, Compute, Sampler, Texture2D)
from compushady.formats import R32_UINT
from compushady.shaders import hlsl

compushady.config.set_debug(True)
device = compushady.get_current_device()
injected = []

def retry(call):
    """call() until it works; only injected failures may happen"""
    for _ in range(16):
        try:
            return call()
        except compushady.BackendError as error:
            # the core reads timestamps at the wait and keeps no reason
            if ("injected: COMPUSHADY_GL_FAIL_EVERY" not in str(error)
                    and "timestamps could not be read" not in str(error)):
                raise
            injected.append(str(error))
    raise AssertionError("never got through")

# idempotent, so that a dispatch that ran before its check failed may run again
SHADER = hlsl.compile("""
struct P { uint factor; };
[[vk::push_constant]] ConstantBuffer<P> push;
StructuredBuffer<uint> source : register(t0);
RWStructuredBuffer<uint> target : register(u0);
RWTexture2D<uint> image : register(u1);
[numthreads(64, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    uint value = source[tid.x] * push.factor + tid.x;
    target[tid.x] = value;
    image[uint2(tid.x, 0)] = value + 1;
}
""")
SAMPLE = hlsl.compile("""
Texture2D<float4> colors : register(t0);
SamplerState nearest : register(s0);
RWStructuredBuffer<float> target : register(u0);
[numthreads(1, 1, 1)]
void main() { target[0] = colors.SampleLevel(nearest, float2(0.5, 0.5), 0).x; }
""")

for factor in range(2, 7):
    expected = [v * factor + v for v in range(64)]
    upload = retry(lambda: Buffer(256, HEAP_UPLOAD))
    upload.upload(struct.pack("<64I", *range(64)))
    source = retry(lambda: Buffer(256, HEAP_DEFAULT, stride=4))
    target = retry(lambda: Buffer(256, HEAP_DEFAULT, stride=4))
    image = retry(lambda: Texture2D(64, 1, R32_UINT))
    readback = retry(lambda: Buffer(256, HEAP_READBACK))
    retry(lambda: upload.copy_to(source))
    compute = retry(lambda: Compute(SHADER, srv=[source], uav=[target, image], push_size=4))
    push = struct.pack("<I", factor)
    retry(lambda: compute.dispatch(1, 1, 1, push))
    retry(lambda: target.copy_to(readback))
    assert list(struct.unpack("<64I", readback.readback())) == expected
    retry(lambda: image.copy_to(readback))
    assert list(struct.unpack("<64I", readback.readback())) == [v + 1 for v in expected]
    retry(lambda: readback.copy_to(image))  # buffer to texture
    retry(lambda: image.copy_to(target))
    retry(lambda: target.copy_to(readback))
    assert list(struct.unpack("<64I", readback.readback())) == [v + 1 for v in expected]
    gpu_ns = retry(lambda: compute.dispatch_timed(1, 1, 1, push)) \
        if hasattr(compute, "dispatch_timed") else None
    def timed_list():
        commands = CommandList(timestamps=True)
        commands.dispatch(compute, 1, 1, 1, push)
        commands.copy(target, readback)
        fence = commands.submit()
        assert len(fence.gpu_times) == 2 and fence.gpu_time >= 0
    retry(timed_list)
    assert list(struct.unpack("<64I", readback.readback())) == expected
    sampler = retry(lambda: Sampler())
    colors = retry(lambda: Texture2D(1, 1, compushady.formats.R32G32B32A32_FLOAT))
    texel = retry(lambda: Buffer(16, HEAP_UPLOAD))
    texel.upload(struct.pack("<4f", factor, 0, 0, 1))
    retry(lambda: texel.copy_to(colors))
    out = retry(lambda: Buffer(4, HEAP_DEFAULT, stride=4))
    sampling = retry(lambda: Compute(SAMPLE, srv=[colors], uav=[out], samplers=[sampler]))
    retry(lambda: sampling.dispatch(1, 1, 1))
    retry(lambda: out.copy_to(readback))
    assert struct.unpack("<f", readback.readback(4))[0] == factor
    del upload, source, target, image, readback, compute, sampler, colors, texel
    del out, sampling

assert injected, "no failure was injected"
messages = device.get_debug_messages()
assert not messages, messages
print("ok", len(injected))
'''


@pytest.mark.parametrize("period", [6, 7, 8, 9, 11, 13])
def test_every_injected_failure_leaves_the_device_working(period):
    env = dict(os.environ, COMPUSHADY_BACKEND="opengl", COMPUSHADY_GL_FAIL_EVERY=str(period))
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok"), result.stdout + result.stderr
