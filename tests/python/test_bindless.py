"""Bindless computes: unbounded descriptor arrays (`Texture2D<float4>
textures[] : register(t0)`) filled with bind_cbv/bind_srv/bind_uav, as in
the original compushady. Devices without descriptor indexing (lavapipe)
refuse bindless=True with a clear error."""

import gc
import re
import struct

import numpy
import pytest

import compushady
from compushady import HEAP_UPLOAD, Buffer, Compute, Texture2D
from compushady.formats import R32_UINT, R32G32B32A32_FLOAT
from compushady.shaders import glsl, hlsl

from helpers import read_buffer, upload_buffer

SUPPORTED = compushady.get_current_device().supports_bindless
needs_bindless = pytest.mark.skipif(not SUPPORTED, reason="device lacks descriptor indexing (see test_unsupported_device)")

# Sized arrays (array_size 4), and UNBOUNDED below: `textures[]`, which
# compile.c turns into a runtime array sized by max_bindless (glslang 12
# alone would size it by its constant indices, textures[1]).
TEXTURES = """
Texture2D<float4> textures[4] : register(t0);
RWStructuredBuffer<float4> output : register(u0);
[numthreads(4, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    output[tid.x] = textures[NonUniformResourceIndex(tid.x)].Load(int3(0, 0, 0));
}
"""

# The original module's form: unbounded arrays of every register class that
# glslang 12 can index (arrays of structured and byte-address buffers it
# cannot: docs/hlsl-differences.md).
UNBOUNDED = """
struct Params { uint4 value; };
ConstantBuffer<Params> params[] : register(b0);
Texture2D<float4> textures[] : register(t0);
RWBuffer<uint> buffers[] : register(u1);
RWStructuredBuffer<float4> output : register(u0);
[numthreads(4, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    uint i = tid.x;
    float4 texel = textures[NonUniformResourceIndex(i * 2 + 1)].Load(int3(0, 0, 0));
    output[i] = texel + float4(params[i].value);
    buffers[i][1] = i * 7 + 1;
}
"""


@pytest.mark.skipif(SUPPORTED, reason="the device supports bindless")
def test_unsupported_device():
    name = compushady.get_current_device().name
    with pytest.raises(ValueError, match="bindless computes need descriptor indexing, which device '{0}'".format(re.escape(name))):
        Compute(hlsl.compile(TEXTURES), uav=[Buffer(64, stride=16)], bindless=True, max_bindless=4)


def test_descriptor_array_without_bindless():
    with pytest.raises(ValueError, match="descriptor arrays need bindless=True"):
        Compute(hlsl.compile(TEXTURES), uav=[Buffer(64, stride=16)])


def test_unbounded_array_without_bindless():
    with pytest.raises(ValueError, match="register b0 is an unbounded array of descriptors; descriptor arrays need bindless=True"):
        Compute(hlsl.compile(UNBOUNDED), uav=[Buffer(64, stride=16)])


def test_bind_needs_bindless():
    compute = Compute(
        hlsl.compile("RWBuffer<uint> b : register(u0); [numthreads(1,1,1)] void main() { b[0] = 1; }"),
        uav=[Buffer(4, format=R32_UINT)],
    )
    with pytest.raises(ValueError, match="bind_uav needs a compute created with bindless=True"):
        compute.bind_uav(0, Buffer(4, format=R32_UINT))


def texture_of(values):
    texture = Texture2D(1, 1, R32G32B32A32_FLOAT)
    staging = Buffer(texture.size, HEAP_UPLOAD)
    staging.upload(struct.pack("<4f", *values))
    staging.copy_to(texture)
    return texture


