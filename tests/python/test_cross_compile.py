"""Cross-compiling (cs_shader_cross_compile, hlsl.dxc.compile, the command
line's compile --to): HLSL shaders with generated resource layouts are
translated to GLSL and to HLSL, compiled again and run, and must give the
results of the shader they came from; the MSL is checked structurally (its
kernel's parameters: names and [[buffer/texture/sampler(n)]] slots)."""

import re
import os
import struct
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compushady import (
    HEAP_UPLOAD,
    SHADER_BINARY_TYPE_DXIL,
    SHADER_BINARY_TYPE_GLSL,
    SHADER_BINARY_TYPE_MSL,
    SHADER_BINARY_TYPE_SPIRV,
    Buffer,
    Compute,
    ShaderCompileError,
    Texture1D,
    _native,
)
from compushady.backends import dxc as backends_dxc
from compushady.formats import R32_UINT
from compushady.shaders import glsl, hlsl

from helpers import read_buffer, upload_buffer

# COMPUSHADY_LONG_TESTS=1: many more generated layouts
LONG = bool(os.environ.get("COMPUSHADY_LONG_TESTS"))

# kind -> (register class, whether Metal sees a buffer)
KINDS = {
    "cbuffer": ("b", True),
    "constant_buffer": ("b", True),
    "structured": ("t", True),
    "typed": ("t", False),
    "texture": ("t", False),
    "rw_structured": ("u", True),
    "rw_typed": ("u", False),
    "rw_texture": ("u", False),
}
LISTS = {"b": "cbv", "t": "srv", "u": "uav"}


def declaration(kind, name, register):
    """HLSL declaration and the expression reading the resource's value."""
    cls = KINDS[kind][0]
    reg = ": register({0}{1})".format(cls, register)
    if kind == "cbuffer":
        return "cbuffer {0} {1} {{ uint {0}_value; }};".format(name, reg), name + "_value"
    if kind == "constant_buffer":
        return "ConstantBuffer<Val> {0} {1};".format(name, reg), name + ".value"
    if kind == "structured":
        return "StructuredBuffer<Val> {0} {1};".format(name, reg), name + "[0].value"
    if kind == "typed":
        return "Buffer<uint> {0} {1};".format(name, reg), name + "[0]"
    if kind == "texture":
        return "Texture1D<uint> {0} {1};".format(name, reg), name + ".Load(int2(0, 0))"
    if kind == "rw_structured":
        return "RWStructuredBuffer<Val> {0} {1};".format(name, reg), name + "[0].value"
    if kind == "rw_typed":
        return "RWBuffer<uint> {0} {1};".format(name, reg), name + "[0]"
    assert kind == "rw_texture"
    return "RWTexture1D<uint> {0} {1};".format(name, reg), name + "[0]"


def make_resource(kind, value):
    data = struct.pack("<4I", value, 0, 0, 0)
    if kind in ("cbuffer", "constant_buffer"):
        return upload_buffer(data, HEAP_UPLOAD)
    if kind in ("structured", "rw_structured"):
        return upload_buffer(data, stride=4)
    if kind in ("typed", "rw_typed"):
        return upload_buffer(data, format=R32_UINT)
    texture = Texture1D(1, R32_UINT)
    staging = Buffer(texture.size, HEAP_UPLOAD)
    staging.upload(data[:4])
    staging.copy_to(texture)
    return texture


