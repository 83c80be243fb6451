"""HLSL's prefix wave intrinsics are exclusive, as DXC compiles them:
glslang lowers WavePrefixSum/WavePrefixProduct to inclusive scans, which
hlsl_wave.c turns back (every lane used to count itself too). Each lane
checks itself against the values of the lanes before it, for generated
types, values and group sizes; GLSL's own inclusive scans stay inclusive."""
import struct

import numpy
import pytest
from hypothesis import given, settings, strategies as st

import compushady
from compushady import HEAP_DEFAULT, HEAP_READBACK, Buffer, Compute
from compushady.shaders import glsl, hlsl

HLSL = """
RWStructuredBuffer<{T}> result : register(u0);
RWStructuredBuffer<uint> lanes : register(u1);
[numthreads({N}, 1, 1)]
void main(uint index : SV_GroupIndex)
{{
    {T} value = {VALUE};
    result[index] = {OP}(value);
    lanes[index * 2] = WaveGetLaneIndex();
    lanes[index * 2 + 1] = WaveGetLaneCount();
}}
"""

VALUES = {
    "uint": "(index * {a} + {b}) % 7 + 1",
    "int": "(int)((index * {a} + {b}) % 7) - 3",
    "float": "(float)((index * {a} + {b}) % 5) * 0.5 + 0.5",
}
DTYPES = {"uint": numpy.uint32, "int": numpy.int32, "float": numpy.float32}


def run(source, threads, dtype):
    result = Buffer(4 * threads, HEAP_DEFAULT, stride=4)
    lanes = Buffer(8 * threads, HEAP_DEFAULT, stride=4)
    Compute(hlsl.compile(source), uav=[result, lanes]).dispatch(1, 1, 1)
    return read(result, dtype), read(lanes, numpy.uint32).reshape(threads, 2)


def read(buffer, dtype):
    readback = Buffer(buffer.size, HEAP_READBACK)
    buffer.copy_to(readback)
    return numpy.frombuffer(readback.readback(), dtype=dtype).copy()


def expected_prefixes(values, lanes, combine, identity):
    """For each lane: combine over the lanes of its wave with a lower index."""
    out = []
    first_of_wave = numpy.arange(len(values)) - lanes[:, 0]
    for i, value in enumerate(values):
        acc = identity
        for j in range(first_of_wave[i], i):
            acc = combine(acc, values[j])
        out.append(acc)
    return numpy.array(out, dtype=values.dtype)


@settings(max_examples=12, deadline=None)
@given(kind=st.sampled_from(sorted(VALUES)), op=st.sampled_from(["WavePrefixSum", "WavePrefixProduct"]),
       threads=st.sampled_from([1, 7, 32, 64, 100]), a=st.integers(1, 9), b=st.integers(0, 9))
def test_prefix_sum_and_product_are_exclusive(kind, op, threads, a, b):
    value = VALUES[kind].format(a=a, b=b)
    source = HLSL.format(T=kind, N=threads, VALUE=value, OP=op)
    got, lanes = run(source, threads, DTYPES[kind])
    # the inputs, as the shader computes them, from a plain copy
    plain, _ = run(HLSL.format(T=kind, N=threads, VALUE=value, OP=""), threads, DTYPES[kind])
    if op == "WavePrefixSum":
        want = expected_prefixes(plain, lanes, lambda x, y: x + y, plain.dtype.type(0))
    else:
        want = expected_prefixes(plain, lanes, lambda x, y: x * y, plain.dtype.type(1))
    assert (lanes[:, 0] == 0).any()
    if kind == "float":
        assert numpy.allclose(got, want, rtol=1e-5)
    else:
        assert numpy.array_equal(got, want)


def test_prefix_count_bits_is_exclusive():
    source = HLSL.format(T="uint", N=64, VALUE="index % 3 == 0", OP="WavePrefixCountBits")
    got, lanes = run(source, 64, numpy.uint32)
    flags = (numpy.arange(64) % 3 == 0).astype(numpy.uint32)
    assert numpy.array_equal(got, expected_prefixes(flags, lanes, lambda x, y: x + y, numpy.uint32(0)))


def test_glsl_inclusive_scan_stays_inclusive():
    source = """#version 450
#extension GL_KHR_shader_subgroup_arithmetic : require
layout(local_size_x = 16) in;
layout(std430, binding = 2048) buffer Out { uint result[]; };
void main() { result[gl_LocalInvocationIndex] = subgroupInclusiveAdd(1u); }
"""
    result = Buffer(64, HEAP_DEFAULT, stride=4)
    Compute(glsl.compile(source), uav=[result]).dispatch(1, 1, 1)
    got = read(result, numpy.uint32)
    # lane i of its wave counts itself: never 0
    assert got.min() == 1 and got[0] == 1
