"""Reflection names each binding as the source does (HLSL and GLSL through
glslang: the compiler keeps OpName, debug_names.c drops the rest of the
debug information), and the SPIR-V stays free of source text and lines."""

import struct

from hypothesis import given, settings, strategies as st

from compushady import _native
from compushady.shaders import glsl, hlsl

# SPIR-V opcodes of the debug information that must not be left behind
OP_SOURCE_CONTINUED, OP_SOURCE, OP_SOURCE_EXTENSION, OP_STRING, OP_LINE = 2, 3, 4, 7, 8
OP_NO_LINE, OP_MODULE_PROCESSED = 317, 330
DEBUG_ONLY = {OP_SOURCE_CONTINUED, OP_SOURCE, OP_SOURCE_EXTENSION, OP_STRING,
              OP_LINE, OP_NO_LINE, OP_MODULE_PROCESSED}

def opcodes(spirv):
    words = struct.unpack("<%dI" % (len(spirv) // 4), spirv)
    at, found = 5, []
    while at < len(words):
        found.append(words[at] & 0xFFFF)
        at += words[at] >> 16
    return found


def names_by_register(spirv):
    return {b["binding"]: b["name"] for b in _native.reflect_shader(spirv)["bindings"]}


# Identifiers with an inner underscore: none is a keyword or a type of HLSL
# or GLSL (those with underscores are excluded by name).
identifiers = st.from_regex(r"[a-z]{2,8}_[a-z0-9]{1,12}", fullmatch=True).filter(
    lambda name: not name.startswith("gl_")
    and name not in ("row_major", "column_major", "atomic_uint")
)


@settings(max_examples=15, deadline=None)
@given(st.lists(identifiers, min_size=5, max_size=5, unique=True))
def test_hlsl_binding_names(names):
    cb, srv, tex, uav, image = names
    spirv = hlsl.compile("""
cbuffer {0} : register(b0) {{ uint count; }};
StructuredBuffer<float> {1} : register(t0);
Texture2D<float4> {2} : register(t1);
RWStructuredBuffer<float> {3} : register(u0);
RWTexture2D<float4> {4} : register(u1);
[numthreads(1, 1, 1)] void main() {{
    {3}[0] = {1}[0] + {2}[int3(0, 0, 0)].x + count;
    {4}[uint2(0, 0)] = 1;
}}""".format(cb, srv, tex, uav, image))
    assert names_by_register(spirv) == {0: cb, 1024: srv, 1025: tex, 2048: uav, 2049: image}
    assert not DEBUG_ONLY.intersection(opcodes(spirv))


@settings(max_examples=15, deadline=None)
@given(st.lists(identifiers, min_size=4, max_size=4, unique=True))
def test_glsl_binding_names(names):
    block, instance, anonymous_block, image = names
    spirv = glsl.compile("""#version 450
layout(local_size_x = 1) in;
layout(set = 0, binding = 0) uniform {0} {{ uint count; }} {1};
layout(set = 0, binding = 2048, std430) buffer {2} {{ float values[]; }};
layout(set = 0, binding = 2049, rgba8) uniform writeonly image2D {3};
void main() {{ values[0] = float({1}.count); imageStore({3}, ivec2(0), vec4(1)); }}
""".format(block.capitalize() + "Block", instance, anonymous_block.capitalize(), image))
    # a named block reflects its variable's name; an anonymous one, its type's
    assert names_by_register(spirv) == {0: instance, 2048: anonymous_block.capitalize(),
                                        2049: image}
    assert not DEBUG_ONLY.intersection(opcodes(spirv))


def test_hlsl_names_that_glslang_does_not_accept_keep_their_spelling():
    # "texture" and "sampler" are renamed for glslang ("texture_cs"); the
    # reflection shows the names of the source
    spirv = hlsl.compile("""
Texture2D<float4> texture : register(t0);
SamplerState sampler : register(s0);
RWStructuredBuffer<float4> output : register(u0);
[numthreads(1, 1, 1)] void main() { output[0] = texture.SampleLevel(sampler, float2(0, 0), 0); }
""")
    assert names_by_register(spirv) == {1024: "texture", 2048: "output", 3072: "sampler"}


def test_compiled_spirv_without_debug_information_is_not_larger():
    # the names are all the compile keeps: the source text would be larger
    source = "RWStructuredBuffer<uint> o : register(u0);\n" + "// comment\n" * 200 + \
        "[numthreads(1, 1, 1)] void main() { o[0] = 1; }"
    assert len(hlsl.compile(source)) < len(source) // 4
