"""compushady.shaders.wgsl: the API, the original's binding rules (a WGSL
shader and its HLSL twin bound by the same Python code), the errors (line,
column, the source line with a caret, what was expected; generated classes
of malformed and ill-typed sources) and the command line. The corpus of
shaders run against numpy is test_wgsl_corpus.py."""

import os
import re
import struct
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import compushady
from compushady import (HEAP_DEFAULT, HEAP_READBACK, HEAP_UPLOAD, Buffer, Compute, Sampler,
                        ShaderCompileError, Texture2D, _native)
from compushady.formats import R32G32B32A32_FLOAT, R32_FLOAT
from compushady.shaders import hlsl, wgsl

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "wgsl")

SIMPLE = """
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(1)
fn main() { out[0] = 7u; }
"""


def test_compile_returns_spirv_with_the_entry_point():
    spirv = wgsl.compile(SIMPLE)
    assert struct.unpack("<I", spirv[:4])[0] == 0x07230203
    info = _native.reflect_shader(spirv)
    assert tuple(info["workgroup_size"]) == (1, 1, 1)
    assert [b["binding"] for b in info["bindings"]] == [2048]


def test_compile_accepts_bytes_and_runs():
    out = Buffer(4, HEAP_DEFAULT)
    Compute(wgsl.compile(SIMPLE.encode()), uav=[out]).dispatch(1, 1, 1)
    readback = Buffer(4, HEAP_READBACK)
    out.copy_to(readback)
    assert struct.unpack("<I", readback.readback(4))[0] == 7


def test_entry_point_is_chosen_and_a_missing_one_is_named():
    source = SIMPLE + "\n@compute @workgroup_size(4, 2)\nfn other() { out[1] = 1u; }\n"
    info = _native.reflect_shader(wgsl.compile(source, "other"))
    assert tuple(info["workgroup_size"]) == (4, 2, 1)
    with pytest.raises(ShaderCompileError, match=r"entry point 'nope' not found.*'main', 'other'"):
        wgsl.compile(source, "nope")


# >>bindings: the naga path's numbering, shared with the HLSL twin ------------

MIXED_WGSL = """
@group(0) @binding(5) var<storage, read_write> result: array<vec4<f32>>;
@group(0) @binding(0) var smp: sampler;
@group(0) @binding(3) var<uniform> scale: vec4<f32>;
@group(0) @binding(1) var tex: texture_2d<f32>;
@group(0) @binding(2) var<storage, read> offsets: array<vec4<f32>>;
@group(0) @binding(4) var img: texture_storage_2d<r32float, write>;

@compute @workgroup_size(2, 2)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let uv = (vec2<f32>(id.xy) + 0.5) / 2.0;
    let c = textureSampleLevel(tex, smp, uv, 0.0) * scale + offsets[id.y * 2u + id.x];
    result[id.y * 2u + id.x] = c;
    textureStore(img, id.xy, vec4(c.x + c.y, 0.0, 0.0, 1.0));
}
"""

MIXED_HLSL = """
SamplerState smp : register(s0);
Texture2D<float4> tex : register(t0);
StructuredBuffer<float4> offsets : register(t1);
cbuffer Scale : register(b0) { float4 scale; };
RWTexture2D<float> img : register(u0);
RWStructuredBuffer<float4> result : register(u1);

[numthreads(2, 2, 1)]
void main(uint3 id : SV_DispatchThreadID) {
    float2 uv = (float2(id.xy) + 0.5) / 2.0;
    float4 c = tex.SampleLevel(smp, uv, 0) * scale + offsets[id.y * 2 + id.x];
    result[id.y * 2 + id.x] = c;
    img[id.xy] = c.x + c.y;
}
"""


def run_mixed(spirv):
    texels = np.arange(16, dtype=np.float32).reshape(2, 2, 4) / 16
    tex = Texture2D(2, 2, R32G32B32A32_FLOAT)
    staging = Buffer(tex.size, HEAP_UPLOAD)
    staging.upload2d(texels.tobytes(), tex.row_pitch, 2, 2, 16)
    staging.copy_to(tex)
    scale = Buffer(16, HEAP_UPLOAD)
    scale.upload(np.array([2, 3, 4, 5], np.float32).tobytes())
    offsets = Buffer(64, HEAP_UPLOAD)
    offsets.upload(np.arange(16, dtype=np.float32).tobytes())
    result = Buffer(64, HEAP_DEFAULT, stride=16)
    img = Texture2D(2, 2, R32_FLOAT)
    sampler = Sampler(compushady.SAMPLER_ADDRESS_MODE_CLAMP, compushady.SAMPLER_ADDRESS_MODE_CLAMP,
                      compushady.SAMPLER_ADDRESS_MODE_CLAMP, compushady.SAMPLER_FILTER_POINT,
                      compushady.SAMPLER_FILTER_POINT)
    # the same Python code for both shaders
    Compute(spirv, cbv=[scale], srv=[tex, offsets], uav=[img, result],
            samplers=[sampler]).dispatch(1, 1, 1)
    readback = Buffer(64, HEAP_READBACK)
    result.copy_to(readback)
    image = Buffer(img.size, HEAP_READBACK)
    img.copy_to(image)
    return (np.frombuffer(readback.readback(64), np.float32),
            np.frombuffer(image.readback2d(img.row_pitch, 2, 2, 4), np.float32))


