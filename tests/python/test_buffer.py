"""Buffers: creation in every heap, upload/readback variants, misuse."""

import struct

import numpy
import pytest

import compushady
from compushady import (
    HEAP_DEFAULT,
    HEAP_READBACK,
    HEAP_UPLOAD,
    Buffer,
    BufferException,
)
from compushady.formats import R32_UINT, R32G32B32A32_FLOAT

from helpers import read_buffer, upload_buffer


@pytest.mark.parametrize("heap_type", [HEAP_DEFAULT, HEAP_UPLOAD, HEAP_READBACK])
def test_create_in_every_heap(heap_type):
    buffer = Buffer(256, heap_type)
    assert buffer.size == 256
    assert buffer.heap_size >= 256
    assert buffer.heap_type == heap_type
    assert buffer.heap is None
    assert buffer.device is compushady.get_current_device()
    assert buffer.handle is not None


def test_default_heap_is_default():
    assert Buffer(4).heap_type == HEAP_DEFAULT


def test_stride_and_format_attributes():
    assert Buffer(64, stride=16).stride == 16
    typed = Buffer(64, format=R32G32B32A32_FLOAT)
    assert typed.format == R32G32B32A32_FLOAT
    assert typed.stride == 0
    assert Buffer(64).format == 0


def test_zero_size():
    with pytest.raises(BufferException, match="buffer size must be greater than 0"):
        Buffer(0)


def test_negative_size():
    with pytest.raises(ValueError, match="size"):
        Buffer(-1)


def test_size_not_an_int():
    with pytest.raises(TypeError):
        Buffer("16")


@pytest.mark.parametrize("heap_type", [3, 17])
def test_unknown_heap_type(heap_type):
    with pytest.raises(BufferException, match="invalid heap type {0}".format(heap_type)):
        Buffer(16, heap_type)


@pytest.mark.parametrize("format", [1, 5, 200])
def test_unknown_format(format):
    with pytest.raises(BufferException, match="invalid format {0} for a typed buffer".format(format)):
        Buffer(16, format=format)


@pytest.mark.parametrize("heap_type", [HEAP_DEFAULT, HEAP_UPLOAD, HEAP_READBACK])
def test_roundtrip_through_each_heap(heap_type):
    data = bytes(range(256)) * 2
    buffer = upload_buffer(data, heap_type)
    assert read_buffer(buffer) == data


def test_upload_readback_simple():
    upload = Buffer(8, HEAP_UPLOAD)
    readback = Buffer(8, HEAP_READBACK)
    upload.upload(b"hello!!!")
    upload.copy_to(readback)
    assert readback.readback() == b"hello!!!"


def test_upload_offset_and_readback_size_offset():
    upload = Buffer(16, HEAP_UPLOAD)
    upload.upload(b"\0" * 16)
    upload.upload(b"abcd", 6)
    readback = Buffer(16, HEAP_READBACK)
    upload.copy_to(readback)
    assert readback.readback() == b"\0" * 6 + b"abcd" + b"\0" * 6
    assert readback.readback(4, 6) == b"abcd"
    assert readback.readback(0, 6) == b"abcd" + b"\0" * 6
    assert readback.readback(2) == b"\0\0"


@pytest.mark.parametrize(
    "data",
    [bytearray(b"12345678"), memoryview(b"12345678"), numpy.frombuffer(b"12345678", numpy.uint8)],
    ids=["bytearray", "memoryview", "numpy"],
)
def test_upload_accepts_bytes_like(data):
    upload = Buffer(8, HEAP_UPLOAD)
    upload.upload(data)
    assert read_buffer(upload) == b"12345678"


def test_upload_numpy_float_array():
    values = numpy.arange(16, dtype=numpy.float32) * 1.5
    upload = Buffer(values.nbytes, HEAP_UPLOAD)
    upload.upload(values)
    assert numpy.array_equal(numpy.frombuffer(read_buffer(upload), numpy.float32), values)


