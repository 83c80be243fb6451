"""Textures in every format of compushady.formats: SRV reads (.Load and [])
compared with values decoded in numpy, UAV writes read back as bytes; every
dimension (1D, 2D, 3D, 1D/2D arrays) with slices chosen in copies."""

import re

import numpy
import pytest

import compushady
from compushady import (
    HEAP_READBACK,
    HEAP_UPLOAD,
    Buffer,
    Texture1D,
    Texture1DException,
    Texture2D,
    Texture2DException,
    Texture3D,
    Texture3DException,
)
from compushady import formats
from compushady.shaders import hlsl

from helpers import read_buffer, upload_buffer

ALL_FORMATS = sorted(
    (name for name in dir(formats) if name.isupper() and isinstance(getattr(formats, name), int)),
    key=lambda name: getattr(formats, name),
)
WIDTH, HEIGHT = 4, 3


def layout(name):
    """(component bit sizes in memory order, memory order of RGBA, kind)."""
    channels = name.split("_")[0]
    kind = name.split("_", 1)[1]
    if channels == "R10G10B10A2":
        bits = [10, 10, 10, 2]
    else:
        bits = [int(part) for part in channels.replace("R", " ").replace("G", " ").replace("B", " ").replace("A", " ").split()]
    order = [{"R": 0, "G": 1, "B": 2, "A": 3}[c] for c in channels if c.isalpha()]
    return bits, order, kind


def hlsl_type(name):
    kind = layout(name)[2]
    return "uint4" if kind == "UINT" else "int4" if kind == "SINT" else "float4"


def sample_bytes(name, count):
    """Random texels, with values that convert back exactly (no NaN/Inf
    floats, no -128 SNORM that also means -1.0)."""
    rng = numpy.random.default_rng(getattr(formats, name))
    bits, _, kind = layout(name)
    texel = formats.get_pixel_size(getattr(formats, name))
    if kind == "FLOAT":
        dtype = numpy.float16 if bits[0] == 16 else numpy.float32
        values = rng.uniform(-100, 100, count * len(bits)).astype(dtype)
        return values.tobytes()
    raw = rng.integers(0, 256, count * texel, dtype=numpy.uint8)
    if kind == "SNORM":
        if bits[0] == 16:
            words = raw.view(numpy.uint16)
            words[words == 0x8000] = 0x8001
        else:
            raw[raw == 0x80] = 0x81
    return raw.tobytes()


def decode(name, data):
    """The (N, 4) values a shader's Load returns for the texels in data."""
    bits, order, kind = layout(name)
    if bits == [10, 10, 10, 2]:
        words = numpy.frombuffer(data, numpy.uint32)
        ints = numpy.stack([(words >> shift) & ((1 << b) - 1) for shift, b in zip((0, 10, 20, 30), bits)], 1)
    elif kind == "FLOAT":
        dtype = numpy.float16 if bits[0] == 16 else numpy.float32
        ints = numpy.frombuffer(data, dtype).reshape(-1, len(bits)).astype(numpy.float64)
    else:
        signed = kind in ("SINT", "SNORM")
        dtype = {8: numpy.int8, 16: numpy.int16, 32: numpy.int32}[bits[0]]
        if not signed:
            dtype = {8: numpy.uint8, 16: numpy.uint16, 32: numpy.uint32}[bits[0]]
        ints = numpy.frombuffer(data, dtype).reshape(-1, len(bits)).astype(numpy.float64)
    values = numpy.zeros((len(ints), 4))
    values[:, 3] = 1
    maxima = numpy.array([(1 << b) - 1 for b in bits], numpy.float64)
    for column, channel in enumerate(order):
        v = ints[:, column]
        if kind.startswith("UNORM"):
            v = v / maxima[column]
        elif kind == "SNORM":
            v = numpy.maximum(v / ((maxima[column] - 1) / 2), -1)
        if kind == "UNORM_SRGB" and channel < 3:
            v = numpy.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)
        values[:, channel] = v
    return values