@needs_bindless
def test_srv_texture_array_and_keep_alive():
    out = Buffer(64, stride=16)
    compute = Compute(hlsl.compile(TEXTURES), uav=[out], bindless=True, max_bindless=8)
    for i in range(4):
        # no reference kept here: the compute must keep each texture alive
        compute.bind_srv(i, texture_of((i, i * 10, i * 100, 1)))
    gc.collect()
    compute.dispatch(1, 1, 1)
    got = numpy.frombuffer(read_buffer(out), numpy.float32).reshape(4, 4)
    assert got.tolist() == [[i, i * 10, i * 100, 1] for i in range(4)]
    # rebinding a slot replaces the texture
    compute.bind_srv(2, texture_of((7, 7, 7, 7)))
    gc.collect()
    compute.dispatch(1, 1, 1)
    got = numpy.frombuffer(read_buffer(out), numpy.float32).reshape(4, 4)
    assert got[2].tolist() == [7, 7, 7, 7] and got[3].tolist() == [3, 30, 300, 1]


@needs_bindless
def test_cbv_array():
    compute = Compute(
        hlsl.compile(
            """
            struct Params { uint4 value; };
            ConstantBuffer<Params> params[3] : register(b0);
            RWStructuredBuffer<uint4> output : register(u0);
            [numthreads(3, 1, 1)]
            void main(uint3 tid : SV_DispatchThreadID)
            {
                output[tid.x] = params[NonUniformResourceIndex(tid.x)].value;
            }
            """
        ),
        uav=[out := Buffer(48, stride=16)],
        bindless=True,
        max_bindless=3,
    )
    for i in range(3):
        cb = Buffer(16, HEAP_UPLOAD)
        cb.upload(struct.pack("<4I", i, i + 1, i + 2, 99))
        compute.bind_cbv(i, cb)
    compute.dispatch(1, 1, 1)
    assert struct.unpack("<12I", read_buffer(out)) == tuple(v for i in range(3) for v in (i, i + 1, i + 2, 99))


@needs_bindless
def test_uav_typed_buffer_array():
    compute = Compute(
        hlsl.compile(
            """
            RWBuffer<uint> buffers[4] : register(u0);
            [numthreads(4, 1, 1)]
            void main(uint3 tid : SV_DispatchThreadID)
            {
                buffers[NonUniformResourceIndex(tid.x)][1] = tid.x * 7 + 1;
            }
            """
        ),
        bindless=True,
        max_bindless=4,
    )
    buffers = [upload_buffer(b"\0" * 8, format=R32_UINT) for _ in range(4)]
    for i, buffer in enumerate(buffers):
        compute.bind_uav(i, buffer)
    compute.dispatch(1, 1, 1)
    assert [struct.unpack("<2I", read_buffer(b)) for b in buffers] == [(0, i * 7 + 1) for i in range(4)]


@needs_bindless
def test_glsl_storage_buffer_array():
    compute = Compute(
        glsl.compile(
            """
            #version 450
            #extension GL_EXT_nonuniform_qualifier : require
            layout(local_size_x = 4) in;
            layout(set = 0, binding = 2048) buffer Data { uint values[]; } buffers[];
            void main()
            {
                uint i = gl_GlobalInvocationID.x;
                buffers[nonuniformEXT(i)].values[0] = buffers[nonuniformEXT(i)].values[0] * 2 + i;
            }
            """
        ),
        bindless=True,
        max_bindless=16,
    )
    buffers = [upload_buffer(struct.pack("<I", 10 * (i + 1))) for i in range(4)]
    for i, buffer in enumerate(buffers):
        compute.bind_uav(i, buffer)
    compute.dispatch(1, 1, 1)
    assert [struct.unpack("<I", read_buffer(b))[0] for b in buffers] == [20 * (i + 1) + i for i in range(4)]


@needs_bindless
def test_bind_errors():
    compute = Compute(hlsl.compile(TEXTURES), uav=[Buffer(64, stride=16)], bindless=True, max_bindless=4)
    with pytest.raises(ValueError, match="bind_srv: index 4 is out of range: max_bindless is 4"):
        compute.bind_srv(4, texture_of((0, 0, 0, 0)))
    with pytest.raises(ValueError, match="index 3 is past the 3 descriptors"):
        Compute(hlsl.compile(TEXTURES.replace("[4]", "[3]")), uav=[Buffer(64, stride=16)], bindless=True).bind_srv(
            3, texture_of((0, 0, 0, 0))
        )
    with pytest.raises(ValueError, match="bind_cbv: the shader declares no descriptor array in register class b"):
        compute.bind_cbv(0, Buffer(16))
    with pytest.raises(ValueError, match="register t0.*Texture"):
        compute.bind_srv(0, Buffer(16, stride=16))
    with pytest.raises(ValueError, match="register t0.*slices"):
        compute.bind_srv(0, Texture2D(1, 1, R32G32B32A32_FLOAT, slices=2))