class Layout:
    """Resources of `kinds`, each class's registers given by a permutation,
    declared in `order`; the output buffer takes the next u register."""

    def __init__(self, kinds, permutations, order):
        self.kinds = kinds
        self.names = ["r{0}".format(i) for i in range(len(kinds))]
        self.registers = [0] * len(kinds)
        for cls in "btu":
            members = [i for i, kind in enumerate(kinds) if KINDS[kind][0] == cls]
            for i, register in zip(members, permutations[cls][:len(members)]):
                self.registers[i] = register
        # the permutation may pick among more registers than members: close gaps
        for cls in "btu":
            members = sorted((self.registers[i], i) for i, kind in enumerate(kinds)
                             if KINDS[kind][0] == cls)
            for rank, (_, i) in enumerate(members):
                self.registers[i] = rank
        self.output_register = sum(1 for kind in kinds if KINDS[kind][0] == "u")
        lines, reads = ["struct Val { uint value; };"], []
        for i in order:
            text, expression = declaration(kinds[i], self.names[i], self.registers[i])
            lines.append(text)
            reads.append("    outputs[{0}] = {1};".format(i, expression))
        lines.append("RWStructuredBuffer<uint> outputs : register(u{0});".format(self.output_register))
        self.source = "\n".join(lines) + "\n[numthreads(1, 1, 1)]\nvoid main()\n{\n" + \
            "\n".join(sorted(reads)) + "\n}\n"

    def run(self, spirv):
        lists = {"cbv": [], "srv": [], "uav": []}
        resources = [make_resource(kind, 100 + i) for i, kind in enumerate(self.kinds)]
        for cls in "btu":
            members = sorted((self.registers[i], i) for i, kind in enumerate(self.kinds)
                             if KINDS[kind][0] == cls)
            lists[LISTS[cls]] = [resources[i] for _, i in members]
        output = upload_buffer(bytes(4 * len(self.kinds)), stride=4)
        lists["uav"].append(output)
        Compute(spirv, **lists).dispatch(1, 1, 1)
        return list(struct.unpack("<{0}I".format(len(self.kinds)),
                                  read_buffer(output, 4 * len(self.kinds))))

    def expected(self):
        return [100 + i for i in range(len(self.kinds))]

    def metal_slots(self):
        """name -> (kind of slot, index), as the original gave Metal: register
        order b, t, u (each by register), buffers and textures counted apart."""
        entries = [(KINDS[kind][0], self.registers[i], self.names[i], KINDS[kind][1])
                   for i, kind in enumerate(self.kinds)]
        entries.append(("u", self.output_register, "outputs", True))
        slots, counters = {}, {"buffer": 0, "texture": 0}
        for cls, register, name, is_buffer in sorted(entries, key=lambda e: ("btu".index(e[0]), e[1])):
            slot = "buffer" if is_buffer else "texture"
            slots[name] = (slot, counters[slot])
            counters[slot] += 1
        return slots


def kernel_parameters(msl):
    """{name: (slot kind, index)} of the MSL kernel's resource parameters,
    after checking the text's structure: one `kernel void main0(...)`,
    balanced braces, every parameter used in the body."""
    assert msl.startswith(b"#") and b"#include <metal_stdlib>" in msl
    text = msl.decode()
    assert text.count("{") == text.count("}")
    match = re.search(r"kernel void main0\((.*?)\)\s*\{(.*)\}\s*$", text, re.S)
    assert match, text
    params, body = match.group(1), match.group(2)
    parts, depth, current = [], 0, ""
    for c in params:
        depth += c == "<"
        depth -= c == ">"
        if c == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += c
    parts.append(current.strip())
    slots = {}
    for part in parts:
        found = re.match(r"(.+?)\s*&?\s*(\w+) \[\[(buffer|texture|sampler)\((\d+)\)\]\]$", part)
        if found:
            name = found.group(2)
            assert re.search(r"\b{0}\b".format(name), body), (name, body)
            slots[name] = (found.group(3), int(found.group(4)))
        else:
            assert "[[thread_position_in_grid]]" in part or "[[" in part, part
    return slots


@st.composite
def layouts(draw):
    kinds = draw(st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=7))
    permutations = {cls: draw(st.permutations(range(len(kinds)))) for cls in "btu"}
    order = draw(st.permutations(range(len(kinds))))
    return Layout(kinds, permutations, order)