def test_wgsl_and_its_hlsl_twin_bind_and_compute_alike():
    wgsl_spirv = wgsl.compile(MIXED_WGSL)
    bindings = sorted(b["binding"] for b in _native.reflect_shader(wgsl_spirv)["bindings"])
    # (group, binding) order, numbered per kind: s0, t0, t1, b0, u0, u1
    assert bindings == [0, 1024, 1025, 2048, 2049, 3072]
    ours = run_mixed(wgsl_spirv)
    twin = run_mixed(hlsl.compile(MIXED_HLSL))
    texels = np.arange(16, dtype=np.float32).reshape(4, 4) / 16
    expected = texels * np.array([2, 3, 4, 5]) + np.arange(16).reshape(4, 4)
    np.testing.assert_allclose(ours[0], expected.ravel(), rtol=1e-6)
    np.testing.assert_allclose(ours[0], twin[0], rtol=1e-6)
    np.testing.assert_allclose(ours[1], twin[1], rtol=1e-6)


def test_groups_come_after_one_another_in_each_kind():
    source = """
@group(1) @binding(0) var<storage, read_write> c: array<u32>;
@group(0) @binding(7) var<storage, read_write> b: array<u32>;
@group(0) @binding(2) var<storage, read_write> a: array<u32>;
@compute @workgroup_size(1) fn main() { a[0] = 1u; b[0] = 2u; c[0] = 3u; }
"""
    buffers = [Buffer(4, HEAP_DEFAULT) for _ in range(3)]
    Compute(wgsl.compile(source), uav=buffers).dispatch(1, 1, 1)
    values = []
    for buffer in buffers:
        readback = Buffer(4, HEAP_READBACK)
        buffer.copy_to(readback)
        values.append(struct.unpack("<I", readback.readback(4))[0])
    assert values == [1, 2, 3]


# >>errors -----------------------------------------------------------------------

def error_of(source, entry="main"):
    with pytest.raises(ShaderCompileError) as info:
        wgsl.compile(source, entry)
    return str(info.value)


def where(message):
    match = re.match(r"shader:(\d+):(\d+): error: (.*)\n  (.*)\n  ( *\^)$", message, re.S)
    assert match, message
    return int(match.group(1)), int(match.group(2)), match.group(3), match.group(4), match.group(5)


HEAD = "@group(0) @binding(0) var<storage, read_write> out: array<u32>;\n"

# (body of main, the text the error points at, what the message says)
BAD_BODIES = [
    ("let x: u32 = 1.5;", "1.5", r"has type 'abstract-float', expected 'u32'"),
    ("let x: i32 = 1u;", "1u", r"has type 'u32', expected 'i32'"),
    ("var x = 1; x = 2u;", "2u", r"has type 'u32', expected 'i32'"),
    ("let x = 1; x = 2;", "x = 2", r"cannot assign to 'x'"),
    ("out[0] = 1.0;", "1.0", r"expected 'u32'"),
    ("let v = vec3<f32>(1.0, 2.0);", "vec3<f32>(1.0", r"needs 3 components, got 2"),
    ("let v = vec2(1.0, 2.0).xyz;", "xyz", r"invalid swizzle"),
    ("let y = undefined_name + 1;", "undefined_name", r"unknown identifier 'undefined_name'"),
    ("let y = frobnicate(1);", "frobnicate", r"unknown function 'frobnicate'"),
    ("let y = 1u + 1i;", "1i", r"does not match"),
    ("let y = 3000000000i;", "3000000000i", r"does not fit in i32"),
    ("let y: i32 = 3000000000;", "3000000000", r"does not fit in i32"),
    ("let y = 1 << 40;", "<< 40", r"1099511627776 does not fit in i32"),
    ("let y = 1u << 40u;", "<<", r"shift by 40"),
    ("let y = 5 / 0;", "/", r"division by zero"),
    ("let y = true + 1;", "1;", r"does not match"),
    ("if 1 { }", "1", r"expected 'bool'"),
    ("while 1u { }", "1u", r"expected 'bool'"),
    ("break;", "break", r"outside of a loop or switch"),
    ("continue;", "continue", r"outside of a loop"),
    ("return 1;", "1", r"returns no value"),
    ("discard;", "discard", r"only allowed in fragment shaders"),
    ("let y = dpdx(1.0);", "dpdx", r"only available in fragment shaders"),
    ("switch 1 { case 1: { } }", "switch", r"exactly one 'default'"),
    ("switch 1 { case 1, 1: { } default: { } }", "1:", r"appears twice"),
    ("let m = mat2x2<f32>(1.0, 2.0, 3.0);", "mat2x2<f32>(", r"2 column vectors or 4 scalars"),
    ("let a = array<i32, 2>(1, 2, 3);", "array<i32, 2>(", r"needs 2 elements, got 3"),
    ("var a: array<i32, 4>; let y = a[4];", "4]", r"index 4 is out of bounds"),
    ("let y = select(1, 2, 3);", "3)", r"condition must be bool"),
    ("let y = abs(true);", "true", r"needs a number"),
    ("let y = atomicAdd(&out[0], 1u);", "&out[0]", r"pointer to an atomic"),
    ("loop { continuing { break; } }", "break", r"not allowed in a continuing block"),
    ("let p = &1;", "&", r"needs a variable"),
    ("var x: i32; let y = *x;", "*", r"needs a pointer"),
    ("let y = vec4<bool>(true) + vec4<bool>(false);", "+", r"not defined for"),
    ("let y = 1 & 2 | 3;", "|", r"without parentheses"),
    ("let y = out;", "out", r"cannot hold"),
    ("let y = textureSample(1, 2, 3);", "textureSample", r"use textureSampleLevel"),
    ("let x = 1\n;let z = ;", ";", r"expected an expression"),
    ("let x = (1 + 2;", ";", r"expected '\)'"),
    ("let x = 08;", "08", r"leading zero"),
    ("let x = 1.0e999;", "1.0e999", r"out of range"),
    ("let x = 1 # 2;", "#", r"unexpected character '#'"),
    ("let __x = 1;", "__x", r"starts with '__'"),
    ("let x: vec3<bool> = vec3(1, 2, 3);", "vec3(1", r"expected 'vec3<bool>'"),
    ("let x: ptr<function, i32> = 5;", "5", r"expected 'ptr<function, i32>'"),
]


