"""Sparse (tiled) buffers and textures: bind_tile, the tiling attributes,
misuse. The GPU tests need a device with sparse binding; everywhere the
error paths that need none run."""

import numpy
import pytest

from compushady import (
    HEAP_DEFAULT,
    HEAP_READBACK,
    HEAP_UPLOAD,
    Buffer,
    BufferException,
    Heap,
    Texture1D,
    Texture1DException,
    Texture2D,
    Texture2DException,
    Texture3D,
    Texture3DException,
    get_current_device,
)
from compushady.formats import R8G8B8A8_UNORM, R32_UINT

from helpers import run_hlsl

SUPPORTS_SPARSE = get_current_device().handle.supports_sparse
NEEDS_HEAPS = pytest.mark.skipif(
    not get_current_device().handle.supports_heaps,
    reason="the device cannot place resources in heaps (supports_heaps is False)",
)
needs_sparse = pytest.mark.skipif(
    not SUPPORTS_SPARSE,
    reason="the device has no sparse binding (sparseBinding + "
    "sparseResidencyBuffer on a compute queue)",
)
without_sparse = pytest.mark.skipif(
    SUPPORTS_SPARSE, reason="the device supports sparse binding"
)


# >>everywhere


@without_sparse
@pytest.mark.parametrize(
    "create,exception",
    [
        (lambda: Buffer(64 * 1024, sparse=True), BufferException),
        (lambda: Texture1D(256, R32_UINT, sparse=True), Texture1DException),
        (lambda: Texture2D(256, 256, R32_UINT, sparse=True), Texture2DException),
        (lambda: Texture3D(32, 32, 32, R32_UINT, sparse=True), Texture3DException),
    ],
)
def test_unsupported_device_refuses_sparse(create, exception):
    with pytest.raises(exception, match="sparse resources need sparse binding"):
        create()


@pytest.mark.parametrize(
    "create,exception",
    [
        (lambda: Buffer(64 * 1024), BufferException),
        (lambda: Texture2D(16, 16, R32_UINT), Texture2DException),
    ],
)
@NEEDS_HEAPS
def test_bind_tile_needs_a_sparse_resource(create, exception):
    resource = create()
    heap = Heap(HEAP_DEFAULT, 64 * 1024)
    with pytest.raises(exception, match="bind_tile needs a sparse resource"):
        resource.bind_tile(0, 0, 0, heap)
    with pytest.raises(exception, match="bind_tile needs a sparse resource"):
        resource.bind_tile(0, 0, 0, None)


def test_bind_tile_heap_must_be_a_heap():
    buffer = Buffer(1024)
    with pytest.raises(TypeError, match="heap must be a compushady.Heap or None"):
        buffer.bind_tile(0, 0, 0, b"heap")
    with pytest.raises(TypeError, match="heap must be a compushady Heap or None"):
        buffer.handle.bind_tile(0, 0, 0, heap=b"heap")


def test_sparse_buffer_in_upload_heap_refused():
    with pytest.raises(BufferException, match="sparse buffers live in HEAP_DEFAULT"):
        Buffer(1024, HEAP_UPLOAD, sparse=True)


@NEEDS_HEAPS
def test_sparse_resource_takes_no_heap():
    heap = Heap(HEAP_DEFAULT, 64 * 1024)
    with pytest.raises(BufferException, match="map its tiles with bind_tile"):
        Buffer(1024, heap=heap, sparse=True)


def test_non_sparse_resources_have_no_tiles():
    buffer = Buffer(1024)
    assert (buffer.tiles_x, buffer.tiles_y, buffer.tiles_z) == (0, 0, 0)
    assert (buffer.tile_width, buffer.tile_height, buffer.tile_depth) == (0, 0, 0)


# >>helpers


def sparse_buffer(tiles):
    """A sparse buffer of exactly `tiles` tiles."""
    probe = Buffer(1, sparse=True)
    tile = probe.tile_width
    buffer = Buffer(tiles * tile, sparse=True)
    assert buffer.tiles_x == tiles
    return buffer, tile


def upload(resource, data, offset=0):
    staging = Buffer(len(data), HEAP_UPLOAD)
    staging.upload(data)
    staging.copy_to(resource, dst_offset=offset)