@needs_bindless
def test_glsl_unbounded_texture_array():
    out = Buffer(64, stride=16)
    compute = Compute(
        glsl.compile(
            """
            #version 450
            #extension GL_EXT_nonuniform_qualifier : require
            #extension GL_EXT_samplerless_texture_functions : require
            layout(local_size_x = 4) in;
            layout(set = 0, binding = 1024) uniform texture2D textures[];
            layout(set = 0, binding = 2048) buffer Out { vec4 values[]; } output_;
            void main()
            {
                uint i = gl_GlobalInvocationID.x;
                output_.values[i] = texelFetch(textures[nonuniformEXT(i)], ivec2(0, 0), 0);
            }
            """
        ),
        uav=[out],
        bindless=True,
        max_bindless=64,
    )
    for i in range(4):
        compute.bind_srv(i, texture_of((i, -i, 0.5, 1)))
    compute.dispatch(1, 1, 1)
    got = numpy.frombuffer(read_buffer(out), numpy.float32).reshape(4, 4)
    assert got.tolist() == [[i, -i, 0.5, 1] for i in range(4)]


@needs_bindless
def test_unbounded_arrays():
    """textures[], params[] and buffers[] hold max_bindless descriptors,
    indexed per thread (non-uniformly)."""
    out = Buffer(64, stride=16)
    compute = Compute(hlsl.compile(UNBOUNDED), uav=[out], bindless=True, max_bindless=16)
    for i in range(8):
        compute.bind_srv(i, texture_of((i, i * 10, i * 100, 1)))
    cbs = []
    for i in range(4):
        cb = Buffer(16, HEAP_UPLOAD)
        cb.upload(struct.pack("<4I", i, 2 * i, 0, 5))
        compute.bind_cbv(i, cb)
        cbs.append(cb)
    buffers = [upload_buffer(b"\0" * 8, format=R32_UINT) for _ in range(4)]
    # output is u0 (one descriptor), buffers[] is u1: bind_uav indexes the
    # array
    for i, buffer in enumerate(buffers):
        compute.bind_uav(i, buffer)
    # the last slot of the array is usable too
    compute.bind_srv(15, texture_of((15, 15, 15, 15)))
    gc.collect()
    compute.dispatch(1, 1, 1)
    got = numpy.frombuffer(read_buffer(out), numpy.float32).reshape(4, 4)
    assert got.tolist() == [[2 * i + 1 + i, (2 * i + 1) * 10 + 2 * i, (2 * i + 1) * 100, 6] for i in range(4)]
    assert [struct.unpack("<2I", read_buffer(b)) for b in buffers] == [(0, i * 7 + 1) for i in range(4)]
    with pytest.raises(ValueError, match="bind_srv: index 16 is out of range: max_bindless is 16"):
        compute.bind_srv(16, texture_of((0, 0, 0, 0)))


@needs_bindless
def test_unbounded_texture_array_sized_by_max_bindless():
    source = """
Texture2D<float4> textures[] : register(t0);
RWStructuredBuffer<float4> output : register(u0);
[numthreads(64, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    output[tid.x] = textures[NonUniformResourceIndex(tid.x)].Load(int3(0, 0, 0));
}
"""
    out = Buffer(64 * 16, stride=16)
    compute = Compute(hlsl.compile(source), uav=[out], bindless=True, max_bindless=64)
    for i in range(64):
        compute.bind_srv(i, texture_of((i, -i, i * 0.5, 1)))
    compute.dispatch(1, 1, 1)
    got = numpy.frombuffer(read_buffer(out), numpy.float32).reshape(64, 4)
    assert got.tolist() == [[i, -i, i * 0.5, 1] for i in range(64)]