@pytest.mark.parametrize("body,at,message", BAD_BODIES)
def test_bad_source_names_line_column_and_expectation(body, at, message):
    source = HEAD + "@compute @workgroup_size(1)\nfn main() {\n    " + body + "\n}\n"
    line, column, text, source_line, caret = where(error_of(source))
    assert re.search(message, text), text
    lines = source.split("\n")
    # the reported line is the source line shown, and the caret column points
    # at the offending text
    assert lines[line - 1].startswith(source_line.rstrip()[:40]) or source_line == lines[line - 1]
    assert lines[line - 1][column - 1:].startswith(at), (lines[line - 1], column, at)
    assert len(caret) == column


BAD_MODULES = [
    ("var<storage> x: array<u32>;\n@compute @workgroup_size(1) fn main() { }",
     1, 14, r"needs @group\(n\) and @binding\(n\)"),
    ("@group(0) @binding(0) var<uniform> x: array<u32>;\n@compute @workgroup_size(1) fn main() { }",
     1, 36, r"runtime-sized array"),
    ("@group(0) @binding(0) var<storage, read> x: array<u32>;\n"
     "@compute @workgroup_size(1) fn main() { x[0] = 1u; }", 2, 42, r"read-only"),
    ("@compute fn main() { }", 1, 13, r"needs @workgroup_size"),
    ("@compute @workgroup_size(0) fn main() { }", 1, 26, r"at least 1"),
    ("@compute @workgroup_size(1) fn main(x: u32) { }", 1, 37, r"needs @builtin"),
    ("@compute @workgroup_size(1) fn main(@builtin(position) p: vec4<f32>) { }", 1, 46,
     r"non-compute built-in value 'position'"),
    ("@compute @workgroup_size(1) fn main(@builtin(local_invocation_index) i: i32) { }", 1, 70,
     r"must have type 'u32'"),
    ("struct S { a: f32, a: f32 }\n@compute @workgroup_size(1) fn main() { }", 1, 20,
     r"two members named 'a'"),
    ("struct S { a: array<f32>, b: f32 }\n@compute @workgroup_size(1) fn main() { }", 1, 12,
     r"must be the last member"),
    ("fn f() -> i32 { if true { return 1; } }\n@compute @workgroup_size(1) fn main() { }", 1, 4,
     r"must return a 'i32' on every path"),
    ("fn f() { f(); }\n@compute @workgroup_size(1) fn main() { f(); }", 1, 10, r"recursion"),
    ("fn f() { g(); }\nfn g() { f(); }\n@compute @workgroup_size(1) fn main() { f(); }", 1, 4,
     r"call cycle"),
    ("const a = b;\nconst b = a;\n@compute @workgroup_size(1) fn main() { }", 1, 7,
     r"depends on itself"),
    ("@vertex fn main() { }", 1, 2, r"@vertex entry points are not supported"),
    ("alias T = vec3<f33>;\n@compute @workgroup_size(1) fn main() { }", 1, 16, r"unknown type 'f33'"),
    ("@group(0) @binding(0) var t: texture_storage_2d<rgb8unorm, write>;\n"
     "@compute @workgroup_size(1) fn main() { }", 1, 49, r"unknown texel format 'rgb8unorm'"),
    ("var<private> x: f16;\n@compute @workgroup_size(1) fn main() { }", 1, 17, r"enable f16"),
    ("enable chromium_experimental;\n@compute @workgroup_size(1) fn main() { }", 1, 8,
     r"unsupported extension"),
    ("override n: u32;\n@compute @workgroup_size(1) fn main() { }", 1, 10,
     r"override 'n' has no value: give it a constant default, or a value through the API"),
    ("@group(0) @binding(0) var<storage, read_write> a: array<u32>;\n"
     "@group(0) @binding(0) var<storage, read_write> b: array<u32>;\n"
     "@compute @workgroup_size(1) fn main() { }", 2, 48, r"uses @group\(0\) @binding\(0\) like 'a'"),
    ("const_assert 1 > 2;\n@compute @workgroup_size(1) fn main() { }", 1, 16, r"const_assert failed"),
    ("/* unterminated\n@compute @workgroup_size(1) fn main() { }", 1, 1, r"unterminated block comment"),
    ("@compute @workgroup_size(1) fn main() {", 1, 40, r"end of the source: expected '}'"),
    ("fn vec3() { }\n@compute @workgroup_size(1) fn main() { }", 1, 4, r"predeclared"),
]


