"""Texture1D."""

import struct

import pytest

from compushady import HEAP_READBACK, HEAP_UPLOAD, Buffer, Texture1D, Texture1DException
from compushady.formats import R32_UINT, R8G8B8A8_UNORM

from helpers import run_hlsl


def test_attributes():
    texture = Texture1D(16, R8G8B8A8_UNORM)
    assert (texture.width, texture.height, texture.depth, texture.slices) == (16, 1, 1, 1)
    assert texture.row_pitch >= 64
    assert texture.size >= 64


def test_zero_width():
    with pytest.raises(Texture1DException, match="width must be greater than 0"):
        Texture1D(0, R32_UINT)


def test_unknown_format():
    with pytest.raises(Texture1DException, match="format"):
        Texture1D(4, 12345)


def test_roundtrip_and_compute():
    texture = Texture1D(8, R32_UINT)
    staging = Buffer(texture.size, HEAP_UPLOAD)
    staging.upload(struct.pack("<8I", *range(8)))
    staging.copy_to(texture)
    run_hlsl(
        """
        RWTexture1D<uint> output : register(u0);
        [numthreads(8, 1, 1)]
        void main(uint3 tid : SV_DispatchThreadID) { output[tid.x] = output[tid.x] * 3; }
        """,
        uav=[texture],
    )
    readback = Buffer(texture.size, HEAP_READBACK)
    texture.copy_to(readback)
    assert struct.unpack("<8I", readback.readback(32)) == tuple(i * 3 for i in range(8))


def test_slices():
    texture = Texture1D(4, R32_UINT, slices=2)
    assert texture.slices == 2