def create(kind, fmt, slices=1):
    if kind == "1d":
        return Texture1D(WIDTH, fmt, slices=slices)
    if kind == "3d":
        return Texture3D(WIDTH, HEIGHT, 2, fmt)
    return Texture2D(WIDTH, HEIGHT, fmt, slices=slices)


def upload_texture(texture, packed, texel, slice_=0):
    """Tightly packed rows into one slice, through rows of row_pitch."""
    rows = texture.height * texture.depth
    staging = Buffer(texture.row_pitch * rows, HEAP_UPLOAD)
    padded = bytearray(texture.row_pitch * rows)
    for row in range(rows):
        padded[row * texture.row_pitch : row * texture.row_pitch + texture.width * texel] = packed[
            row * texture.width * texel : (row + 1) * texture.width * texel
        ]
    staging.upload(bytes(padded))
    staging.copy_to(texture, dst_slice=slice_)


def read_texture(texture, texel, slice_=0):
    rows = texture.height * texture.depth
    readback = Buffer(texture.row_pitch * rows, HEAP_READBACK)
    texture.copy_to(readback, src_slice=slice_)
    data = readback.readback()
    return b"".join(data[row * texture.row_pitch : row * texture.row_pitch + texture.width * texel] for row in range(rows))


USES = {
    # bit: (what the refusal says, the register it names)
    compushady.FORMAT_SUPPORT_TEXTURE_SRV: ("read-only texture", "t0"),
    compushady.FORMAT_SUPPORT_TEXTURE_UAV: ("read-write texture", "u0"),
}


def texture_or_refusal(name, bit, width=WIDTH, height=HEIGHT):
    """A texture of format name when the device has the use bit of it (its
    get_format_support); else asserts that the texture, or the compute
    that binds it for that use (bind()), is refused as documented, and
    skips naming the format and the use."""
    device = compushady.get_current_device()
    fmt = getattr(formats, name)
    support = device.get_format_support(fmt)
    use, register = USES[bit]
    reason = "device '{0}' does not support {1} as a {2} (get_format_support)".format(device.name, name, use)
    if not support & (compushady.FORMAT_SUPPORT_TEXTURE_SRV | compushady.FORMAT_SUPPORT_TEXTURE_UAV):
        with pytest.raises(Texture2DException, match="Texture2D: format {0} is not supported as a texture".format(name)):
            Texture2D(width, height, fmt)
        pytest.skip(reason)
    texture = Texture2D(width, height, fmt)
    return texture, (support & bit) != 0, reason, "register {0}: format {1} is not supported as a {2}".format(
        register, name, use)


@pytest.mark.parametrize("name", ALL_FORMATS)
def test_srv_load_every_format(name):
    fmt = getattr(formats, name)
    texel = formats.get_pixel_size(fmt)
    texture, supported, reason, refusal = texture_or_refusal(name, compushady.FORMAT_SUPPORT_TEXTURE_SRV)
    data = sample_bytes(name, WIDTH * HEIGHT)
    upload_texture(texture, data, texel)
    t = hlsl_type(name)
    out = Buffer(WIDTH * HEIGHT * 2 * 16, stride=16)
    source = """
        Texture2D<{0}> input : register(t0);
        RWStructuredBuffer<{0}> output : register(u0);
        [numthreads({1}, {2}, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {{
            uint i = tid.y * {1} + tid.x;
            output[i] = input.Load(int3(tid.xy, 0));
            output[i + {1} * {2}] = input[tid.xy];
        }}
        """.format(t, WIDTH, HEIGHT)
    if not supported:
        with pytest.raises(compushady.ComputeException, match=re.escape(refusal)):
            compushady.Compute(hlsl.compile(source), srv=[texture], uav=[out])
        pytest.skip(reason)
    compute = compushady.Compute(hlsl.compile(source), srv=[texture], uav=[out])
    compute.dispatch(1, 1, 1)
    dtype = {"uint4": numpy.uint32, "int4": numpy.int32, "float4": numpy.float32}[t]
    got = numpy.frombuffer(read_buffer(out), dtype).reshape(2, WIDTH * HEIGHT, 4).astype(numpy.float64)
    expected = decode(name, data)
    # sRGB decoding is approximate on hardware (NVIDIA: within ~0.3 %)
    rtol, atol = (6e-3, 2e-3) if "SRGB" in name else (1e-6, 1e-6)
    for half in got:
        assert numpy.allclose(half, expected, rtol=rtol, atol=atol), (name, numpy.abs(half - expected).max())