@pytest.mark.parametrize("source,line,column,message", BAD_MODULES)
def test_bad_module_names_line_column_and_expectation(source, line, column, message):
    got_line, got_column, text, source_line, caret = where(error_of(source))
    assert re.search(message, text), text
    assert (got_line, got_column) == (line, column), text
    assert source_line == source.split("\n")[line - 1][:200]
    assert len(caret) == column


TYPES = {
    "i32": ("1i", "-7i"), "u32": ("1u", "9u"), "f32": ("1.0f", "0.5f"), "bool": ("true", "false"),
    "vec2<f32>": ("vec2<f32>(1.0)", "vec2f(0.0, 1.0)"), "vec3<i32>": ("vec3<i32>(1)", "vec3i()"),
    "vec4<u32>": ("vec4<u32>(2u)", "vec4u()"), "mat2x2<f32>": ("mat2x2<f32>()", "mat2x2f()"),
    "array<i32, 2>": ("array<i32, 2>(1i, 2i)", "array<i32, 2>()"),
}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(TYPES)), st.sampled_from(sorted(TYPES)), st.integers(0, 1),
       st.integers(0, 6))
def test_generated_type_mismatches_point_at_the_initializer(declared, given_type, which, indent):
    if declared == given_type:
        return
    value = TYPES[given_type][which]
    prefix = " " * indent + "let x: " + declared + " = "
    source = ("@compute @workgroup_size(1)\nfn main() {\n" + prefix + value + ";\n}\n")
    line, column, text, _, _ = where(error_of(source))
    assert (line, column) == (3, len(prefix) + 1), text
    assert "expected '" + declared + "'" in text


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(f for f in os.listdir(CORPUS) if f.endswith(".wgsl"))),
       st.data())
def test_truncated_or_corrupted_corpus_sources_fail_cleanly(name, data):
    """Any prefix, or a copy with one character replaced, either compiles or
    fails with an error that names a position inside the source."""
    with open(os.path.join(CORPUS, name)) as f:
        source = f.read()
    if data.draw(st.booleans()):
        source = source[:data.draw(st.integers(0, len(source)))]
    else:
        at = data.draw(st.integers(0, len(source) - 1))
        source = source[:at] + data.draw(st.sampled_from(list("(){}[]<>;:,.=+-*/&|!@#1aZ_ \n"))) + \
            source[at + 1:]
    try:
        wgsl.compile(source, "second" if name == "multiple_entry_points.wgsl" else "main")
    except ShaderCompileError as error:
        message = str(error)
        if not source:
            assert "source is empty" in message
            return
        assert "internal error" not in message, message
        line, column, _, _, _ = where(message)
        assert 1 <= line <= source.count("\n") + 1


@pytest.mark.parametrize("depth", [129, 1000, 100000])
@pytest.mark.parametrize("shape", ["(", "- ", "{", "array<", "if true {", "a+", "[0]", "call("])
def test_deep_nesting_is_an_error_not_a_crash(shape, depth):
    if shape == "{":
        body = "{" * depth + "}" * depth
    elif shape == "if true {":
        body = "if true {" * depth + "}" * depth
    elif shape == "(":
        body = "let x = " + "(" * depth + "1" + ")" * depth + ";"
    elif shape == "- ":
        body = "let x = " + "- " * depth + "1;"
    elif shape == "array<":
        body = "var x: " + "array<" * depth + "f32" + ", 1>" * depth + ";"
    elif shape == "a+":
        body = "let x = " + "1+" * depth + "1;"
    elif shape == "[0]":
        body = "var a: array<f32, 1>; let x = a" + "[0]" * depth + ";"
    else:
        body = "let x = " + "abs(" * depth + "1" + ")" * depth + ";"
    source = "@compute @workgroup_size(1)\nfn main() {\n" + body + "\n}\n"
    message = error_of(source)
    line, column, text, _, _ = where(message)
    assert line == 3 and re.search(r"too deep|nested too deeply|cannot be indexed", text), text


def test_huge_source_is_refused_with_the_limit():
    with pytest.raises(ShaderCompileError, match=r"more than this compiler's limit"):
        wgsl.compile("//" + "x" * (1 << 20) + "\n")


# >>features that compile (texture kinds, f16, overrides, statements) -------

