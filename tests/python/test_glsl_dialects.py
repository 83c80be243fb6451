"""GLSL in its two dialects: the original compushady's (no #version line,
loose uniforms, one binding sequence mapped by kind onto b/t/u/s) and this
project's (#version line, binding numbers used as they are). Random binding
layouts are compiled in both, run, and every resource's value read back."""

import os
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compushady import (
    HEAP_UPLOAD,
    SAMPLER_ADDRESS_MODE_CLAMP,
    SAMPLER_FILTER_POINT,
    Buffer,
    Compute,
    Sampler,
    ShaderCompileError,
    Texture1D,
)
from compushady.formats import R32_UINT
from compushady.shaders import glsl

from helpers import read_buffer, upload_buffer

# COMPUSHADY_LONG_TESTS=1: many more generated layouts
LONG = bool(os.environ.get("COMPUSHADY_LONG_TESTS"))

# kind -> register class it binds to in the original's dialect, and in this
# project's (readonly storage buffers are SRVs here, UAVs in the original's)
REGISTER = {
    "loose": ("b", "b"),
    "block": ("b", "b"),
    "storage": ("u", "u"),
    "readonly": ("u", "t"),
    "image": ("u", "u"),
    "float_image": ("u", "u"),
    "texel_buffer": ("t", "t"),
    "texture": ("t", "t"),
    "sampler": ("s", "s"),
}
BASE = {"b": 0, "t": 1024, "u": 2048, "s": 3072}
LISTS = {"b": "cbv", "t": "srv", "u": "uav", "s": "samplers"}


def declaration(kind, index, binding, original):
    """The GLSL declaration of resource `index`, and the expression reading
    its value (0 for samplers)."""
    layout = "layout(set = 0, binding = {0}".format(binding)
    name = "r{0}".format(index)
    if kind == "loose" and not original:
        kind = "block"
    if kind == "float_image" and not original:
        kind = "image"
    if kind == "loose":
        return layout + ") uniform uint {0};".format(name), name
    if kind == "block":
        return layout + ") uniform B{0} {{ uint {1}; }};".format(index, name), name
    if kind == "storage":
        return (layout + ") buffer S{0} {{ uint {1}[]; }};".format(index, name),
                name + "[0]")
    if kind == "readonly":
        return (layout + ") readonly buffer R{0} {{ uint {1}[]; }};".format(index, name),
                name + "[0]")
    if kind == "image":
        return (layout + ", r32ui) uniform uimage1D {0};".format(name),
                "imageLoad({0}, 0).x".format(name))
    if kind == "float_image":  # naga takes the texel type from the format
        return (layout + ", r32ui) uniform image1D {0};".format(name),
                "imageLoad({0}, 0).x".format(name))
    if kind == "texel_buffer":
        return (layout + ") uniform utextureBuffer {0};".format(name),
                "texelFetch({0}, 0).x".format(name))
    if kind == "texture":
        return (layout + ") uniform utexture1D {0};".format(name),
                "texelFetch(usampler1D({0}, SAMPLER), 0, 0).x".format(name))
    assert kind == "sampler"
    return layout + ") uniform sampler {0};".format(name), "0u"


def make_resource(kind, value, original):
    data = struct.pack("<4I", value, 0, 0, 0)
    if kind in ("loose", "block"):
        return upload_buffer(data, HEAP_UPLOAD)
    if kind in ("storage", "readonly"):
        return upload_buffer(data)
    if kind in ("image", "float_image", "texture"):
        texture = Texture1D(1, R32_UINT)
        staging = Buffer(texture.size, HEAP_UPLOAD)
        staging.upload(data[:4])
        staging.copy_to(texture)
        return texture
    if kind == "texel_buffer":
        return upload_buffer(data, format=R32_UINT)
    return Sampler(SAMPLER_ADDRESS_MODE_CLAMP, SAMPLER_ADDRESS_MODE_CLAMP,
                   SAMPLER_ADDRESS_MODE_CLAMP, SAMPLER_FILTER_POINT,
                   SAMPLER_FILTER_POINT)


