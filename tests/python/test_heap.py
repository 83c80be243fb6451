"""Heaps and resources placed in them (aliasing)."""

import pytest

from compushady import (
    HEAP_DEFAULT,
    HEAP_READBACK,
    HEAP_UPLOAD,
    Buffer,
    BufferException,
    Heap,
    HeapException,
    Texture2D,
    Texture2DException,
)
from compushady.formats import R32_UINT

from helpers import read_buffer

import compushady

pytestmark = pytest.mark.skipif(
    not compushady.get_current_device().supports_heaps,
    reason="the device cannot place resources in heaps (supports_heaps is False)",
)


@pytest.mark.parametrize("heap_type", [HEAP_DEFAULT, HEAP_UPLOAD, HEAP_READBACK])
def test_create(heap_type):
    heap = Heap(heap_type, 64 * 1024)
    assert heap.size == 64 * 1024
    assert heap.heap_type == heap_type


def test_zero_size():
    with pytest.raises(HeapException, match="size"):
        Heap(HEAP_DEFAULT, 0)


def test_unknown_type():
    with pytest.raises(HeapException, match=r"invalid heap type 7: expected HEAP_DEFAULT \(0\), HEAP_UPLOAD \(1\) or HEAP_READBACK \(2\)"):
        Heap(7, 1024)


def test_aliasing_upload_buffers():
    heap = Heap(HEAP_UPLOAD, 64 * 1024)
    a = Buffer(16, HEAP_UPLOAD, heap=heap)
    b = Buffer(16, HEAP_UPLOAD, heap=heap, heap_offset=0)
    assert a.heap is heap
    a.upload(b"aliased memory!!")
    assert read_buffer(b) == b"aliased memory!!"


def test_default_heap_buffers():
    heap = Heap(HEAP_DEFAULT, 64 * 1024)
    buffer = Buffer(256, heap=heap, heap_offset=0)
    staging = Buffer(256, HEAP_UPLOAD)
    staging.upload(bytes(range(256)))
    staging.copy_to(buffer)
    assert read_buffer(buffer) == bytes(range(256))


def test_heap_type_mismatch():
    heap = Heap(HEAP_UPLOAD, 64 * 1024)
    with pytest.raises(BufferException, match="the heap is HEAP_UPLOAD, expected HEAP_DEFAULT"):
        Buffer(16, heap=heap)


def test_heap_too_small():
    heap = Heap(HEAP_DEFAULT, 64 * 1024)
    with pytest.raises(BufferException, match="heap"):
        Buffer(128 * 1024, heap=heap)
    with pytest.raises(BufferException, match="heap_offset .* is past the end"):
        Buffer(16, heap=heap, heap_offset=64 * 1024)


def test_texture_in_heap():
    heap = Heap(HEAP_DEFAULT, 1024 * 1024)
    texture = Texture2D(8, 8, R32_UINT, heap=heap)
    assert texture.heap is heap
    with pytest.raises(Texture2DException, match="HEAP_DEFAULT"):
        Texture2D(8, 8, R32_UINT, heap=Heap(HEAP_UPLOAD, 1024 * 1024))


def test_heap_not_a_heap():
    with pytest.raises(TypeError, match="heap must be a compushady.Heap or None"):
        Buffer(16, heap=b"heap")
