"""The OpenGL backend's GLSL path (for drivers without GL_ARB_gl_spirv):
COMPUSHADY_GL_SHADERS=glsl takes it on any GL device. Each case runs in a
child process, since the setting is read when the backend starts."""

import os
import subprocess
import sys
import textwrap

import pytest

from compushady import _native

pytestmark = pytest.mark.skipif(
    "opengl" not in _native.BACKENDS, reason="this build has no OpenGL backend"
)

PRELUDE = """
import struct
import compushady, compushady.config
compushady.config.set_debug(True)
from compushady import Buffer, Compute, Sampler, Texture2D, HEAP_UPLOAD, HEAP_READBACK
from compushady.formats import R32G32B32A32_FLOAT
from compushady.shaders import hlsl

def read(buffer):
    readback = Buffer(buffer.size, HEAP_READBACK)
    buffer.copy_to(readback)
    return readback.readback()
"""


def run_child(body):
    environment = dict(
        os.environ, COMPUSHADY_BACKEND="opengl", COMPUSHADY_GL_SHADERS="glsl"
    )
    child = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(body)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    return child.stdout


def test_buffers_push_constants_and_samplers_through_glsl():
    out = run_child(
        """
        source = '''
        struct Push { uint a; uint b; };
        [[vk::push_constant]] ConstantBuffer<Push> p;
        StructuredBuffer<uint> i : register(t0);
        Texture2D<float4> t : register(t1);
        SamplerState s : register(s0);
        RWStructuredBuffer<uint> o : register(u0);
        [numthreads(4, 1, 1)] void main(uint3 id : SV_DispatchThreadID) {
            o[id.x] = i[id.x] * p.a + p.b
                + uint(t.SampleLevel(s, float2(0.75, 0.5), 0).x);
        }
        '''
        staging = Buffer(16, HEAP_UPLOAD)
        staging.upload(struct.pack("<4I", 1, 2, 3, 4))
        values = Buffer(16, stride=4)
        staging.copy_to(values)
        texture = Texture2D(2, 1, R32G32B32A32_FLOAT)
        texels = Buffer(texture.size, HEAP_UPLOAD)
        texels.upload(struct.pack("<8f", 0, 0, 0, 0, 100, 0, 0, 0))
        texels.copy_to(texture)
        out = Buffer(16, stride=4)
        compute = Compute(hlsl.compile(source), srv=[values, texture],
                          uav=[out], samplers=[Sampler()], push_size=8)
        compute.dispatch(1, 1, 1, struct.pack("<2I", 10, 5))
        print(struct.unpack("<4I", read(out)))
        print(compushady.get_current_device().get_debug_messages())
        """
    )
    assert out.splitlines() == ["(115, 125, 135, 145)", "[]"]


def test_what_glsl_cannot_express_is_refused_clearly():
    out = run_child(
        """
        source = '''
        cbuffer C : register(b0) { uint k; float3 v; uint j; };
        RWStructuredBuffer<float> o : register(u0);
        [numthreads(1, 1, 1)] void main() { o[0] = v.x + k + j; }
        '''
        try:
            Compute(hlsl.compile(source), cbv=[Buffer(48, HEAP_UPLOAD)],
                    uav=[Buffer(4, stride=4)])
        except compushady.ComputeException as problem:
            print(problem)
        """
    )
    # D3D packs the float3 right after the uint (offset 4): no GLSL layout
    # can say so, SPIR-V for GL can (test_opengl.py)
    assert (
        "has no GL_ARB_gl_spirv, and the shader cannot be expressed in GLSL "
        "for it: SPIRV-Cross cannot translate this shader" in out
    ), out