def build(kinds, bindings, order, original):
    """Source and Compute lists for resources of `kinds`, resource i at
    bindings[i] (original dialect) or at its register (this project's),
    declared in `order`, plus the output buffer at the end of the lists."""
    count = len(kinds)
    everything = list(kinds) + ["output"]
    slots = list(bindings)
    if "texture" in kinds and "sampler" not in kinds:
        everything.append("sampler")
        slots.append(max(slots) + 2)
    register = []
    for i, kind in enumerate(everything):
        register.append("u" if kind == "output" else REGISTER[kind][0 if original else 1])
    # the register each resource lands on: its rank among its class, by slot
    rank = {}
    for cls in "btus":
        members = sorted((slots[i], i) for i in range(len(everything)) if register[i] == cls)
        for position, (_, i) in enumerate(members):
            rank[i] = position
    lines, expressions = [], []
    sampler_name = None
    for i, kind in enumerate(everything):
        if kind == "sampler" and sampler_name is None:
            sampler_name = "r{0}".format(i)
    for i in list(order) + list(range(count, len(everything))):
        kind = everything[i]
        binding = slots[i] if original else BASE[register[i]] + rank[i]
        if kind == "output":
            lines.append("layout(set = 0, binding = {0}) buffer Out {{ uint outputs[]; }};"
                         .format(binding))
            continue
        text, expression = declaration(kind, i, binding, original)
        lines.append(text)
        if i < count:
            expressions.append("    outputs[{0}] = {1};".format(i, expression))
    body = "\n".join(lines) + "\nlayout(local_size_x = 1) in;\nvoid main() {\n" + \
        "\n".join(sorted(expressions)).replace("SAMPLER", sampler_name or "") + "\n}\n"
    source = body if original else "#version 450\n" + body
    resources = [make_resource(kind, 100 + i, original) if kind != "output"
                 else upload_buffer(bytes(4 * max(count, 1)))
                 for i, kind in enumerate(everything)]
    lists = {"cbv": [], "srv": [], "uav": [], "samplers": []}
    for cls in "btus":
        members = sorted((rank[i], i) for i in range(len(everything)) if register[i] == cls)
        lists[LISTS[cls]] = [resources[i] for _, i in members]
    output = resources[everything.index("output")]
    return source, lists, output


def expected(kinds):
    return [0 if kind == "sampler" else 100 + i for i, kind in enumerate(kinds)]


def run(kinds, bindings, order, original):
    source, lists, output = build(kinds, bindings, order, original)
    Compute(glsl.compile(source), **lists).dispatch(1, 1, 1)
    values = struct.unpack("<{0}I".format(len(kinds)), read_buffer(output, 4 * len(kinds)))
    assert list(values) == expected(kinds), source


@st.composite
def layouts(draw):
    kinds = draw(st.lists(st.sampled_from(sorted(REGISTER)), min_size=1, max_size=8))
    # one binding sequence across kinds, with gaps; the output buffer after
    slots = draw(st.lists(st.integers(0, 3 * len(kinds)), min_size=len(kinds),
                          max_size=len(kinds), unique=True))
    order = draw(st.permutations(range(len(kinds))))
    output_slot = draw(st.integers(0, 40))
    while output_slot in slots:
        output_slot += 1
    return kinds, slots + [output_slot], order