@pytest.mark.parametrize("name", ALL_FORMATS)
def test_uav_write_every_format(name):
    fmt = getattr(formats, name)
    texel = formats.get_pixel_size(fmt)
    texture, supported, reason, refusal = texture_or_refusal(name, compushady.FORMAT_SUPPORT_TEXTURE_UAV)
    data = sample_bytes(name, WIDTH * HEIGHT)
    t = hlsl_type(name)
    dtype = {"uint4": numpy.uint32, "int4": numpy.int32, "float4": numpy.float32}[t]
    values = decode(name, data).astype(dtype)
    src = upload_buffer(values.tobytes(), stride=16)
    source = """
        StructuredBuffer<{0}> input : register(t0);
        RWTexture2D<{0}> output : register(u0);
        [numthreads({1}, {2}, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {{
            output[tid.xy] = input[tid.y * {1} + tid.x];
        }}
        """.format(t, WIDTH, HEIGHT)
    if not supported:
        with pytest.raises(compushady.ComputeException, match=re.escape(refusal)):
            compushady.Compute(hlsl.compile(source), srv=[src], uav=[texture])
        pytest.skip(reason)
    compute = compushady.Compute(hlsl.compile(source), srv=[src], uav=[texture])
    compute.dispatch(1, 1, 1)
    got = read_texture(texture, texel)
    if "SRGB" in name:
        diff = numpy.abs(numpy.frombuffer(got, numpy.uint8).astype(int) - numpy.frombuffer(data, numpy.uint8))
        assert diff.max() <= 1, name
    else:
        assert got == data, name


def test_uav_without_format_write_works_read_fails_clearly():
    """B8G8R8A8_UNORM has no SPIR-V image format: the storage image is
    declared without one. Writes need shaderStorageImageWriteWithoutFormat
    (without it the device has no FORMAT_SUPPORT_TEXTURE_UAV of the
    format), reads shaderStorageImageReadWithoutFormat (lavapipe lacks
    it)."""
    device = compushady.get_current_device()
    texture, supported, reason, refusal = texture_or_refusal("B8G8R8A8_UNORM", compushady.FORMAT_SUPPORT_TEXTURE_UAV, 2, 2)
    write = """
        RWTexture2D<float4> output : register(u0);
        [numthreads(2, 2, 1)]
        void main(uint3 tid : SV_DispatchThreadID) { output[tid.xy] = float4(1, 0, tid.x, 1); }
        """
    if not supported:
        with pytest.raises(compushady.ComputeException, match=re.escape(refusal)):
            compushady.Compute(hlsl.compile(write), uav=[texture])
        pytest.skip(reason)
    # (a device without shaderStorageImageWriteWithoutFormat has no
    # FORMAT_SUPPORT_TEXTURE_UAV of it: refused above)
    compushady.Compute(hlsl.compile(write), uav=[texture]).dispatch(1, 1, 1)
    got = numpy.frombuffer(read_texture(texture, 4), numpy.uint8).reshape(4, 4)
    # memory order B, G, R, A
    assert got.tolist() == [[0, 0, 255, 255], [255, 0, 255, 255]] * 2
    read = """
        RWTexture2D<float4> output : register(u0);
        [numthreads(2, 2, 1)]
        void main(uint3 tid : SV_DispatchThreadID) { output[tid.xy] = output[tid.xy].bgra; }
        """
    if not device.supports_storage_image_without_format:
        with pytest.raises(
            ValueError,
            match=r"register u0: format B8G8R8A8_UNORM has no SPIR-V image format and the shader reads it.*"
            r"shaderStorageImageReadWithoutFormat.*only write",
        ):
            compushady.Compute(hlsl.compile(read), uav=[texture])
        return
    compushady.Compute(hlsl.compile(read), uav=[texture]).dispatch(1, 1, 1)
    got = numpy.frombuffer(read_texture(texture, 4), numpy.uint8).reshape(4, 4)
    assert got.tolist() == [[255, 0, 0, 255], [255, 0, 255, 255]] * 2