def test_readback_into_bytearray():
    buffer = upload_buffer(b"hello!!!", HEAP_READBACK)
    data = bytearray(8)
    assert buffer.readback(data) is None
    assert data == b"hello!!!"


def test_readback_into_smaller_bytearray_with_offset():
    buffer = upload_buffer(b"0123456789", HEAP_READBACK)
    data = bytearray(4)
    buffer.readback(data, 3)
    assert data == b"3456"


def test_readback_into_memoryview():
    buffer = upload_buffer(b"abcdefgh", HEAP_READBACK)
    target = bytearray(12)
    buffer.readback(memoryview(target)[2:10])
    assert target == b"\0\0abcdefgh\0\0"


def test_readback_into_numpy_array():
    values = numpy.arange(32, dtype=numpy.uint32) * 3
    buffer = upload_buffer(values.tobytes(), HEAP_READBACK)
    out = numpy.zeros(32, dtype=numpy.uint32)
    buffer.readback(out)
    assert numpy.array_equal(out, values)


def test_readback_numpy_int_size():
    buffer = upload_buffer(b"abcdefgh", HEAP_READBACK)
    assert buffer.readback(numpy.int64(3)) == b"abc"


def test_readback_into_readonly_object():
    buffer = upload_buffer(b"abcdefgh", HEAP_READBACK)
    with pytest.raises((TypeError, BufferError, BufferException)):
        buffer.readback(b"12345678")


def test_readback_into_too_large_object():
    buffer = upload_buffer(b"abcdefgh", HEAP_READBACK)
    with pytest.raises(BufferException, match="readback of 16 bytes at offset 0 (does not fit in the 8-byte buffer|is out of bounds: the resource has 8 bytes)"):
        buffer.readback(bytearray(16))


def test_upload_out_of_bounds():
    upload = Buffer(8, HEAP_UPLOAD)
    with pytest.raises(BufferException, match="upload of 9 bytes at offset 0 does not fit in the 8-byte buffer"):
        upload.upload(b"x" * 9)
    with pytest.raises(BufferException, match="upload of 4 bytes at offset 6 does not fit in the 8-byte buffer"):
        upload.upload(b"x" * 4, 6)
    with pytest.raises(BufferException, match="upload of 1 bytes at offset 8 does not fit"):
        upload.upload(b"x", 8)


def test_readback_out_of_bounds():
    readback = Buffer(8, HEAP_READBACK)
    with pytest.raises(BufferException, match="readback of 9 bytes at offset 0 (does not fit in the 8-byte buffer|is out of bounds: the resource has 8 bytes)"):
        readback.readback(9)
    with pytest.raises(BufferException, match="readback of 4 bytes at offset 6 (does not fit|is out of bounds)"):
        readback.readback(4, 6)
    with pytest.raises(BufferException, match="offset"):
        readback.readback(0, 9)


def test_negative_offset():
    upload = Buffer(8, HEAP_UPLOAD)
    with pytest.raises(ValueError, match="offset"):
        upload.upload(b"x", -1)


def test_upload_to_default_heap():
    buffer = Buffer(16)
    with pytest.raises(BufferException, match="upload needs a host-visible buffer, this one is in HEAP_DEFAULT"):
        buffer.upload(b"x" * 16)


def test_readback_from_default_heap():
    buffer = Buffer(16)
    with pytest.raises(BufferException, match="readback needs a host-visible buffer, this one is in HEAP_DEFAULT"):
        buffer.readback()
    with pytest.raises(BufferException, match="readback needs a host-visible buffer"):
        buffer.readback(bytearray(16))


def test_upload2d_and_readback2d_on_default_heap():
    buffer = Buffer(64)
    with pytest.raises(BufferException, match="upload2d needs a host-visible buffer"):
        buffer.upload2d(b"x" * 16, 16, 4, 1, 4)
    with pytest.raises(BufferException, match="readback2d needs a host-visible buffer"):
        buffer.readback2d(16, 4, 1, 4)
    with pytest.raises(BufferException, match="upload_chunked needs a host-visible buffer"):
        buffer.upload_chunked(b"xyz", 3, b"\xff")


