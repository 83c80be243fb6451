"""Shader compilation (HLSL, GLSL), invalid SPIR-V, bindings vs shaders."""

import struct

import pytest

import compushady
from compushady import Buffer, Compute, ComputeException, ShaderCompileError, Texture2D
from compushady.formats import R32_UINT, R32G32B32A32_UINT
from compushady.shaders import glsl, hlsl

from helpers import read_buffer, run_glsl, run_hlsl, upload_buffer

SPIRV_MAGIC = b"\x03\x02\x23\x07"


def test_hlsl_compile_returns_spirv():
    blob = hlsl.compile(
        "RWByteAddressBuffer o : register(u0);\n"
        "[numthreads(1, 1, 1)] void main() { o.Store(0, 1); }"
    )
    assert isinstance(blob, bytes)
    assert blob[:4] == SPIRV_MAGIC
    assert len(blob) % 4 == 0


def test_hlsl_compile_bytes_source_and_entry_point():
    blob = hlsl.compile(
        b"RWByteAddressBuffer o : register(u0);\n"
        b"[numthreads(1, 1, 1)] void entry() { o.Store(0, 77); }",
        entry_point="entry",
    )
    out = Buffer(4)
    Compute(blob, uav=[out]).dispatch(1, 1, 1)
    assert struct.unpack("<I", read_buffer(out))[0] == 77


def test_hlsl_compile_error_has_line_number():
    source = "RWByteAddressBuffer o : register(u0);\n" "[numthreads(1, 1, 1)]\n" "void main()\n" "{\n" "    o.Store(0, undefined_thing);\n" "}\n"
    with pytest.raises(ShaderCompileError, match=r"5.*undefined_thing|undefined_thing.*5") as info:
        hlsl.compile(source)
    assert isinstance(info.value, ValueError)


def test_hlsl_missing_entry_point():
    with pytest.raises(ShaderCompileError, match="not_main"):
        hlsl.compile(
            "RWByteAddressBuffer o : register(u0);\n"
            "[numthreads(1, 1, 1)] void main() { o.Store(0, 1); }",
            entry_point="not_main",
        )


def test_glsl_compute_shader():
    out = Buffer(16 * 4, stride=4)
    run_glsl(
        """
        #version 450
        layout(local_size_x = 16) in;
        layout(set = 0, binding = 2048) buffer Output { uint values[]; };
        void main()
        {
            values[gl_GlobalInvocationID.x] = gl_GlobalInvocationID.x * 2u;
        }
        """,
        uav=[out],
    )
    assert struct.unpack("<16I", read_buffer(out)) == tuple(i * 2 for i in range(16))


def test_glsl_cbv_and_srv():
    cb = upload_buffer(struct.pack("<4I", 5, 0, 0, 0))
    src = upload_buffer(struct.pack("<4I", 1, 2, 3, 4))
    out = Buffer(16)
    run_glsl(
        """
        #version 450
        layout(local_size_x = 4) in;
        layout(set = 0, binding = 0) uniform Params { uint add; };
        layout(set = 0, binding = 1024) readonly buffer Input { uint inputs[]; };
        layout(set = 0, binding = 2048) buffer Output { uint outputs[]; };
        void main()
        {
            uint i = gl_GlobalInvocationID.x;
            outputs[i] = inputs[i] + add;
        }
        """,
        cbv=[cb],
        srv=[src],
        uav=[out],
    )
    assert struct.unpack("<4I", read_buffer(out)) == (6, 7, 8, 9)


def test_glsl_compile_error_has_line_number():
    source = "#version 450\nlayout(local_size_x = 1) in;\nvoid main()\n{\n    int x = nope;\n}\n"
    with pytest.raises(ShaderCompileError, match=r"5.*nope|nope.*5"):
        glsl.compile(source)


def test_hlsl_texture_as_a_name():
    blob = hlsl.compile(
        """
        RWTexture2D<uint4> texture : register(u0);
        [numthreads(1, 1, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            texture[tid.xy] = uint4(1, 2, 3, 4);
        }
        """
    )
    assert blob[:4] == SPIRV_MAGIC


@pytest.mark.parametrize(
    "blob",
    [b"", b"\0\0\0\0", b"not spir-v at all", SPIRV_MAGIC + b"\0" * 16, SPIRV_MAGIC + b"\xff" * 64, b"\x01\x02\x03"],
    ids=["empty", "zeros", "text", "header-only", "garbage", "unaligned"],
)
def test_invalid_spirv_raises(blob):
    with pytest.raises(ComputeException, match="(?i)spir-?v"):
        Compute(blob, uav=[Buffer(4)])