# >>dimensions: every texture kind, SRV and UAV, slices chosen in copies

KINDS = {
    # kind: (HLSL SRV, HLSL UAV, slices, index expression of tid, threads)
    "1d": ("Texture1D", "RWTexture1D", 1, "tid.x", "int2(tid.x, 0)", (WIDTH, 1, 1)),
    "1d_array": ("Texture1DArray", "RWTexture1DArray", 3, "tid.xy", "int3(tid.xy, 0)", (WIDTH, 3, 1)),
    "2d": ("Texture2D", "RWTexture2D", 1, "tid.xy", "int3(tid.xy, 0)", (WIDTH, HEIGHT, 1)),
    "2d_array": ("Texture2DArray", "RWTexture2DArray", 3, "tid", "int4(tid, 0)", (WIDTH, HEIGHT, 3)),
    "3d": ("Texture3D", "RWTexture3D", 1, "tid", "int4(tid, 0)", (WIDTH, HEIGHT, 2)),
}


def make_kind(kind, fmt):
    slices = KINDS[kind][2]
    return create(kind.split("_")[0], fmt, slices)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("name", ["R32_UINT", "R8G8B8A8_UNORM"])
def test_dimensions_srv_and_uav(kind, name):
    fmt = getattr(formats, name)
    texel = formats.get_pixel_size(fmt)
    srv_type, uav_type, slices, index, load, threads = KINDS[kind]
    texture = make_kind(kind, fmt)
    per_slice = texture.width * texture.height * texture.depth
    # upload every slice separately (buffer->texture with dst_slice)
    data = [sample_bytes(name, per_slice + s)[: per_slice * texel] for s in range(slices)]
    for s in range(slices):
        upload_texture(texture, data[s], texel, s)
    t = hlsl_type(name)
    element = "uint" if name == "R32_UINT" else "float4"
    out = Buffer(per_slice * slices * 16, stride=16)
    dst = make_kind(kind, fmt)
    x, y, z = threads
    flat = "tid.x + {0} * (tid.y + {1} * tid.z)".format(x, y)
    compushady.Compute(
        hlsl.compile(
            """
            {0}<{1}> input : register(t0);
            RWStructuredBuffer<float4> output : register(u0);
            {2}<{1}> copy : register(u1);
            [numthreads({3}, {4}, {5})]
            void main(uint3 tid : SV_DispatchThreadID)
            {{
                output[{6}] = float4(input.Load({7}));
                copy[{8}] = input[{8}];
            }}
            """.format(srv_type, element, uav_type, x, y, z, flat, load, index)
        ),
        srv=[texture],
        uav=[out, dst],
    ).dispatch(1, 1, 1)
    got = numpy.frombuffer(read_buffer(out), numpy.float32).reshape(-1, 4)
    expected = numpy.concatenate([decode(name, d) for d in data])
    if name == "R32_UINT":
        got = got[:, :1]
        expected = expected[:, :1]
    assert numpy.allclose(got, expected, atol=1e-6)
    for s in range(slices):
        assert read_texture(dst, texel, s) == data[s], (kind, s)