def download(resource, size, offset=0):
    readback = Buffer(size, HEAP_READBACK)
    resource.copy_to(readback, size=size, src_offset=offset)
    return readback.readback()


def pattern(size, seed):
    return numpy.random.default_rng(seed).integers(0, 256, size, dtype=numpy.uint8).tobytes()


# >>buffers (GPU)


@needs_sparse
def test_buffer_attributes():
    buffer = Buffer(200 * 1024, sparse=True)
    tile = buffer.tile_width
    assert tile > 0 and tile % 4096 == 0
    assert (buffer.tile_height, buffer.tile_depth) == (1, 1)
    assert buffer.tiles_x == -(-200 * 1024 // tile)
    assert (buffer.tiles_y, buffer.tiles_z) == (1, 1)
    assert buffer.size == 200 * 1024
    assert buffer.heap_size >= buffer.size


@needs_sparse
def test_buffer_bind_write_read():
    buffer, tile = sparse_buffer(4)
    heap = Heap(HEAP_DEFAULT, 2 * tile)
    buffer.bind_tile(0, 0, 0, heap)
    buffer.bind_tile(2, 0, 0, heap, heap_offset=tile)
    # tile 0 through a compute shader, tile 2 through a copy
    run_hlsl(
        """
        RWByteAddressBuffer output : register(u0);
        [numthreads(64, 1, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            output.Store(tid.x * 4, tid.x * 3 + 1);
        }
        """,
        groups=(tile // 4 // 64, 1, 1),
        uav=[buffer],
    )
    data = pattern(tile, 1)
    upload(buffer, data, offset=2 * tile)
    expected = (numpy.arange(tile // 4, dtype=numpy.uint32) * 3 + 1).tobytes()
    assert download(buffer, tile, 0) == expected
    assert download(buffer, tile, 2 * tile) == data

    # unmap tile 2, map tile 1 and tile 3 onto the heap bytes of tiles 2 and
    # 0: the heap kept its content
    buffer.bind_tile(2, 0, 0, None)
    buffer.bind_tile(1, 0, 0, heap, heap_offset=tile)
    buffer.bind_tile(3, 0, 0, heap, heap_offset=0)
    assert download(buffer, tile, tile) == data
    assert download(buffer, tile, 3 * tile) == expected


@needs_sparse
def test_buffer_tiles_shared_between_resources():
    a, tile = sparse_buffer(2)
    b, _ = sparse_buffer(2)
    heap = Heap(HEAP_DEFAULT, tile)
    a.bind_tile(1, 0, 0, heap)
    b.bind_tile(0, 0, 0, heap)
    data = pattern(tile, 2)
    upload(a, data, offset=tile)
    assert download(b, tile) == data


@needs_sparse
def test_buffer_keeps_the_heap_alive():
    buffer, tile = sparse_buffer(1)
    heap = Heap(HEAP_DEFAULT, tile)
    buffer.bind_tile(0, 0, 0, heap)
    del heap  # the tile still maps it
    data = pattern(tile, 3)
    upload(buffer, data)
    assert download(buffer, tile) == data


@needs_sparse
def test_buffer_bad_arguments():
    buffer, tile = sparse_buffer(4)
    heap = Heap(HEAP_DEFAULT, 2 * tile)
    with pytest.raises(BufferException, match="x 4 is out of range: the sparse buffer has tiles_x = 4"):
        buffer.bind_tile(4, 0, 0, heap)
    with pytest.raises(BufferException, match="y 1 is out of range: .* tiles_y = 1"):
        buffer.bind_tile(0, 1, 0, heap)
    with pytest.raises(BufferException, match="z 1 is out of range: .* tiles_z = 1"):
        buffer.bind_tile(0, 0, 1, heap)
    with pytest.raises(BufferException, match="slice 1 is out of range: .* slices = 1"):
        buffer.bind_tile(0, 0, 0, heap, slice=1)
    with pytest.raises(
        BufferException,
        match="heap_offset 4096 is not a multiple of the tile size \\({0} bytes\\)".format(tile),
    ):
        buffer.bind_tile(0, 0, 0, heap, heap_offset=4096)
    with pytest.raises(BufferException, match="tiles map onto HEAP_DEFAULT heaps, this heap is HEAP_UPLOAD"):
        buffer.bind_tile(0, 0, 0, Heap(HEAP_UPLOAD, tile))
    with pytest.raises(BufferException, match="tiles map onto HEAP_DEFAULT heaps, this heap is HEAP_READBACK"):
        buffer.bind_tile(0, 0, 0, Heap(HEAP_READBACK, tile))
    with pytest.raises(
        BufferException,
        match="a tile of {0} bytes at heap_offset {1} does not fit in the {1}-byte heap".format(tile, 2 * tile),
    ):
        buffer.bind_tile(0, 0, 0, heap, heap_offset=2 * tile)
    small = Heap(HEAP_DEFAULT, tile // 2)
    with pytest.raises(BufferException, match="does not fit in the {0}-byte heap".format(tile // 2)):
        buffer.bind_tile(0, 0, 0, small)
    with pytest.raises(TypeError, match="heap must be a compushady.Heap or None"):
        buffer.bind_tile(0, 0, 0, 42)
    # unmapping a tile never mapped is fine
    buffer.bind_tile(3, 0, 0, None)


# >>textures (GPU)


def sparse_texture2d(tiles_x, tiles_y, format=R8G8B8A8_UNORM, slices=1):
    probe = Texture2D(256, 256, format, sparse=True)
    width, height = probe.tile_width, probe.tile_height
    texture = Texture2D(tiles_x * width, tiles_y * height, format, slices=slices, sparse=True)
    assert (texture.tiles_x, texture.tiles_y, texture.tiles_z) == (tiles_x, tiles_y, 1)
    return texture


def tile_bytes(texture, texel_size=4):
    return texture.tile_width * texture.tile_height * texture.tile_depth * texel_size


def texture_upload(texture, data):
    staging = Buffer(texture.size, HEAP_UPLOAD)
    staging.upload(data)
    staging.copy_to(texture)


def texture_download(texture):
    readback = Buffer(texture.size, HEAP_READBACK)
    texture.copy_to(readback)
    return readback.readback()


@needs_sparse
def test_texture2d_attributes():
    texture = Texture2D(300, 200, R8G8B8A8_UNORM, sparse=True)
    assert texture.tile_width > 0 and texture.tile_height > 0
    assert texture.tile_depth == 1
    assert texture.tiles_x == -(-300 // texture.tile_width)
    assert texture.tiles_y == -(-200 // texture.tile_height)
    assert texture.tiles_z == 1
    # standard block shapes: 64 KiB tiles
    assert tile_bytes(texture) == 64 * 1024


@needs_sparse
def test_texture2d_bind_all_tiles_copy_in_and_out():
    texture = sparse_texture2d(2, 2)
    tile = tile_bytes(texture)
    heap = Heap(HEAP_DEFAULT, 4 * tile)
    for y in range(2):
        for x in range(2):
            texture.bind_tile(x, y, 0, heap, heap_offset=(y * 2 + x) * tile)
    assert texture.row_pitch == texture.width * 4
    data = pattern(texture.size, 4)
    texture_upload(texture, data)
    assert texture_download(texture) == data


@needs_sparse
def test_texture2d_rebind_keeps_heap_content():
    texture = sparse_texture2d(2, 1)
    tile = tile_bytes(texture)
    heap = Heap(HEAP_DEFAULT, 2 * tile)
    texture.bind_tile(0, 0, 0, heap, heap_offset=0)
    texture.bind_tile(1, 0, 0, heap, heap_offset=tile)
    data = pattern(texture.size, 5)
    texture_upload(texture, data)
    # swap the two tiles' memory: the left and right halves swap
    texture.bind_tile(0, 0, 0, heap, heap_offset=tile)
    texture.bind_tile(1, 0, 0, heap, heap_offset=0)
    rows = numpy.frombuffer(data, numpy.uint8).reshape(texture.height, 2, -1)
    swapped = rows[:, ::-1, :].tobytes()
    assert texture_download(texture) == swapped


@needs_sparse
def test_texture2d_array_slices():
    texture = sparse_texture2d(1, 1, slices=2)
    tile = tile_bytes(texture)
    heap = Heap(HEAP_DEFAULT, 2 * tile)
    texture.bind_tile(0, 0, 0, heap, heap_offset=tile, slice=0)
    texture.bind_tile(0, 0, 0, heap, heap_offset=0, slice=1)
    # copies move one slice at a time
    slice_size = texture.size // 2
    data = [pattern(slice_size, 6), pattern(slice_size, 7)]
    for index in range(2):
        staging = Buffer(slice_size, HEAP_UPLOAD)
        staging.upload(data[index])
        staging.copy_to(texture, dst_slice=index)
    for index in range(2):
        readback = Buffer(slice_size, HEAP_READBACK)
        texture.copy_to(readback, src_slice=index)
        assert readback.readback() == data[index]
    with pytest.raises(Texture2DException, match="slice 2 is out of range: .* slices = 2"):
        texture.bind_tile(0, 0, 0, heap, slice=2)


@needs_sparse
def test_texture2d_compute_writes_bound_tiles():
    texture = sparse_texture2d(2, 1, format=R32_UINT)
    tile = tile_bytes(texture)
    heap = Heap(HEAP_DEFAULT, 2 * tile)
    texture.bind_tile(0, 0, 0, heap)
    texture.bind_tile(1, 0, 0, heap, heap_offset=tile)
    run_hlsl(
        """
        RWTexture2D<uint> output : register(u0);
        [numthreads(8, 8, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {
            output[tid.xy] = tid.y * 65536 + tid.x;
        }
        """,
        groups=(texture.width // 8, texture.height // 8, 1),
        uav=[texture],
    )
    y, x = numpy.mgrid[0 : texture.height, 0 : texture.width]
    expected = (y * 65536 + x).astype(numpy.uint32).tobytes()
    assert texture_download(texture) == expected


@needs_sparse
def test_texture2d_bad_arguments():
    texture = sparse_texture2d(2, 2)
    tile = tile_bytes(texture)
    heap = Heap(HEAP_DEFAULT, tile)
    with pytest.raises(Texture2DException, match="x 2 is out of range: the sparse Texture2D has tiles_x = 2"):
        texture.bind_tile(2, 0, 0, heap)
    with pytest.raises(Texture2DException, match="y 2 is out of range: .* tiles_y = 2"):
        texture.bind_tile(0, 2, 0, heap)
    with pytest.raises(Texture2DException, match="z 1 is out of range: .* tiles_z = 1"):
        texture.bind_tile(0, 0, 1, heap)
    with pytest.raises(Texture2DException, match="heap_offset 256 is not a multiple of the tile size"):
        texture.bind_tile(0, 0, 0, heap, heap_offset=256)
    with pytest.raises(Texture2DException, match="this heap is HEAP_UPLOAD"):
        texture.bind_tile(0, 0, 0, Heap(HEAP_UPLOAD, tile))
    with pytest.raises(Texture2DException, match="does not fit in the {0}-byte heap".format(tile)):
        texture.bind_tile(0, 0, 0, heap, heap_offset=tile)


@needs_sparse
def test_texture1d_sparse_refused():
    with pytest.raises(Texture1DException, match="sparse Texture1D does not exist in Vulkan"):
        Texture1D(4096, R8G8B8A8_UNORM, sparse=True)


@needs_sparse
def test_texture3d_bind_all_tiles():
    try:
        probe = Texture3D(64, 64, 64, R8G8B8A8_UNORM, sparse=True)
    except Texture3DException as error:
        if "does not support sparse" in str(error):
            pytest.skip(str(error))
        raise
    width, height, depth = probe.tile_width, probe.tile_height, probe.tile_depth
    texture = Texture3D(2 * width, height, depth, R8G8B8A8_UNORM, sparse=True)
    assert (texture.tiles_x, texture.tiles_y, texture.tiles_z) == (2, 1, 1)
    tile = tile_bytes(texture)
    heap = Heap(HEAP_DEFAULT, 2 * tile)
    texture.bind_tile(0, 0, 0, heap, heap_offset=tile)
    texture.bind_tile(1, 0, 0, heap, heap_offset=0)
    data = pattern(texture.size, 7)
    texture_upload(texture, data)
    assert texture_download(texture) == data