def test_truncated_spirv_raises():
    blob = hlsl.compile(
        "RWByteAddressBuffer o : register(u0);\n"
        "[numthreads(1, 1, 1)] void main() { o.Store(0, 1); }"
    )
    for size in (20, len(blob) // 2 & ~3, len(blob) - 4):
        with pytest.raises(ComputeException, match="(?i)spir-?v"):
            Compute(blob[:size], uav=[Buffer(4)])


def test_shader_not_bytes():
    with pytest.raises(TypeError):
        Compute("RWByteAddressBuffer o;", uav=[Buffer(4)])


def test_registers_in_declaration_order():
    a = upload_buffer(struct.pack("<I", 10))
    b = upload_buffer(struct.pack("<I", 20))
    out0 = Buffer(4)
    out1 = Buffer(4)
    run_hlsl(
        """
        ByteAddressBuffer first;
        ByteAddressBuffer second;
        RWByteAddressBuffer out_first;
        RWByteAddressBuffer out_second;
        [numthreads(1, 1, 1)]
        void main()
        {
            out_first.Store(0, first.Load(0) + 1);
            out_second.Store(0, second.Load(0) + 2);
        }
        """,
        srv=[a, b],
        uav=[out0, out1],
    )
    assert struct.unpack("<I", read_buffer(out0))[0] == 11
    assert struct.unpack("<I", read_buffer(out1))[0] == 22


def test_registers_mixed_explicit_and_implicit():
    cb0 = upload_buffer(struct.pack("<4I", 1, 0, 0, 0))
    cb1 = upload_buffer(struct.pack("<4I", 2, 0, 0, 0))
    out = Buffer(8)
    run_hlsl(
        """
        cbuffer Zero : register(b0) { uint zero; };
        cbuffer One { uint one; };
        RWByteAddressBuffer output;
        [numthreads(1, 1, 1)]
        void main()
        {
            output.Store(0, zero);
            output.Store(4, one);
        }
        """,
        cbv=[cb0, cb1],
        uav=[out],
    )
    assert struct.unpack("<2I", read_buffer(out)) == (1, 2)


BINDING_SHADER = """
ByteAddressBuffer input : register(t0);
RWByteAddressBuffer output : register(u0);
[numthreads(1, 1, 1)]
void main() { output.Store(0, input.Load(0)); }
"""


def test_missing_register():
    with pytest.raises(ComputeException, match="t0"):
        Compute(hlsl.compile(BINDING_SHADER), uav=[Buffer(4)])
    with pytest.raises(ComputeException, match="u0"):
        Compute(hlsl.compile(BINDING_SHADER), srv=[Buffer(4)])


def test_texture_where_buffer_declared():
    texture = Texture2D(2, 2, R32_UINT)
    with pytest.raises(ComputeException, match=r"u0(?=.*(?i:texture))(?=.*(?i:buffer))"):
        Compute(hlsl.compile(BINDING_SHADER), srv=[Buffer(4)], uav=[texture])


def test_buffer_where_texture_declared():
    shader = hlsl.compile(
        """
        RWTexture2D<uint> output : register(u0);
        [numthreads(1, 1, 1)]
        void main() { output[uint2(0, 0)] = 1; }
        """
    )
    with pytest.raises(ComputeException, match=r"u0(?=.*(?i:texture))(?=.*(?i:buffer))"):
        Compute(shader, uav=[Buffer(16, format=R32_UINT)])


def test_raw_buffer_where_typed_buffer_declared():
    shader = hlsl.compile(
        """
        RWBuffer<uint> output : register(u0);
        [numthreads(1, 1, 1)]
        void main() { output[0] = 1; }
        """
    )
    with pytest.raises(ComputeException, match=r"u0(?=.*(?i:format))"):
        Compute(shader, uav=[Buffer(16)])


def test_typed_buffer_where_structured_declared_is_fine():
    out = Buffer(16, format=R32_UINT)
    run_hlsl(
        """
        RWStructuredBuffer<uint> output : register(u0);
        [numthreads(4, 1, 1)]
        void main(uint3 tid : SV_DispatchThreadID) { output[tid.x] = tid.x + 1; }
        """,
        uav=[out],
    )
    assert struct.unpack("<4I", read_buffer(out)) == (1, 2, 3, 4)


def test_extra_resources_are_ignored_or_rejected_clearly():
    shader = hlsl.compile(
        "RWByteAddressBuffer o : register(u0);\n"
        "[numthreads(1, 1, 1)] void main() { o.Store(0, 3); }"
    )
    out = Buffer(4)
    try:
        Compute(shader, uav=[out, Buffer(4)]).dispatch(1, 1, 1)
    except ComputeException as error:
        assert "u1" in str(error)
        return
    assert struct.unpack("<I", read_buffer(out))[0] == 3


def test_cbv_with_structured_buffer_declared():
    shader = hlsl.compile(BINDING_SHADER)
    with pytest.raises(ComputeException, match="t0|u0"):
        Compute(shader, cbv=[Buffer(16)], uav=[Buffer(4)])