@pytest.mark.parametrize(
    "kind,factory,exception",
    [
        ("1d", lambda: Texture1D(5, formats.R16G16_FLOAT, slices=2), Texture1DException),
        ("2d", lambda: Texture2D(5, 3, formats.R16G16_FLOAT, slices=2), Texture2DException),
        ("3d", lambda: Texture3D(5, 3, 2, formats.R16G16_FLOAT), Texture3DException),
    ],
)
def test_attributes_every_kind(kind, factory, exception):
    texture = factory()
    height = 1 if kind == "1d" else 3
    depth = 2 if kind == "3d" else 1
    slices = 1 if kind == "3d" else 2
    assert (texture.width, texture.height, texture.depth, texture.slices) == (5, height, depth, slices)
    assert texture.row_pitch >= 5 * 4 and texture.row_pitch % 4 == 0
    # size: the linear representation of every slice
    assert texture.size == texture.row_pitch * height * depth * slices
    assert texture.heap_size >= 5 * 4 * height * depth * slices
    with pytest.raises(exception, match="src_slice {0} is out of range".format(slices)):
        texture.copy_to(Buffer(texture.size, HEAP_READBACK), src_slice=slices)
    with pytest.raises(ValueError, match="dst_slice {0} is out of range".format(slices)):
        Buffer(texture.size, HEAP_UPLOAD).copy_to(texture, dst_slice=slices)


def test_texture_to_texture_boxes_with_slices():
    fmt = formats.R32_UINT
    src = Texture2D(4, 3, fmt, slices=3)
    dst = Texture2D(5, 4, fmt, slices=2)
    planes = [numpy.arange(12, dtype=numpy.uint32) + 100 * s for s in range(3)]
    for s in range(3):
        upload_texture(src, planes[s].tobytes(), 4, s)
    for s in range(2):
        upload_texture(dst, numpy.zeros(20, numpy.uint32).tobytes(), 4, s)
    src.copy_to(dst, width=2, height=2, src_x=1, src_y=1, src_slice=2, dst_x=3, dst_y=2, dst_slice=1)
    got = numpy.frombuffer(read_texture(dst, 4, 1), numpy.uint32).reshape(4, 5)
    expected = numpy.zeros((4, 5), numpy.uint32)
    expected[2:4, 3:5] = planes[2].reshape(3, 4)[1:3, 1:3]
    assert numpy.array_equal(got, expected)
    assert not numpy.frombuffer(read_texture(dst, 4, 0), numpy.uint32).any()
    with pytest.raises(Texture2DException, match="dst_slice 2 is out of range"):
        src.copy_to(dst, width=1, height=1, dst_slice=2)
    with pytest.raises(Texture2DException, match="a box of 2 texels from dst_x 4 exceeds"):
        src.copy_to(dst, width=2, height=1, dst_x=4)
    # 1D arrays and 3D boxes with z offsets
    a = Texture1D(8, fmt, slices=2)
    upload_texture(a, numpy.arange(8, dtype=numpy.uint32).tobytes(), 4, 1)
    b = Texture1D(8, fmt, slices=2)
    upload_texture(b, numpy.zeros(8, numpy.uint32).tobytes(), 4, 0)
    a.copy_to(b, width=3, src_x=5, src_slice=1, dst_x=0, dst_slice=0)
    assert numpy.frombuffer(read_texture(b, 4, 0), numpy.uint32)[:4].tolist() == [5, 6, 7, 0]
    c = Texture3D(2, 2, 3, fmt)
    upload_texture(c, numpy.arange(12, dtype=numpy.uint32).tobytes(), 4)
    d = Texture3D(2, 2, 3, fmt)
    upload_texture(d, numpy.zeros(12, numpy.uint32).tobytes(), 4)
    c.copy_to(d, depth=2, src_z=1, dst_z=0)
    assert numpy.frombuffer(read_texture(d, 4), numpy.uint32).tolist() == list(range(4, 12)) + [0] * 4
    with pytest.raises(Texture3DException, match="a box of 2 texels from dst_z 2 exceeds"):
        c.copy_to(d, depth=2, dst_z=2)