@settings(max_examples=400 if LONG else 25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_original_dialect_binds_by_kind_in_binding_order(layout):
    kinds, slots, order = layout
    run(kinds, slots, order, original=True)


@settings(max_examples=400 if LONG else 15, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_project_dialect_uses_binding_numbers_as_written(layout):
    kinds, slots, order = layout
    run(kinds, slots, order, original=False)


def test_every_kind_in_both_dialects():
    kinds = sorted(REGISTER)
    slots = list(range(len(kinds) + 1))
    for original in (True, False):
        run(kinds, slots, range(len(kinds)), original)


def test_original_sampler_example_binds_b0_t0_u0_s0():
    """The layout of the original's test_glsl.py::test_sampler_simple:
    sampler 0, texture 1, image 2, loose uniform 3."""
    from compushady import get_current_device  # noqa: F401 (device exists)
    source = """
layout (local_size_x = 1) in;
layout(set = 0, binding = 0) uniform sampler sampler0;
layout(set = 0, binding = 1) uniform utexture1D source0;
layout(set = 0, binding = 2, r32ui) uniform uimage1D target0;
layout(set = 0, binding = 3) uniform uint multiplier;
void main() {
    imageStore(target0, 0, texelFetch(usampler1D(source0, sampler0), 0, 0) * multiplier);
}
"""
    b0 = make_resource("block", 3, True)
    t0 = make_resource("texture", 7, True)
    u0 = make_resource("image", 0, True)
    s0 = make_resource("sampler", 0, True)
    Compute(glsl.compile(source), cbv=[b0], srv=[t0], uav=[u0], samplers=[s0]).dispatch(1, 1, 1)
    readback = Buffer(u0.size, 2)  # HEAP_READBACK
    u0.copy_to(readback)
    assert struct.unpack("<I", readback.readback(4))[0] == 21


LOOSE_UNIFORM_SOURCES = [
    # a comment and a preprocessor line mentioning `uniform` stay untouched
    ("// uniform float x;\n#define U uniform\n"
     "layout(binding = 0) uniform uint a;\n", ["a"], [1]),
    # a struct type at global scope and a block beside a loose uniform
    ("struct P { uint v; };\nlayout(binding = 1) uniform P a;\n"
     "layout(binding = 0) uniform Blk { uint b; };\n", ["a.v", "b"], [11, 1]),
    # qualifiers before the type, a block comment inside the declaration
    ("layout(binding = 0) uniform highp /* c */ uint a;\n", ["a"], [1]),
    # arrays keep std140's 16-byte stride, as naga's uniform buffers do
    ("layout(binding = 0) uniform uvec4 a[2];\n", ["a[1].x"], [5]),
]


@pytest.mark.parametrize("declarations,reads,expected_values", LOOSE_UNIFORM_SOURCES)
def test_loose_uniforms_become_uniform_buffers(declarations, reads, expected_values):
    """cbv i holds 10 * i + 1, 10 * i + 2, ... (the uniform at the lower
    binding is cbv 0)."""
    source = (declarations + "layout(binding = 9) buffer Out { uint outputs[]; };\n"
              "layout(local_size_x = 1) in;\nvoid main() {\n" +
              "".join("    outputs[{0}] = {1};\n".format(i, r) for i, r in enumerate(reads)) +
              "}\n")
    cbvs = [upload_buffer(struct.pack("<8I", *range(10 * i + 1, 10 * i + 9)), HEAP_UPLOAD)
            for i in range(len(reads))]
    output = upload_buffer(bytes(4 * len(reads)))
    Compute(glsl.compile(source), cbv=cbvs, uav=[output]).dispatch(1, 1, 1)
    values = list(struct.unpack("<{0}I".format(len(reads)), read_buffer(output, 4 * len(reads))))
    assert values == expected_values


def test_original_dialect_errors_keep_line_numbers():
    with pytest.raises(ShaderCompileError, match=r"^shader:4: error: 'nope' : undeclared"):
        glsl.compile("layout(binding = 0) uniform float m;\n"
                     "layout(local_size_x = 1) in;\n"
                     "void main() {\n"
                     "    float x = nope;\n"
                     "}\n")


def test_version_directive_decides_the_dialect():
    """The same storage buffer at binding 0: a UAV (u0) without #version, a
    constant buffer slot (b0) with it, where a storage buffer does not fit."""
    body = ("layout(local_size_x = 1) in;\n"
            "layout(binding = 0) buffer Out { uint v[]; };\n"
            "void main() { v[0] = 5u; }\n")
    output = upload_buffer(bytes(4))
    Compute(glsl.compile(body), uav=[output]).dispatch(1, 1, 1)
    assert struct.unpack("<I", read_buffer(output, 4))[0] == 5
    # a #version in a comment does not count; one on its own line does
    Compute(glsl.compile("// #version 450\n" + body), uav=[output]).dispatch(1, 1, 1)
    with pytest.raises(Exception):
        Compute(glsl.compile("  #  version 450\n" + body), uav=[output])
