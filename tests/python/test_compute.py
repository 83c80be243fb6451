"""Compute: every kind of buffer binding, push constants, indirect dispatch."""

import struct

import numpy
import pytest

from compushady import (
    HEAP_READBACK,
    HEAP_UPLOAD,
    Buffer,
    Compute,
    ComputeException,
)
from compushady.formats import R32_UINT, R32G32B32A32_FLOAT, R32G32B32A32_UINT
from compushady.shaders import hlsl

from helpers import read_buffer, run_hlsl, upload_buffer


def test_rwbuffer_uint4_fill():
    b0 = Buffer(32, format=R32G32B32A32_UINT)
    run_hlsl(
        """
        RWBuffer<uint4> buffer : register(u0);
        [numthreads(1, 1, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            buffer[tid.x] = uint4(tid.x + 4, 1, 2, 3);
        }
        """,
        groups=(2, 1, 1),
        uav=[b0],
    )
    assert struct.unpack("8I", read_buffer(b0)) == (4, 1, 2, 3, 5, 1, 2, 3)


def test_rwbuffer_uint():
    b0 = Buffer(16, format=R32_UINT)
    run_hlsl(
        """
        RWBuffer<uint> buffer : register(u0);
        [numthreads(4, 1, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            buffer[tid.x] = 0xdeadbeef + tid.x;
        }
        """,
        uav=[b0],
    )
    assert struct.unpack("4I", read_buffer(b0)) == tuple(0xDEADBEEF + i for i in range(4))


def test_typed_buffer_float4_srv():
    values = numpy.arange(16, dtype=numpy.float32) / 4
    src = upload_buffer(values.tobytes(), format=R32G32B32A32_FLOAT)
    dst = Buffer(16, stride=4)
    run_hlsl(
        """
        Buffer<float4> input : register(t0);
        RWStructuredBuffer<float> output : register(u0);
        [numthreads(4, 1, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            float4 v = input[tid.x];
            output[tid.x] = v.x + v.y + v.z + v.w;
        }
        """,
        srv=[src],
        uav=[dst],
    )
    out = numpy.frombuffer(read_buffer(dst), numpy.float32)
    assert numpy.array_equal(out, values.reshape(4, 4).sum(axis=1))


def test_structured_buffer_struct():
    b0 = Buffer(16, stride=8)
    run_hlsl(
        """
        struct Block { uint a; uint b; };
        RWStructuredBuffer<Block> buffer : register(u0);
        [numthreads(1, 1, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            buffer[tid.x].a = 0xdeadbeef;
            buffer[tid.x].b = 0xbeefdead;
        }
        """,
        groups=(2, 1, 1),
        uav=[b0],
    )
    assert struct.unpack("4I", read_buffer(b0)) == (0xDEADBEEF, 0xBEEFDEAD) * 2


def test_structured_buffer_srv_is_read_only():
    values = numpy.arange(64, dtype=numpy.uint32)
    src = upload_buffer(values.tobytes(), stride=4)
    dst = Buffer(values.nbytes, stride=4)
    run_hlsl(
        """
        StructuredBuffer<uint> input : register(t0);
        RWStructuredBuffer<uint> output : register(u0);
        [numthreads(64, 1, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            output[tid.x] = input[tid.x] * 3 + 1;
        }
        """,
        srv=[src],
        uav=[dst],
    )
    assert numpy.array_equal(numpy.frombuffer(read_buffer(dst), numpy.uint32), values * 3 + 1)
    # the SRV was not written
    assert numpy.array_equal(numpy.frombuffer(read_buffer(src), numpy.uint32), values)


def test_byte_address_buffers():
    values = numpy.arange(32, dtype=numpy.uint32) + 100
    src = upload_buffer(values.tobytes())
    dst = Buffer(values.nbytes)
    run_hlsl(
        """
        ByteAddressBuffer input : register(t0);
        RWByteAddressBuffer output : register(u0);
        [numthreads(8, 1, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            uint4 v = input.Load4(tid.x * 16);
            output.Store4(tid.x * 16, v.wzyx);
        }
        """,
        groups=(1, 1, 1),
        srv=[src],
        uav=[dst],
    )
    expected = values.reshape(8, 4)[:, ::-1].reshape(-1)
    assert numpy.array_equal(numpy.frombuffer(read_buffer(dst), numpy.uint32), expected)


