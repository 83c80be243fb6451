"""Buffer layouts follow the D3D rules: structured buffers tightly packed,
cbuffers with HLSL packing; the same bytes mean the same values."""

import struct

import numpy
import pytest

from compushady import Buffer

from helpers import read_buffer, run_hlsl, upload_buffer


def test_structured_float3_stride_12():
    out = Buffer(12 * 4, stride=12)
    run_hlsl(
        """
        RWStructuredBuffer<float3> output : register(u0);
        [numthreads(4, 1, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            output[tid.x] = float3(tid.x, tid.x + 0.5, -1.0 * tid.x);
        }
        """,
        uav=[out],
    )
    values = struct.unpack("<12f", read_buffer(out))
    for i in range(4):
        assert values[i * 3:i * 3 + 3] == (i, i + 0.5, -1.0 * i)


def test_structured_struct_float3_float_16_bytes():
    out = Buffer(16 * 3, stride=16)
    run_hlsl(
        """
        struct Item { float3 a; float b; };
        RWStructuredBuffer<Item> output : register(u0);
        [numthreads(3, 1, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            Item item;
            item.a = float3(1, 2, 3) * (tid.x + 1);
            item.b = 100.0 + tid.x;
            output[tid.x] = item;
        }
        """,
        uav=[out],
    )
    data = read_buffer(out)
    for i in range(3):
        a = struct.unpack_from("<3f", data, i * 16)
        (b,) = struct.unpack_from("<f", data, i * 16 + 12)
        assert a == (1.0 * (i + 1), 2.0 * (i + 1), 3.0 * (i + 1))
        assert b == 100.0 + i


def test_structured_struct_read_from_python_bytes():
    # struct { float a; float3 b; uint c; } -> 20 bytes, tightly packed
    records = [(0.5 * i, (i, i + 1, i + 2), 1000 + i) for i in range(4)]
    data = b"".join(struct.pack("<f3fI", a, *b, c) for a, b, c in records)
    src = upload_buffer(data, stride=20)
    out = Buffer(4 * 5 * 4, stride=4)
    run_hlsl(
        """
        struct Record { float a; float3 b; uint c; };
        StructuredBuffer<Record> input : register(t0);
        RWStructuredBuffer<uint> output : register(u0);
        [numthreads(4, 1, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            Record r = input[tid.x];
            output[tid.x * 5 + 0] = asuint(r.a);
            output[tid.x * 5 + 1] = asuint(r.b.x);
            output[tid.x * 5 + 2] = asuint(r.b.y);
            output[tid.x * 5 + 3] = asuint(r.b.z);
            output[tid.x * 5 + 4] = r.c;
        }
        """,
        srv=[src],
        uav=[out],
    )
    assert read_buffer(out) == data


def test_cbuffer_packing():
    # HLSL packing: a float3 followed by a float shares a 16-byte register;
    # a float2 after a float3 starts a new register; arrays take one register
    # per element; a float after a float2 packs at offset 8 of its register.
    #
    # cbuffer:                    offset
    #   float3 a;                 0
    #   float  b;                 12
    #   float2 c;                 16
    #   float2 d;                 24
    #   float3 e;                 32
    #   float2 f;                 48  (does not fit after e)
    #   float  g;                 56
    #   uint   h[2];              64, 80 (each element in its own register)
    #   uint   i;                 84
    layout = bytearray(96)
    struct.pack_into("<3f", layout, 0, 1.0, 2.0, 3.0)
    struct.pack_into("<f", layout, 12, 4.0)
    struct.pack_into("<2f", layout, 16, 5.0, 6.0)
    struct.pack_into("<2f", layout, 24, 7.0, 8.0)
    struct.pack_into("<3f", layout, 32, 9.0, 10.0, 11.0)
    struct.pack_into("<2f", layout, 48, 12.0, 13.0)
    struct.pack_into("<f", layout, 56, 14.0)
    struct.pack_into("<I", layout, 64, 15)
    struct.pack_into("<I", layout, 80, 16)
    struct.pack_into("<I", layout, 84, 17)
    cb = upload_buffer(bytes(layout))
    out = Buffer(17 * 4, stride=4)
    run_hlsl(
        """
        cbuffer Params : register(b0)
        {
            float3 a;
            float b;
            float2 c;
            float2 d;
            float3 e;
            float2 f;
            float g;
            uint h[2];
            uint i;
        };
        RWStructuredBuffer<float> output : register(u0);
        [numthreads(1, 1, 1)]
        void main()
        {
            output[0] = a.x; output[1] = a.y; output[2] = a.z;
            output[3] = b;
            output[4] = c.x; output[5] = c.y;
            output[6] = d.x; output[7] = d.y;
            output[8] = e.x; output[9] = e.y; output[10] = e.z;
            output[11] = f.x; output[12] = f.y;
            output[13] = g;
            output[14] = h[0]; output[15] = h[1];
            output[16] = i;
        }
        """,
        cbv=[cb],
        uav=[out],
    )
    values = numpy.frombuffer(read_buffer(out), numpy.float32)
    assert list(values) == [float(v) for v in range(1, 18)]


def test_cbuffer_float4x4_row_major_and_column_major():
    matrix = numpy.arange(16, dtype=numpy.float32).reshape(4, 4)
    cb = upload_buffer(matrix.tobytes() + matrix.tobytes())
    out = Buffer(32 * 4, stride=4)
    run_hlsl(
        """
        cbuffer Params : register(b0)
        {
            row_major float4x4 m;
            column_major float4x4 n;
        };
        RWStructuredBuffer<float> output : register(u0);
        [numthreads(1, 1, 1)]
        void main()
        {
            for (uint r = 0; r < 4; r++)
                for (uint c = 0; c < 4; c++)
                {
                    output[r * 4 + c] = m[r][c];
                    output[16 + r * 4 + c] = n[r][c];
                }
        }
        """,
        cbv=[cb],
        uav=[out],
    )
    values = numpy.frombuffer(read_buffer(out), numpy.float32)
    assert numpy.array_equal(values[:16].reshape(4, 4), matrix)
    assert numpy.array_equal(values[16:].reshape(4, 4), matrix.T)