FEATURES = {}
FEATURES["texture_arrays"] = """
@group(0) @binding(0) var s: sampler;
@group(0) @binding(1) var ta: texture_2d_array<f32>;
@group(0) @binding(2) var tc: texture_cube<f32>;
@group(0) @binding(3) var td: texture_depth_2d;
@group(0) @binding(4) var sc: sampler_comparison;
@group(0) @binding(5) var t1: texture_1d<i32>;
@group(0) @binding(6) var tm: texture_multisampled_2d<f32>;
@group(0) @binding(7) var st: texture_storage_2d_array<rgba16float, write>;
@group(0) @binding(8) var s3: texture_storage_3d<rgba8uint, read>;
@group(0) @binding(9) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(10) var tx: texture_2d<f32>;
@compute @workgroup_size(1)
fn main() {
    var v = textureSampleLevel(ta, s, vec2(0.5), 1, 0.0);
    v += textureSampleLevel(tc, s, vec3(0.0, 1.0, 0.0), 0.0);
    v += textureSampleLevel(ta, s, vec2(0.5), 0u, 0.0, vec2(1, 0));
    let d = textureSampleCompareLevel(td, sc, vec2(0.5), 0.5);
    let dl = textureSampleLevel(td, s, vec2(0.5), 0);
    let l = textureLoad(t1, 0, 0);
    let m = textureLoad(tm, vec2(0, 0), 1);
    let dims = textureDimensions(ta, 0u) + textureDimensions(tc);
    let n = textureNumLayers(ta) + textureNumLevels(tc) + textureNumSamples(tm) + textureNumLayers(st);
    textureStore(st, vec2(0u, 0u), 0, v);
    let u = textureLoad(s3, vec3(0, 0, 0));
    let g = textureSampleGrad(ta, s, vec2(0.5), 0, vec2(0.1), vec2(0.1));
    let ga = textureGather(2, ta, s, vec2(0.5), 1u, vec2(1, -1)) + textureGather(td, s, vec2(0.5));
    let t2 = textureSampleBaseClampToEdge(tx, s, vec2(2.0, -1.0));
    out[0] = v + vec4(d + dl, f32(l.x), f32(dims.x + n + u.x), m.x) + g + ga + t2;
}
"""
FEATURES["workgroup_pointers_and_structs"] = """
struct Bucket { count: atomic<u32>, sum: atomic<i32> }
var<workgroup> buckets: array<Bucket, 4>;
var<workgroup> tile: array<f32, 16>;
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
fn fill(p: ptr<workgroup, array<f32, 16>>, i: u32) { (*p)[i] = f32(i); }
@compute @workgroup_size(16)
fn main(@builtin(local_invocation_index) i: u32) {
    atomicAdd(&buckets[i % 4u].count, 1u);
    atomicMax(&buckets[i % 4u].sum, i32(i));
    fill(&tile, i);
    workgroupBarrier();
    out[i] = atomicLoad(&buckets[i % 4u].count) + u32(tile[15u - i]);
    _ = out[0];
    _ = i;
}
"""
FEATURES["matrix_ops"] = """
@group(0) @binding(0) var<storage, read_write> out: array<mat3x3<f32>>;
@compute @workgroup_size(1)
fn main() {
    let a = mat3x3<f32>(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0);
    let b = a * 2.0 + a - a * a;
    let c = mat2x3<f32>(vec3(1.0), vec3(2.0)) * mat2x2f(1.0, 0.0, 0.0, 1.0);
    var m = b;
    m[1] = vec3(0.0);
    m[2][1] = 5.0;
    out[0] = m * transpose(a);
    out[1] = mat3x3f(c[0], c[1], cross(c[0], c[1]));
}
"""
FEATURES["f16_math"] = """
enable f16;
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(1)
fn main() {
    let a: f16 = 1.5h;
    let v = vec3<f16>(a, 2.0h, 0.25h);
    let w = v * 2.0 + vec3h(1);
    out[0] = f32(w.x + dot(v, w));
}
"""
FEATURES["misc_statements"] = """
diagnostic(off, derivative_uniformity);
requires readonly_and_readwrite_storage_textures;
@group(0) @binding(0) var<storage, read_write> out: array<i32>;
const_assert 2 > 1;
fn noop() {}
fn pick(b: bool) -> i32 { if (b) { return 1; } else { return 2; } }
@compute @workgroup_size(1)
fn main() {
    const_assert 1 < 2;
    noop();
    var a = array<i32, 3>();
    let b = a;
    var i = 0;
    loop {
        i++;
        if i > 3 { break; }
    }
    for (;;) { break; }
    for (var k = 0; ; k++) { if k == 2 { break; } }
    switch (i) { default: { } }
    switch i { case 4, default { out[1] = 1; } }
    out[0] = b[1] + pick(true) + i;
    let t = true;
    let f = !t;
    out[2] = select(0, 1, (t && !f) || false);
    var bv = vec2(true, false);
    bv = !bv;
    out[3] = i32(all(bv == vec2(false, true)));
}
"""
FEATURES["integer_vectors_and_conversions"] = """
@group(0) @binding(0) var<storage, read_write> out: array<vec4<i32>>;
@compute @workgroup_size(1)
fn main() {
    let a = vec4<i32>(-7, 7, 3, -3);
    let b = vec4(2, -2, 0, 0);
    out[0] = a / b + a % b;
    out[1] = vec4<i32>(vec4<f32>(a) * 0.5);
    out[2] = bitcast<vec4<i32>>(vec4<u32>(a) >> vec4(1u));
    out[3] = (-a * a + (a & b) - (a | b)) ^ (~b);
    out[4] = vec4<i32>(vec4<bool>(true, false, true, false));
    let u = vec2<u32>(5u, 6u);
    out[5] = vec4(vec2<i32>(u << vec2(1u, 2u)), i32(u.x % 0u), i32(-5 % 3));
}
"""
FEATURES["runtime_struct_array_of_structs"] = """
struct Light { color: vec3<f32>, intensity: f32 }
struct Lights { count: u32, lights: array<Light> }
@group(0) @binding(0) var<storage, read> lights: Lights;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;
@compute @workgroup_size(1)
fn main() {
    var acc = vec3(0.0);
    for (var i = 0u; i < lights.count; i++) {
        let l = lights.lights[i];
        acc += l.color * l.intensity;
    }
    out[0] = vec4(acc, f32(arrayLength(&lights.lights)));
}
"""
FEATURES["override_id_workgroup"] = """
@id(3) override X: i32 = 4;
override Y = 2;
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(X, Y)
fn main(@builtin(local_invocation_index) i: u32) { out[i] = u32(X + Y); }
"""
FEATURES["atomics_i32_and_cmpxchg_loop"] = """
@group(0) @binding(0) var<storage, read_write> v: atomic<i32>;
@group(0) @binding(1) var<storage, read_write> m: array<atomic<u32>, 2>;
@compute @workgroup_size(8)
fn main() {
    var old = atomicLoad(&v);
    loop {
        let r = atomicCompareExchangeWeak(&v, old, old + 3);
        if r.exchanged { break; }
        old = r.old_value;
    }
    atomicMin(&m[0], 5u);
    atomicXor(&m[1], 1u);
}
"""
FEATURES["module_scope_ordering"] = """
@compute @workgroup_size(1)
fn main() { out[0] = helper(K); }
fn helper(x: u32) -> u32 { return x + S(1u).a; }
const K = 3u;
struct S { a: u32 }
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
"""