def test_several_cbuffers():
    c0 = upload_buffer(struct.pack("<4I", 1, 2, 3, 4))
    c1 = upload_buffer(struct.pack("<4f", 0.5, 1.5, 2.5, 3.5))
    c2 = upload_buffer(struct.pack("<4I", 10, 20, 30, 40), HEAP_UPLOAD)
    out = Buffer(48)
    run_hlsl(
        """
        cbuffer A : register(b0) { uint4 a; };
        cbuffer B : register(b1) { float4 b; };
        cbuffer C : register(b2) { uint4 c; };
        RWStructuredBuffer<uint4> output : register(u0);
        [numthreads(1, 1, 1)]
        void main()
        {
            output[0] = a;
            output[1] = asuint(b);
            output[2] = c * 2;
        }
        """,
        cbv=[c0, c1, c2],
        uav=[out],  # a raw buffer where a structured one is declared: fine
    )
    data = read_buffer(out)
    assert struct.unpack("<4I", data[:16]) == (1, 2, 3, 4)
    assert struct.unpack("<4f", data[16:32]) == (0.5, 1.5, 2.5, 3.5)
    assert struct.unpack("<4I", data[32:]) == (20, 40, 60, 80)


def test_cbuffer_from_upload_heap_updates_between_dispatches():
    cb = Buffer(16, HEAP_UPLOAD)
    out = Buffer(4)
    compute = Compute(
        hlsl.compile(
            """
            cbuffer Params : register(b0) { uint value; };
            RWByteAddressBuffer output : register(u0);
            [numthreads(1, 1, 1)]
            void main() { output.Store(0, value * 2); }
            """
        ),
        cbv=[cb],
        uav=[out],
    )
    for value in (1, 7, 1000):
        cb.upload(struct.pack("<4I", value, 0, 0, 0))
        compute.dispatch(1, 1, 1)
        assert struct.unpack("<I", read_buffer(out))[0] == value * 2


def test_multiple_dispatch_groups_3d():
    out = Buffer(4 * 4 * 3 * 2, stride=4)
    run_hlsl(
        """
        RWStructuredBuffer<uint> output : register(u0);
        [numthreads(2, 1, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            uint index = tid.z * 12 + tid.y * 4 + tid.x;
            output[index] = index + 1;
        }
        """,
        groups=(2, 3, 2),
        uav=[out],
    )
    assert struct.unpack("<24I", read_buffer(out)) == tuple(range(1, 25))


PUSH_SHADER = """
struct Push { uint a; uint b; float c; };
[[vk::push_constant]] ConstantBuffer<Push> push;
RWStructuredBuffer<uint> output : register(u0);
[numthreads(1, 1, 1)]
void main()
{
    output[0] = push.a + push.b;
    output[1] = asuint(push.c * 2.0);
}
"""


def test_push_constants():
    out = Buffer(8, stride=4)
    compute = Compute(hlsl.compile(PUSH_SHADER), uav=[out], push_size=12)
    compute.dispatch(1, 1, 1, struct.pack("<IIf", 3, 4, 1.25))
    assert struct.unpack("<If", read_buffer(out)) == (7, 2.5)
    compute.dispatch(1, 1, 1, push=struct.pack("<IIf", 10, 20, 3.0))
    assert struct.unpack("<If", read_buffer(out)) == (30, 6.0)


def test_push_too_long():
    out = Buffer(8, stride=4)
    compute = Compute(hlsl.compile(PUSH_SHADER), uav=[out], push_size=12)
    with pytest.raises(ComputeException, match="push.*16.*12"):
        compute.dispatch(1, 1, 1, b"\0" * 16)


def test_push_size_not_multiple_of_4():
    with pytest.raises(ComputeException, match="push_size.*multiple of 4"):
        Compute(hlsl.compile(PUSH_SHADER), uav=[Buffer(8, stride=4)], push_size=10)


def test_push_size_above_device_limit():
    with pytest.raises(ComputeException, match="push_size"):
        Compute(hlsl.compile(PUSH_SHADER), uav=[Buffer(8, stride=4)], push_size=4096)


def test_push_without_push_size():
    out = Buffer(16, stride=4)
    compute = Compute(
        hlsl.compile(
            """
            RWStructuredBuffer<uint> output : register(u0);
            [numthreads(1, 1, 1)] void main() { output[0] = 1; }
            """
        ),
        uav=[out],
    )
    with pytest.raises(ComputeException, match="push"):
        compute.dispatch(1, 1, 1, b"\0" * 4)


