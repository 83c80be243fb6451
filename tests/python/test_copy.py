"""Buffer to buffer copies: sizes, offsets, and every out-of-bounds case."""

import pytest

from compushady import HEAP_DEFAULT, HEAP_READBACK, HEAP_UPLOAD, Buffer, BufferException

from helpers import read_buffer, upload_buffer

DATA = bytes(range(1, 33))  # 32 bytes, no zero


def test_simple_copy_chain():
    b0 = upload_buffer(b"hello!!!", HEAP_UPLOAD)
    b1 = Buffer(8)
    b2 = Buffer(8)
    b3 = Buffer(8, HEAP_READBACK)
    b0.copy_to(b1)
    b1.copy_to(b2)
    b2.copy_to(b1)
    b1.copy_to(b2)
    b2.copy_to(b3)
    assert b3.readback() == b"hello!!!"


@pytest.mark.parametrize("src_heap", [HEAP_DEFAULT, HEAP_UPLOAD, HEAP_READBACK])
@pytest.mark.parametrize("dst_heap", [HEAP_DEFAULT, HEAP_UPLOAD, HEAP_READBACK])
def test_copy_between_heaps(src_heap, dst_heap):
    src = upload_buffer(DATA, src_heap)
    dst = Buffer(len(DATA), dst_heap)
    src.copy_to(dst)
    assert read_buffer(dst) == DATA


def test_copy_to_larger_buffer():
    src = upload_buffer(DATA)
    dst = upload_buffer(b"\0" * 64)
    src.copy_to(dst)
    assert read_buffer(dst) == DATA + b"\0" * 32


def test_copy_size():
    src = upload_buffer(DATA)
    dst = upload_buffer(b"\0" * 32)
    src.copy_to(dst, size=8)
    assert read_buffer(dst) == DATA[:8] + b"\0" * 24


def test_copy_src_offset():
    src = upload_buffer(DATA)
    dst = upload_buffer(b"\0" * 32)
    src.copy_to(dst, size=4, src_offset=10)
    assert read_buffer(dst) == DATA[10:14] + b"\0" * 28


def test_copy_dst_offset():
    src = upload_buffer(DATA)
    dst = upload_buffer(b"\0" * 32)
    src.copy_to(dst, size=4, dst_offset=20)
    assert read_buffer(dst) == b"\0" * 20 + DATA[:4] + b"\0" * 8


def test_copy_both_offsets():
    src = upload_buffer(DATA)
    dst = upload_buffer(b"\0" * 32)
    src.copy_to(dst, size=12, src_offset=4, dst_offset=16)
    assert read_buffer(dst) == b"\0" * 16 + DATA[4:16] + b"\0" * 4


def test_copy_size_zero_with_src_offset_copies_the_rest():
    src = upload_buffer(DATA)
    dst = upload_buffer(b"\0" * 32)
    src.copy_to(dst, src_offset=24)
    assert read_buffer(dst) == DATA[24:] + b"\0" * 24


def test_copy_whole_source_into_offset_that_fits():
    src = upload_buffer(DATA[:8])
    dst = upload_buffer(b"\0" * 32)
    src.copy_to(dst, dst_offset=24)
    assert read_buffer(dst) == b"\0" * 24 + DATA[:8]


def test_copy_out_of_bounds_source_size():
    src = Buffer(32)
    dst = Buffer(64)
    with pytest.raises(BufferException, match="copy: 33 bytes from src_offset 0 exceed the 32-byte source buffer"):
        src.copy_to(dst, size=33)


def test_copy_out_of_bounds_source_offset_plus_size():
    src = Buffer(32)
    dst = Buffer(64)
    with pytest.raises(BufferException, match="copy: 8 bytes from src_offset 28 exceed the 32-byte source buffer"):
        src.copy_to(dst, size=8, src_offset=28)


def test_copy_source_offset_past_end():
    src = Buffer(32)
    dst = Buffer(64)
    with pytest.raises(BufferException, match="copy: src_offset 33 is past the end of the 32-byte source buffer"):
        src.copy_to(dst, src_offset=33)


def test_copy_whole_source_into_smaller_destination():
    src = Buffer(32)
    dst = Buffer(16)
    with pytest.raises(BufferException, match="copy: 32 bytes to dst_offset 0 exceed the 16-byte destination buffer"):
        src.copy_to(dst)


def test_copy_out_of_bounds_destination_offset():
    src = Buffer(32)
    dst = Buffer(32)
    with pytest.raises(BufferException, match="copy: 8 bytes to dst_offset 28 exceed the 32-byte destination buffer"):
        src.copy_to(dst, size=8, dst_offset=28)
    with pytest.raises(BufferException, match="copy: 1 bytes to dst_offset 40 exceed the 32-byte destination buffer"):
        src.copy_to(dst, size=1, dst_offset=40)


def test_copy_errors_are_value_errors():
    with pytest.raises(ValueError):
        Buffer(8).copy_to(Buffer(4))


def test_copy_nothing_left_is_harmless():
    # src_offset at the very end: nothing to copy; either a no-op or a clear
    # ValueError, never a driver error (the validation fixture checks)
    src = upload_buffer(DATA)
    dst = upload_buffer(b"\0" * 32)
    try:
        src.copy_to(dst, src_offset=32)
    except ValueError as error:
        assert "src_offset" in str(error) or "size" in str(error)
    assert read_buffer(dst) == b"\0" * 32


def test_copy_negative_values():
    src = Buffer(32)
    dst = Buffer(32)
    with pytest.raises(ValueError, match="must be >= 0"):
        src.copy_to(dst, size=-4)
    with pytest.raises(ValueError, match="must be >= 0"):
        src.copy_to(dst, src_offset=-1)


def test_copy_to_not_a_resource():
    with pytest.raises(TypeError, match="copy_to destination must be a Buffer or a Texture, got bytearray"):
        Buffer(8).copy_to(bytearray(8))


def test_copy_big_buffer():
    data = bytes(range(256)) * 4096  # 1 MiB
    assert read_buffer(upload_buffer(data)) == data
