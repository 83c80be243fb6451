"""Texture2D: attributes, copies in every direction, shaders, misuse."""

import struct

import numpy
import pytest

from compushady import HEAP_DEFAULT, HEAP_READBACK, HEAP_UPLOAD, Buffer, BufferException, Texture2D, Texture2DException
from compushady import formats
from compushady.formats import R8G8B8A8_UNORM, R32_UINT, R32G32B32A32_FLOAT

from helpers import read_buffer, run_hlsl, upload_buffer


def texture_bytes(texture, packed, bpp):
    """Upload tightly packed texel rows into texture (through row_pitch)."""
    staging = Buffer(texture.size, HEAP_UPLOAD)
    staging.upload2d(packed, texture.row_pitch, texture.width, texture.height, bpp)
    staging.copy_to(texture)


def read_texture(texture, bpp):
    readback = Buffer(texture.size, HEAP_READBACK)
    texture.copy_to(readback)
    return readback.readback2d(texture.row_pitch, texture.width, texture.height, bpp)


def test_attributes():
    texture = Texture2D(5, 3, R8G8B8A8_UNORM)
    assert (texture.width, texture.height, texture.depth, texture.slices) == (5, 3, 1, 1)
    assert texture.row_pitch >= 5 * 4
    assert texture.size == texture.row_pitch * 3
    assert texture.heap_size >= 5 * 3 * 4
    assert texture.heap_type == HEAP_DEFAULT
    assert texture.format == R8G8B8A8_UNORM
    assert texture.heap is None


@pytest.mark.parametrize("width,height", [(0, 4), (4, 0), (0, 0)])
def test_zero_dimensions(width, height):
    with pytest.raises(Texture2DException, match="must be greater than 0"):
        Texture2D(width, height, R32_UINT)


@pytest.mark.parametrize("format", [0, 1, 999])
def test_unknown_format(format):
    with pytest.raises(Texture2DException, match="format"):
        Texture2D(4, 4, format)


def test_upload_and_readback():
    data = bytes(range(64))
    texture = Texture2D(4, 4, R8G8B8A8_UNORM)
    texture_bytes(texture, data, 4)
    assert read_texture(texture, 4) == data


def test_odd_size_upload_and_readback():
    width, height = 7, 5
    data = numpy.arange(width * height, dtype=numpy.uint32).tobytes()
    texture = Texture2D(width, height, R32_UINT)
    texture_bytes(texture, data, 4)
    assert read_texture(texture, 4) == data


def test_compute_fill():
    texture = Texture2D(4, 4, R32_UINT)
    run_hlsl(
        """
        RWTexture2D<uint> output : register(u0);
        [numthreads(4, 4, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            output[tid.xy] = tid.y * 4 + tid.x + 17;
        }
        """,
        uav=[texture],
    )
    assert struct.unpack("<16I", read_texture(texture, 4)) == tuple(range(17, 33))


def test_texture_as_a_name_dispatch():
    texture = Texture2D(2, 2, formats.R32G32B32A32_UINT)
    run_hlsl(
        """
        RWTexture2D<uint4> texture : register(u0);
        [numthreads(2, 2, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            texture[tid.xy] = uint4(tid.x, tid.y, 7, 9);
        }
        """,
        uav=[texture],
    )
    values = struct.unpack("<16I", read_texture(texture, 16))
    assert values == (0, 0, 7, 9, 1, 0, 7, 9, 0, 1, 7, 9, 1, 1, 7, 9)


def test_srv_to_uav():
    data = numpy.arange(16, dtype=numpy.float32).tobytes()
    src = Texture2D(2, 2, R32G32B32A32_FLOAT)
    texture_bytes(src, data, 16)
    dst = Texture2D(2, 2, R32G32B32A32_FLOAT)
    run_hlsl(
        """
        Texture2D<float4> input : register(t0);
        RWTexture2D<float4> output : register(u0);
        [numthreads(2, 2, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            output[tid.xy] = input[tid.xy] * 2;
        }
        """,
        srv=[src],
        uav=[dst],
    )
    got = numpy.frombuffer(read_texture(dst, 16), numpy.float32)
    assert numpy.array_equal(got, numpy.frombuffer(data, numpy.float32) * 2)


def test_texture_to_texture_box_copy():
    src = Texture2D(4, 4, R32_UINT)
    texture_bytes(src, numpy.arange(16, dtype=numpy.uint32).tobytes(), 4)
    dst = Texture2D(4, 4, R32_UINT)
    texture_bytes(dst, b"\0" * 64, 4)
    src.copy_to(dst, width=2, height=2, src_x=1, src_y=1, dst_x=2, dst_y=0)
    got = numpy.frombuffer(read_texture(dst, 4), numpy.uint32).reshape(4, 4)
    expected = numpy.zeros((4, 4), numpy.uint32)
    expected[0:2, 2:4] = numpy.arange(16, dtype=numpy.uint32).reshape(4, 4)[1:3, 1:3]
    assert numpy.array_equal(got, expected)


def test_texture_to_texture_whole():
    src = Texture2D(3, 3, R32_UINT)
    data = numpy.arange(9, dtype=numpy.uint32).tobytes()
    texture_bytes(src, data, 4)
    dst = Texture2D(3, 3, R32_UINT)
    src.copy_to(dst)
    assert read_texture(dst, 4) == data


def test_texture_copy_out_of_bounds():
    src = Texture2D(4, 4, R32_UINT)
    dst = Texture2D(2, 2, R32_UINT)
    with pytest.raises(Texture2DException, match="copy: .*exceeds"):
        src.copy_to(dst)
    with pytest.raises(Texture2DException, match="copy: src_x 5 is outside"):
        src.copy_to(dst, width=1, height=1, src_x=5)
    with pytest.raises(Texture2DException, match="copy: .*dst"):
        src.copy_to(dst, width=2, height=2, dst_x=1)
    with pytest.raises(Texture2DException, match="copy: src_slice 1 is out of range"):
        src.copy_to(dst, width=1, height=1, src_slice=1)


def test_texture_copy_texel_size_mismatch():
    with pytest.raises(Texture2DException, match="texel sizes differ"):
        Texture2D(2, 2, R32_UINT).copy_to(Texture2D(2, 2, R32G32B32A32_FLOAT))


def test_buffer_too_small_for_texture():
    texture = Texture2D(8, 8, R32_UINT)
    small = Buffer(16, HEAP_UPLOAD)
    with pytest.raises(BufferException, match="copy: the source buffer needs"):
        small.copy_to(texture)
    with pytest.raises(Texture2DException, match="copy: the destination buffer needs"):
        texture.copy_to(Buffer(16, HEAP_READBACK))


def test_texture_array_slices():
    texture = Texture2D(2, 2, R32_UINT, slices=3)
    assert texture.slices == 3
    run_hlsl(
        """
        RWTexture2DArray<uint> output : register(u0);
        [numthreads(2, 2, 3)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            output[tid] = tid.z * 100 + tid.y * 2 + tid.x;
        }
        """,
        uav=[texture],
    )
    for slice_ in range(3):
        readback = Buffer(texture.row_pitch * 2, HEAP_READBACK)
        texture.copy_to(readback, src_slice=slice_)
        values = struct.unpack("<4I", readback.readback2d(texture.row_pitch, 2, 2, 4))
        assert values == tuple(slice_ * 100 + i for i in range(4))


def test_textures_are_not_host_visible():
    texture = Texture2D(2, 2, R32_UINT)
    assert not hasattr(texture, "upload")
    with pytest.raises(BufferError):
        memoryview(texture.handle)