def test_dispatch_indirect():
    out = upload_buffer(b"\0" * 32, stride=4)
    compute = Compute(
        hlsl.compile(
            """
            RWStructuredBuffer<uint> output : register(u0);
            [numthreads(1, 1, 1)]
            void main(uint3 tid : SV_DispatchThreadID)
            {
                output[tid.x + tid.y * 4] = 1 + tid.x + tid.y * 4;
            }
            """
        ),
        uav=[out],
    )
    args = upload_buffer(struct.pack("<4I", 0xFFFF, 3, 2, 1))
    compute.dispatch_indirect(args, 4)
    assert struct.unpack("<8I", read_buffer(out)) == (1, 2, 3, 0, 5, 6, 7, 0)


def test_dispatch_indirect_from_upload_heap_without_offset():
    out = upload_buffer(b"\0" * 16, stride=4)
    compute = Compute(
        hlsl.compile(
            """
            RWStructuredBuffer<uint> output : register(u0);
            [numthreads(1, 1, 1)]
            void main(uint3 tid : SV_DispatchThreadID) { output[tid.x] = 9; }
            """
        ),
        uav=[out],
    )
    args = upload_buffer(struct.pack("<3I", 2, 1, 1), HEAP_UPLOAD)
    compute.dispatch_indirect(args)
    assert struct.unpack("<4I", read_buffer(out)) == (9, 9, 0, 0)


def test_dispatch_indirect_out_of_bounds():
    compute = Compute(
        hlsl.compile(
            "RWStructuredBuffer<uint> o : register(u0);\n"
            "[numthreads(1, 1, 1)] void main() { o[0] = 1; }"
        ),
        uav=[Buffer(4, stride=4)],
    )
    args = upload_buffer(struct.pack("<3I", 1, 1, 1))
    with pytest.raises(ComputeException, match="12"):
        compute.dispatch_indirect(args, 4)
    with pytest.raises(TypeError, match="indirect_buffer must be a compushady.Buffer"):
        compute.dispatch_indirect(b"\1\0\0\0" * 3)


def test_dispatch_zero_groups_is_harmless():
    out = upload_buffer(b"\0" * 4)
    compute = Compute(
        hlsl.compile(
            "RWByteAddressBuffer o : register(u0);\n"
            "[numthreads(1, 1, 1)] void main() { o.Store(0, 5); }"
        ),
        uav=[out],
    )
    try:
        compute.dispatch(0, 1, 1)
    except ValueError as error:
        assert "0" in str(error)
    assert read_buffer(out) == b"\0" * 4


def test_dispatch_too_many_groups():
    compute = Compute(
        hlsl.compile(
            "RWByteAddressBuffer o : register(u0);\n"
            "[numthreads(1, 1, 1)] void main() { o.Store(0, 5); }"
        ),
        uav=[Buffer(4)],
    )
    with pytest.raises(ComputeException, match="group"):
        compute.dispatch(1 << 31, 1, 1)


def test_same_compute_many_dispatches():
    out = upload_buffer(b"\0" * 4)
    compute = Compute(
        hlsl.compile(
            "RWByteAddressBuffer o : register(u0);\n"
            "[numthreads(1, 1, 1)] void main() { o.Store(0, o.Load(0) + 1); }"
        ),
        uav=[out],
    )
    for _ in range(20):
        compute.dispatch(1, 1, 1)
    assert struct.unpack("<I", read_buffer(out))[0] == 20


def test_compute_attributes():
    compute = Compute(
        hlsl.compile(
            "RWByteAddressBuffer o : register(u0);\n"
            "[numthreads(1, 1, 1)] void main() { o.Store(0, 5); }"
        ),
        uav=[Buffer(4)],
    )
    assert compute.handle is not None
    assert compute.device is not None


def test_compute_wrong_list_element():
    shader = hlsl.compile(
        "RWByteAddressBuffer o : register(u0);\n"
        "[numthreads(1, 1, 1)] void main() { o.Store(0, 5); }"
    )
    with pytest.raises(TypeError, match=r"uav\[0\] must be a compushady Buffer or Texture, got bytes"):
        Compute(shader, uav=[b"1234"])


def test_readback_heap_as_uav_is_allowed_or_clear():
    # not a bug to reject, but never a crash
    shader = hlsl.compile(
        "RWByteAddressBuffer o : register(u0);\n"
        "[numthreads(1, 1, 1)] void main() { o.Store(0, 5); }"
    )
    target = Buffer(4, HEAP_READBACK)
    try:
        Compute(shader, uav=[target]).dispatch(1, 1, 1)
    except ValueError:
        return
    assert target.readback() == struct.pack("<I", 5)