@settings(max_examples=400 if LONG else 20, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_cross_compiled_glsl_and_hlsl_run_like_the_source(layout):
    spirv = hlsl.compile(layout.source)
    assert layout.run(spirv) == layout.expected(), layout.source
    named = _native.compile_shader(layout.source, "main", "cs_6_0", "hlsl")
    glsl_source, size = _native.cross_compile(named, "glsl")
    assert size == (1, 1, 1)
    assert glsl_source.startswith(b"#version 450\n")
    glsl_spirv = glsl.compile(glsl_source)
    # GLSL (not Vulkan GLSL) has no separate textures: a Texture1D read
    # becomes a combined sampler (sampler1D), which compushady cannot bind
    # (it has no combined image-sampler descriptors), so only compiled here
    if "texture" not in layout.kinds:
        assert layout.run(glsl_spirv) == layout.expected(), glsl_source.decode()
    else:
        assert re.search(rb"layout\(binding = 10\d\d\) uniform usampler1D r\d+;", glsl_source)
    hlsl_source, _ = _native.cross_compile(named, "hlsl")
    assert layout.run(hlsl.compile(hlsl_source)) == layout.expected(), hlsl_source.decode()


@settings(max_examples=400 if LONG else 30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_msl_slots_follow_the_original_numbering(layout):
    msl, grid = hlsl.dxc.compile(layout.source, "main", SHADER_BINARY_TYPE_MSL, "cs_6_0")
    assert grid == (1, 1, 1)
    assert kernel_parameters(msl) == layout.metal_slots(), msl.decode()


def test_glsl_of_the_original_test_runs():
    """test_dxc.py::test_to_glsl's shader, compiled back and run."""
    source = """
    Buffer<float4> input : register(t0);
    RWTexture2D<float4> output : register(u0);
    [numthreads(1, 2, 3)]
    void main(uint3 tid : SV_DispatchThreadID)
    {
        output[tid.xy] = input[tid.z] * 2;
    }
    """
    text = hlsl.dxc.compile(source, "main", SHADER_BINARY_TYPE_GLSL, "cs_5_0")
    assert isinstance(text, bytes)
    assert b"layout(binding = 1024) uniform samplerBuffer _input;" in text
    assert b"layout(binding = 2048, rgba32f) uniform writeonly image2D _output;" in text
    from compushady import Texture2D
    from compushady.formats import R32G32B32A32_FLOAT
    values = struct.pack("<12f", *range(12))
    typed = upload_buffer(values, format=R32G32B32A32_FLOAT)
    target = Texture2D(1, 2, R32G32B32A32_FLOAT)
    Compute(glsl.compile(text), srv=[typed], uav=[target]).dispatch(1, 1, 1)
    readback = Buffer(target.size, 2)
    target.copy_to(readback)
    rows = readback.readback2d(target.row_pitch, 1, 2, 16)
    # thread (0, y, z) for z in 0..2 writes input[z] * 2 at (0, y): the last
    # z wins or any; every written texel is 2 * one of the inputs
    texels = [struct.unpack("<4f", rows[16 * i:16 * i + 16]) for i in range(2)]
    candidates = [tuple(2.0 * v for v in range(4 * z, 4 * z + 4)) for z in range(3)]
    assert all(texel in candidates for texel in texels), texels


def test_msl_of_the_original_test():
    msl, grid = hlsl.dxc.compile("""
    struct Data { uint a; uint b; };
    Buffer<float4> input : register(t0);
    Texture2D<float4> input2 : register(t1);
    RWTexture2D<float4> output : register(u0);
    ConstantBuffer<Data> data : register(b0);
    StructuredBuffer<Data> data2 : register(t5);
    RWStructuredBuffer<Data> data3 : register(u5);
    StructuredBuffer<Data> data4 : register(t4);
    RWBuffer<float4> output2 : register(u3);
    SamplerState s0 : register(s0);
    SamplerState s1 : register(s1);
    [numthreads(1, 2, 3)]
    void main(uint3 tid : SV_DispatchThreadID)
    {
        output[tid.xy] = input[tid.z] * 2 + input2[tid.xy] + data.a + data2[0].b + data4[0].a
            + input2.SampleLevel(s1, float2(0, 0), 0) + input2.SampleLevel(s0, float2(1, 1), 0);
        output2[tid.z].r = data.b;
        data3[1].b = 0;
    }
    """, "main", SHADER_BINARY_TYPE_MSL, "cs_5_0")
    assert grid == (1, 2, 3)
    assert kernel_parameters(msl) == {
        "data": ("buffer", 0), "data4": ("buffer", 1), "data2": ("buffer", 2),
        "data3": ("buffer", 3), "_input": ("texture", 0), "input2": ("texture", 1),
        "_output": ("texture", 2), "output2": ("texture", 3),
        "s0": ("sampler", 0), "s1": ("sampler", 1),
    }
    assert b"texture2d<float, access::write> _output" in msl


def test_dxc_compile_spirv_and_errors():
    source = "RWStructuredBuffer<uint> o : register(u0);\n[numthreads(2, 1, 1)] void main() { o[0] = 7; }"
    spirv = hlsl.dxc.compile(source, "main", SHADER_BINARY_TYPE_SPIRV, "cs_6_0")
    out = upload_buffer(bytes(4), stride=4)
    Compute(spirv, uav=[out]).dispatch(1, 1, 1)
    assert struct.unpack("<I", read_buffer(out, 4))[0] == 7
    assert backends_dxc.compile is hlsl.dxc.compile
    with pytest.raises(ValueError, match=r"^shader_binary_type must be SHADER_BINARY_TYPE_SPIRV"):
        hlsl.dxc.compile(source, "main", SHADER_BINARY_TYPE_DXIL, "cs_6_0")
    with pytest.raises(ShaderCompileError, match=r"^shader:1: error:"):
        hlsl.dxc.compile("garbage", "main", SHADER_BINARY_TYPE_GLSL, "cs_6_0")


def test_cross_compile_bad_input():
    spirv = hlsl.compile("RWStructuredBuffer<uint> o : register(u0);\n[numthreads(1, 1, 1)] void main() { o[0] = 1; }")
    with pytest.raises(ValueError, match=r'^language must be "glsl", "msl" or "hlsl", got "wgsl"'):
        _native.cross_compile(spirv, "wgsl")
    with pytest.raises(ValueError, match=r"^bad magic number"):
        _native.cross_compile(b"\0" * 64, "glsl")
    with pytest.raises(ValueError, match=r'^the module has no compute entry point "nope"'):
        _native.cross_compile(spirv, "glsl", "nope")
    # without names SPIRV-Cross makes some up; the bindings stay
    text, _ = _native.cross_compile(spirv, "glsl")
    assert b"layout(binding = 2048, std430) buffer" in text


def test_partial_rw_image_writes_compile_and_run():
    """glslang refuses `image[i].r = v`; the rewrite gives DXC's result."""
    source = """
RWBuffer<uint4> target : register(u0);
RWTexture1D<uint2> pairs : register(u1);
[numthreads(1, 1, 1)]
void main()
{
    target[0].y = 5;   target[1].xz += uint2(1, 2);
    if (true) pairs[0].g = 9; else pairs[0].r = 3;
    // target[0].w = 1; stays a comment
}
"""
    from compushady.formats import R32G32B32A32_UINT, R32G32_UINT
    target = upload_buffer(struct.pack("<8I", *range(8)), format=R32G32B32A32_UINT)
    pairs = Texture1D(1, R32G32_UINT)
    staging = Buffer(pairs.size, HEAP_UPLOAD)
    staging.upload(struct.pack("<2I", 4, 4))
    staging.copy_to(pairs)
    Compute(hlsl.compile(source), uav=[target, pairs]).dispatch(1, 1, 1)
    assert struct.unpack("<8I", read_buffer(target, 32)) == (0, 5, 2, 3, 5, 5, 8, 7)
    readback = Buffer(pairs.size, 2)
    pairs.copy_to(readback)
    assert struct.unpack("<2I", readback.readback(8)) == (4, 9)


def test_partial_write_diagnostics_keep_line_numbers():
    with pytest.raises(ShaderCompileError, match=r"^shader:4: error: 'nope'"):
        hlsl.compile("RWBuffer<float4> o : register(u0);\n[numthreads(1, 1, 1)]\n"
                     "void main() { o[0].x =\n nope; }\n")


def test_cli_compile_to(tmp_path):
    source = tmp_path / "double.hlsl"
    source.write_text("RWStructuredBuffer<uint> values : register(u0);\n"
                      "[numthreads(4, 1, 1)] void main(uint3 i : SV_DispatchThreadID)"
                      " { values[i.x] *= 2; }\n")
    for to, extension in (("glsl", ".glsl"), ("msl", ".metal"), ("hlsl", ".cross.hlsl")):
        result = subprocess.run([sys.executable, "-m", "compushady", "compile", str(source),
                                 "--to", to], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        written = tmp_path / ("double" + extension)
        assert str(written) in result.stdout
        text = written.read_bytes()
        if to == "glsl":
            spirv = glsl.compile(text)
        elif to == "hlsl":
            spirv = hlsl.compile(text)
        else:
            assert text.startswith(b"// threads per threadgroup: 4 1 1\n")
            assert kernel_parameters(text[text.index(b"\n") + 1:]) == {"values": ("buffer", 0)}
            continue
        data = upload_buffer(struct.pack("<4I", 1, 2, 3, 4), stride=4)
        Compute(spirv, uav=[data]).dispatch(1, 1, 1)
        assert struct.unpack("<4I", read_buffer(data, 16)) == (2, 4, 6, 8)
    result = subprocess.run([sys.executable, "-m", "compushady", "compile", str(source),
                             "--to", "wgsl"], capture_output=True, text=True)
    assert result.returncode == 2 and "invalid choice: 'wgsl'" in result.stderr