@pytest.mark.parametrize("name", sorted(FEATURES))
def test_feature_compiles_to_valid_spirv(name):
    spirv = wgsl.compile(FEATURES[name])
    info = _native.reflect_shader(spirv)
    assert info["entry_point"] == "main"


def test_texture_kinds_reflect_as_their_registers():
    info = _native.reflect_shader(wgsl.compile(FEATURES["texture_arrays"]))
    kinds = {b["binding"]: b for b in info["bindings"]}
    assert sorted(kinds) == [1024, 1025, 1026, 1027, 1028, 1029, 2048, 2049, 2050, 3072, 3073]
    assert kinds[2049]["read_only"]


def test_override_workgroup_size_defaults():
    info = _native.reflect_shader(wgsl.compile(FEATURES["override_id_workgroup"]))
    assert tuple(info["workgroup_size"]) == (4, 2, 1)


# >>command line ------------------------------------------------------------------

def test_cli_compiles_a_wgsl_file(tmp_path):
    path = tmp_path / "shader.wgsl"
    path.write_text(SIMPLE)
    result = subprocess.run([sys.executable, "-m", "compushady", "compile", str(path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "shader.spv").read_bytes()[:4] == struct.pack("<I", 0x07230203)
    result = subprocess.run([sys.executable, "-m", "compushady", "compile", str(path), "--reflect"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert re.search(r"u0 +2048", result.stdout), result.stdout


def test_cli_reports_wgsl_errors_with_the_file_name(tmp_path):
    path = tmp_path / "bad.wgsl"
    path.write_text("@compute @workgroup_size(1)\nfn main() {\n    let x: u32 = -1;\n}\n")
    result = subprocess.run([sys.executable, "-m", "compushady", "compile", str(path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert str(path) + ":3:18: error:" in result.stderr, result.stderr
    assert "                 ^" in result.stderr


# >>what is not supported says so (docs/wgsl.md lists the same) ---------------

UNSUPPORTED = [
    ("@vertex fn main() { }", r"@vertex entry points are not supported"),
    ("@compute @workgroup_size(1) fn main() { let x = textureGatherCompare(1); }",
     r"unknown function 'textureGatherCompare'"),
    ("@compute @workgroup_size(1) fn main() { let x = dpdx(1.0); }",
     r"'dpdx' is only available in fragment shaders"),
    ("override X: u32 = 2;\n@compute @workgroup_size(X * 2u) fn main() { }",
     r"workgroup size must be a constant or an override"),
    ("const r = sqrt(2.0);\n@compute @workgroup_size(1) fn main() { }",
     r"initializer of const 'r' must be a constant expression"),
    ("@compute @workgroup_size(1) fn main() { let caf\u00e9 = 1; }", r"ASCII identifiers only"),
    ("fn min() {}\n@compute @workgroup_size(1) fn main() { }", r"predeclared"),
    ("var<workgroup> a: atomic<u32>;\nfn f(p: ptr<workgroup, atomic<u32>>) { }\n"
     "@compute @workgroup_size(1) fn main() { f(&a); }", r"cannot be function parameters"),
    ("struct I { @builtin(global_invocation_id) id: vec3<u32> }\n"
     "@compute @workgroup_size(1) fn main(v: I) { }", r"needs @builtin"),
    ("enable f16;\n@compute @workgroup_size(1) fn main() { let x = bitcast<u32>(vec3<f16>()); }",
     r"bitcast from 'vec3<f16>' to 'u32' is not supported"),
    ("enable subgroups;\n@compute @workgroup_size(1) fn main() { }", r"unsupported extension"),
    ("@group(0) @binding(0) var t: texture_storage_2d<r32uint, read>;\n"
     "fn f(x: texture_storage_2d<r32uint, read>) { }\n@compute @workgroup_size(1) fn main() { f(t); }",
     r"a storage texture .* cannot be a function parameter"),
]


@pytest.mark.parametrize("source,message", UNSUPPORTED)
def test_unsupported_features_say_so(source, message):
    line, column, text, _, _ = where(error_of(source))
    assert re.search(message, text), text


# >>override values through the API -----------------------------------------

def run_overrides(constants, groups):
    with open(os.path.join(CORPUS, "override_constants.wgsl")) as f:
        spirv = wgsl.compile(f.read(), constants=constants)
    out = Buffer(64 * 4, HEAP_DEFAULT)
    Compute(spirv, uav=[out]).dispatch(*groups)
    readback = Buffer(64 * 4, HEAP_READBACK)
    out.copy_to(readback)
    return spirv, np.frombuffer(readback.readback(64 * 4), np.float32)


def test_overrides_take_values_by_name_and_id():
    spirv, values = run_overrides({"BLOCK": 16, "GAIN": 0.5}, (4, 1, 1))
    assert tuple(_native.reflect_shader(spirv)["workgroup_size"]) == (16, 1, 1)
    np.testing.assert_array_equal(values, np.arange(64) * 0.5)
    _, values = run_overrides({"BLOCK": 64, "7": False}, (1, 1, 1))
    np.testing.assert_array_equal(values, np.arange(64))


def test_override_without_default_needs_a_value():
    source = "override N: u32;\n@group(0) @binding(0) var<storage, read_write> o: array<u32>;\n" \
             "@compute @workgroup_size(1) fn main() { o[0] = N; }"
    assert wgsl.compile(source, constants={"N": 3})[:4] == struct.pack("<I", 0x07230203)
    with pytest.raises(ShaderCompileError, match=r"shader:1:10: error: override 'N' has no value"):
        wgsl.compile(source)


@pytest.mark.parametrize("constants,message", [
    ({"NOPE": 1}, r"the constant 'NOPE' given through the API names no override"),
    ({"BLOCK": 1.5}, r"override 'BLOCK' is u32: the value 1.5 given for it does not fit"),
    ({"BLOCK": -1}, r"override 'BLOCK' is u32: the value -1 given"),
    ({"USE_GAIN": 2}, r"override 'USE_GAIN' is bool: the value 2 given"),
    ({"GAIN": 1e300}, r"override 'GAIN' is f32"),
])
def test_bad_override_values_are_compile_errors(constants, message):
    with open(os.path.join(CORPUS, "override_constants.wgsl")) as f:
        source = f.read()
    with pytest.raises(ShaderCompileError, match=message):
        wgsl.compile(source, constants=constants)


def test_constants_must_be_a_dict_of_numbers():
    with pytest.raises(TypeError, match=r"constants must be a dict of WGSL override values"):
        wgsl.compile(SIMPLE, constants=[1])
    with pytest.raises(TypeError, match=r"constants keys must be override names \(str\), got int"):
        wgsl.compile(SIMPLE, constants={1: 2})
    with pytest.raises(TypeError):
        wgsl.compile(SIMPLE, constants={"x": "y"})


def test_bgra8unorm_storage_texture_writes_in_bgra_order():
    from compushady.formats import B8G8R8A8_UNORM
    source = """
@group(0) @binding(0) var img: texture_storage_2d<bgra8unorm, write>;
@compute @workgroup_size(2, 2)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    textureStore(img, id.xy, vec4(1.0, 0.2, 0.0, 1.0));
}
"""
    texture = Texture2D(2, 2, B8G8R8A8_UNORM)
    device = compushady.get_current_device()
    if not device.get_format_support(B8G8R8A8_UNORM) & compushady.FORMAT_SUPPORT_TEXTURE_UAV:
        with pytest.raises(compushady.ComputeException,
                           match="register u0: format B8G8R8A8_UNORM is not supported as a read-write texture"):
            Compute(wgsl.compile(source), uav=[texture])
        pytest.skip("device '{0}' does not support B8G8R8A8_UNORM as a read-write texture "
                    "(get_format_support)".format(device.name))
    Compute(wgsl.compile(source), uav=[texture]).dispatch(1, 1, 1)
    readback = Buffer(texture.size, HEAP_READBACK)
    texture.copy_to(readback)
    # 0.2 * 255 = 51 exactly: no rounding rule of the driver's matters
    assert readback.readback2d(texture.row_pitch, 2, 2, 4) == bytes([0, 51, 0xFF, 0xFF]) * 4


@pytest.mark.skipif(not getattr(compushady.get_current_device(), "supports_float16", False),
                    reason="the device lacks shaderFloat16")
def test_f16_in_storage_buffers_uses_wgsl_layout():
    source = """
enable f16;
struct S { a: f16, b: vec2<f16>, c: f32 }   // a@0, b@4, c@8
@group(0) @binding(0) var<storage, read> inp: array<f16>;
@group(0) @binding(1) var<storage, read_write> out: array<f16>;
@group(0) @binding(2) var<storage, read_write> s: S;
@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    out[id.x] = inp[id.x] * 2.0h + 0.5h;
    if (id.x == 0u) { s.a = 1.5h; s.b = vec2h(2.0, 3.0); s.c = 4.0; }
}
"""
    values = Buffer(8, HEAP_UPLOAD)
    values.upload(np.array([1, 2, 3, 4], np.float16).tobytes())
    out = Buffer(8, HEAP_DEFAULT)
    s = Buffer(16, HEAP_DEFAULT)
    Compute(wgsl.compile(source), srv=[values], uav=[out, s]).dispatch(1, 1, 1)
    readback = Buffer(16, HEAP_READBACK)
    out.copy_to(readback)
    np.testing.assert_array_equal(np.frombuffer(readback.readback(8), np.float16), [2.5, 4.5, 6.5, 8.5])
    s.copy_to(readback)
    raw = readback.readback(16)
    assert np.frombuffer(raw[0:2], np.float16)[0] == 1.5
    np.testing.assert_array_equal(np.frombuffer(raw[4:8], np.float16), [2, 3])
    assert np.frombuffer(raw[8:12], np.float32)[0] == 4.0


@pytest.mark.skipif(not getattr(compushady.get_current_device(), "supports_float16", False),
                    reason="the device lacks shaderFloat16")
def test_f16_bitcasts_keep_the_bits():
    source = """
enable f16;
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(1)
fn main() {
    out[0] = bitcast<u32>(vec2<f16>(1.0h, -2.0h));
    let f = bitcast<f32>(vec2<f16>(0.5h, 0.25h));
    out[1] = bitcast<u32>(f);
    let four = bitcast<vec2<i32>>(vec4<f16>(1.0h, 2.0h, 3.0h, 4.0h));
    out[2] = u32(four.x);
    out[3] = u32(four.y);
    let back = bitcast<vec4<f16>>(vec2<u32>(out[2], out[3]));
    out[4] = u32(back.w * 10.0h);
    out[5] = u32(bitcast<vec2<f16>>(0x40003c00u).y);
    out[5] += u32(bitcast<f32>(0x3f800000u)) * 100u;   // a constant: 1.0
}
"""
    out = Buffer(24, HEAP_DEFAULT)
    Compute(wgsl.compile(source), uav=[out]).dispatch(1, 1, 1)
    readback = Buffer(24, HEAP_READBACK)
    out.copy_to(readback)
    got = list(np.frombuffer(readback.readback(24), np.uint32))
    halves = lambda *v: [int(x) for x in np.array(v, np.float16).view(np.uint32)]
    assert got[0] == halves(1.0, -2.0)[0]
    assert got[1] == halves(0.5, 0.25)[0]
    assert got[2:4] == halves(1.0, 2.0, 3.0, 4.0)
    assert got[4:6] == [40, 102]


def test_constant_bitcasts_keep_the_bits():
    source = """
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
const PI_BITS = 0x40490fdbu;
@compute @workgroup_size(1)
fn main() {
    out[0] = u32(bitcast<f32>(PI_BITS) * 1000.0);
    out[1] = bitcast<u32>(bitcast<i32>(0xffffffffu) - 1);
    out[2] = bitcast<u32>(1.0);
    out[3] = bitcast<vec2<u32>>(vec2(-1.0, 2.0)).y;
}
"""
    out = Buffer(16, HEAP_DEFAULT)
    Compute(wgsl.compile(source), uav=[out]).dispatch(1, 1, 1)
    readback = Buffer(16, HEAP_READBACK)
    out.copy_to(readback)
    assert list(np.frombuffer(readback.readback(16), np.uint32)) == [3141, 0xFFFFFFFE, 0x3F800000, 0x40000000]


def test_sampled_textures_and_samplers_as_function_parameters():
    from compushady.formats import R32_UINT
    source = """
@group(0) @binding(0) var src: texture_storage_2d<r32uint, read>;
@group(0) @binding(1) var dst: texture_storage_2d<r32uint, write>;
@group(0) @binding(2) var lut: texture_2d<u32>;
@group(0) @binding(3) var smp: sampler;
fn get(p: vec2<u32>) -> u32 { return textureLoad(src, p).x; }
fn put(p: vec2<u32>, v: u32) { textureStore(dst, p, vec4(v)); }
fn bias(t: texture_2d<u32>, s: sampler) -> u32 { return textureLoad(t, vec2(0), 0).x; }
@compute @workgroup_size(2, 2)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    put(id.xy, get(id.xy) * 2u + bias(lut, smp));
}
"""
    def texture(values):
        t = Texture2D(2, 2, R32_UINT)
        staging = Buffer(t.size, HEAP_UPLOAD)
        staging.upload2d(np.array(values, np.uint32).tobytes(), t.row_pitch, 2, 2, 4)
        staging.copy_to(t)
        return t
    src, dst, lut = texture([1, 2, 3, 4]), texture([0, 0, 0, 0]), texture([100, 0, 0, 0])
    sampler = Sampler(compushady.SAMPLER_ADDRESS_MODE_CLAMP, compushady.SAMPLER_ADDRESS_MODE_CLAMP,
                      compushady.SAMPLER_ADDRESS_MODE_CLAMP, compushady.SAMPLER_FILTER_POINT,
                      compushady.SAMPLER_FILTER_POINT)
    Compute(wgsl.compile(source), srv=[lut], uav=[src, dst], samplers=[sampler]).dispatch(1, 1, 1)
    readback = Buffer(dst.size, HEAP_READBACK)
    dst.copy_to(readback)
    got = np.frombuffer(readback.readback2d(dst.row_pitch, 2, 2, 4), np.uint32)
    assert list(got) == [102, 104, 106, 108]