def test_upload_chunked():
    upload = Buffer(8, HEAP_UPLOAD)
    upload.upload_chunked(b"\xaa\xbb\x11\x22", 2, b"\xee\xff")
    assert read_buffer(upload) == b"\xaa\xbb\xee\xff\x11\x22\xee\xff"


def test_upload_chunked_rgb_to_rgba():
    rgb = bytes(range(1, 13))  # 4 RGB pixels
    upload = Buffer(16, HEAP_UPLOAD)
    upload.upload_chunked(rgb, 3, b"\xff")
    assert read_buffer(upload) == bytes([1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 255, 10, 11, 12, 255])


def test_upload_chunked_too_big():
    upload = Buffer(8, HEAP_UPLOAD)
    with pytest.raises(BufferException, match="need 12 bytes, the buffer has 8"):
        upload.upload_chunked(b"abcdefghi", 3, b"\xff")
    with pytest.raises(BufferException, match="stride must be greater than 0"):
        upload.upload_chunked(b"abc", 0, b"\xff")


def test_upload2d_readback2d():
    width, height, bpp, pitch = 3, 4, 2, 16
    packed = bytes(range(width * height * bpp))
    upload = Buffer(pitch * height, HEAP_UPLOAD)
    upload.upload(b"\xcc" * upload.size)
    upload.upload2d(packed, pitch, width, height, bpp)
    raw = read_buffer(upload)
    for row in range(height):
        line = raw[row * pitch:(row + 1) * pitch]
        assert line[: width * bpp] == packed[row * width * bpp:(row + 1) * width * bpp]
        assert line[width * bpp:] == b"\xcc" * (pitch - width * bpp)
    readback = Buffer(upload.size, HEAP_READBACK)
    upload.copy_to(readback)
    assert readback.readback2d(pitch, width, height, bpp) == packed


def test_upload2d_errors():
    upload = Buffer(32, HEAP_UPLOAD)
    with pytest.raises(BufferException, match="is longer than the pitch of 4 bytes"):
        upload.upload2d(b"x" * 16, 4, 2, 2, 4)
    with pytest.raises(BufferException, match="4 rows with a pitch of 16 bytes need .* bytes, the buffer has 32"):
        upload.upload2d(b"x" * 64, 16, 4, 4, 4)


def test_upload2d_short_data_fills_what_it_covers():
    # as in the original module: data shorter than the rows is copied as far
    # as it goes, row by row, and the rest of the buffer is left alone
    upload = Buffer(32, HEAP_UPLOAD)
    upload.upload(b"\0" * 32)
    upload.upload2d(b"abcdefghij", 12, 2, 2, 4)
    assert read_buffer(upload)[:24] == b"abcdefgh\0\0\0\0ij" + b"\0" * 10


def test_readback2d_errors():
    readback = Buffer(32, HEAP_READBACK)
    with pytest.raises(BufferException, match="is longer than the pitch of 4 bytes"):
        readback.readback2d(4, 2, 2, 4)
    with pytest.raises(BufferException, match="the buffer has 32"):
        readback.readback2d(16, 4, 4, 4)


def test_mapped_memoryview_of_upload_buffer():
    upload = Buffer(8, HEAP_UPLOAD)
    view = memoryview(upload.handle)
    assert view.nbytes == 8 and not view.readonly
    view[:] = b"mapped!!"
    del view
    assert read_buffer(upload) == b"mapped!!"


def test_many_small_buffers():
    buffers = [upload_buffer(struct.pack("<I", i)) for i in range(32)]
    assert [struct.unpack("<I", read_buffer(b))[0] for b in buffers] == list(range(32))


def test_typed_buffer_roundtrip_bytes():
    data = struct.pack("<8I", *range(8))
    assert read_buffer(upload_buffer(data, format=R32_UINT)) == data
