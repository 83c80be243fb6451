"""Compile results are cached (in memory and in COMPUSHADY_CACHE_DIR, which
conftest.py points at a temporary directory): the cache must never change
what compile returns."""

import os

import compushady
from compushady import Buffer, Compute, HEAP_DEFAULT, HEAP_READBACK
from compushady.shaders import glsl, hlsl

TWO_ENTRIES = """
RWStructuredBuffer<uint> o : register(u0);
[numthreads(1, 1, 1)] void first() { o[0] = 11; }
[numthreads(1, 1, 1)] void second() { o[0] = 22; }
"""


def run(spirv):
    out = Buffer(4, HEAP_DEFAULT, stride=4)
    Compute(spirv, uav=[out]).dispatch(1, 1, 1)
    rb = Buffer(4, HEAP_READBACK)
    out.copy_to(rb)
    return int.from_bytes(rb.readback(4), "little")


def test_cache_dir_is_isolated():
    home = os.path.expanduser("~/.cache/compushady")
    assert os.environ["COMPUSHADY_CACHE_DIR"] != home


def test_same_source_twice_identical():
    a = hlsl.compile(TWO_ENTRIES, "first")
    b = hlsl.compile(TWO_ENTRIES, "first")
    assert isinstance(b, bytes) and a == b
    assert run(a) == 11 and run(b) == 11


def test_entry_points_differ():
    a = hlsl.compile(TWO_ENTRIES, "first")
    b = hlsl.compile(TWO_ENTRIES, "second")
    assert a != b
    assert run(a) == 11 and run(b) == 22


def test_bytes_and_str_source_agree():
    assert hlsl.compile(TWO_ENTRIES, "first") == hlsl.compile(
        TWO_ENTRIES.encode(), "first"
    )


def test_languages_do_not_mix():
    source = """#version 450
layout(local_size_x = 1) in;
layout(std430, binding = 2048) buffer O { uint o[]; };
void main() { o[0] = 33; }
"""
    spirv = glsl.compile(source)
    assert spirv == glsl.compile(source)
    assert run(spirv) == 33


def test_error_not_cached():
    bad = "[numthreads(1,1,1)] void main() { nope; }"
    for _ in range(2):
        try:
            hlsl.compile(bad)
        except compushady.ShaderCompileError as error:
            assert "nope" in str(error)
        else:
            raise AssertionError("compile error expected")


def test_disk_files_written():
    hlsl.compile(TWO_ENTRIES + "\n// disk\n", "first")
    names = os.listdir(os.environ["COMPUSHADY_CACHE_DIR"])
    assert any(n.startswith("spirv-") and n.endswith(".bin") for n in names)
