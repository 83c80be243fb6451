"""Texture3D."""

import struct

import numpy
import pytest

from compushady import HEAP_READBACK, Buffer, Texture3D, Texture3DException
from compushady.formats import R32_UINT

from helpers import run_hlsl


def test_attributes():
    texture = Texture3D(4, 3, 2, R32_UINT)
    assert (texture.width, texture.height, texture.depth, texture.slices) == (4, 3, 2, 1)
    assert texture.size == texture.row_pitch * 3 * 2


@pytest.mark.parametrize("dims", [(0, 1, 1), (1, 0, 1), (1, 1, 0)])
def test_zero_dimensions(dims):
    with pytest.raises(Texture3DException, match="must be greater than 0"):
        Texture3D(*dims, R32_UINT)


def test_unknown_format():
    with pytest.raises(Texture3DException, match="format"):
        Texture3D(2, 2, 2, 777)


def test_compute_fill_and_readback():
    texture = Texture3D(2, 2, 2, R32_UINT)
    run_hlsl(
        """
        RWTexture3D<uint> output : register(u0);
        [numthreads(2, 2, 2)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            output[tid] = tid.z * 4 + tid.y * 2 + tid.x + 1;
        }
        """,
        uav=[texture],
    )
    readback = Buffer(texture.size, HEAP_READBACK)
    texture.copy_to(readback)
    data = readback.readback()
    values = []
    for z in range(2):
        for y in range(2):
            offset = (z * 2 + y) * texture.row_pitch
            values += struct.unpack_from("<2I", data, offset)
    assert values == list(range(1, 9))


def test_box_copy_3d():
    src = Texture3D(2, 2, 2, R32_UINT)
    dst = Texture3D(2, 2, 2, R32_UINT)
    run_hlsl(
        """
        RWTexture3D<uint> a : register(u0);
        RWTexture3D<uint> b : register(u1);
        [numthreads(2, 2, 2)]
        void main(uint3 tid : SV_DispatchThreadID) { a[tid] = tid.z + 10; b[tid] = 0; }
        """,
        uav=[src, dst],
    )
    src.copy_to(dst, width=2, height=2, depth=1, src_z=1, dst_z=0)
    readback = Buffer(dst.size, HEAP_READBACK)
    dst.copy_to(readback)
    data = numpy.frombuffer(readback.readback(), numpy.uint32)
    assert data[0] == 11 and data[len(data) // 2] == 0
    with pytest.raises(Texture3DException, match="src_z"):
        src.copy_to(dst, width=1, height=1, depth=1, src_z=2)
