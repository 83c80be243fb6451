"""Typed buffers (Buffer<T> SRV, RWBuffer<T> UAV) in every format of
compushady.formats that lavapipe supports as a texel buffer."""

import struct

import numpy
import pytest

import compushady
from compushady import Buffer, BufferException, ComputeException
from compushady import formats

from helpers import read_buffer, run_hlsl, upload_buffer

# lavapipe: uniform texel buffer for every format below; storage texel
# buffer for all but the 3-component 32-bit formats and the sRGB ones
NO_STORAGE = {"R32G32B32_FLOAT", "R32G32B32_UINT", "R32G32B32_SINT", "R8G8B8A8_UNORM_SRGB", "B8G8R8A8_UNORM_SRGB"}
ALL_FORMATS = sorted(formats.FORMAT_NAMES.values(), key=lambda name: getattr(formats, name))
ELEMENTS = 4


def hlsl_type(name):
    if name.endswith("_UINT"):
        return "uint4"
    if name.endswith("_SINT"):
        return "int4"
    return "float4"


def sample_bytes(name):
    """ELEMENTS texels of exactly representable, round-trippable values."""
    size = formats.get_pixel_size(getattr(formats, name)) * ELEMENTS
    rng = numpy.random.default_rng(sum(map(ord, name)))
    if name.endswith("_FLOAT"):
        bits = 32 if name.startswith("R32") else 16
        dtype = numpy.float32 if bits == 32 else numpy.float16
        values = (rng.integers(-64, 64, size // (bits // 8)) / 4).astype(dtype)
        return values.tobytes()
    raw = rng.integers(0, 256, size, dtype=numpy.uint8)
    if name.endswith("_SNORM"):
        # -128 and -127 (or -32768 and -32767) both mean -1.0: avoid the first
        if "16" in name.split("_")[0]:
            words = raw.view(numpy.uint16)
            words[words == 0x8000] = 0x8001
        else:
            raw[raw == 0x80] = 0x81
    return raw.tobytes()


# formats without a SPIR-V image format: writing RWBuffer<T> of them needs
# shaderStorageImageWriteWithoutFormat, reading it
# shaderStorageImageReadWithoutFormat (lavapipe lacks the second)
NO_SPIRV_FORMAT = {"B8G8R8A8_UNORM"}


SRV, UAV = compushady.FORMAT_SUPPORT_BUFFER_SRV, compushady.FORMAT_SUPPORT_BUFFER_UAV


def typed_buffer_or_skip(name, wanted=SRV | UAV):
    """Returns where the device has the wanted uses of name as a typed
    buffer (its get_format_support); else asserts that the buffer, or the
    compute that binds it for the use it lacks, is refused as documented,
    and skips naming the format and the use."""
    device = compushady.get_current_device()
    fmt = getattr(formats, name)
    support = device.get_format_support(fmt)
    if support & wanted == wanted:
        return
    if not support & (SRV | UAV):
        with pytest.raises(BufferException, match=r"a typed buffer \(Buffer with format=\): format {0} is not "
                           r"supported as a typed buffer, neither".format(name)):
            Buffer(16 * ELEMENTS, format=fmt)
        pytest.skip("device '{0}' has no typed buffer of {1} (get_format_support)".format(device.name, name))
    buffer = Buffer(16 * ELEMENTS, format=fmt)
    t = hlsl_type(name)
    if not support & SRV & wanted:
        use, register, source = "read-only", "t0", """
            Buffer<{0}> input : register(t0);
            RWStructuredBuffer<{0}> output : register(u0);
            [numthreads(1, 1, 1)]
            void main() {{ output[0] = input[0]; }}
            """.format(t)
        bindings = {"srv": [buffer], "uav": [Buffer(16, stride=16)]}
    else:
        use, register, source = "read-write", "u0", """
            RWBuffer<{0}> output : register(u0);
            [numthreads(1, 1, 1)]
            void main() {{ output[0] = 1; }}
            """.format(t)
        bindings = {"uav": [buffer]}
    with pytest.raises(ComputeException, match=r"register {0}: format {1} is not supported as a {2} typed "
                       r"buffer".format(register, name, use)):
        run_hlsl(source, **bindings)
    pytest.skip("device '{0}' does not support {1} as a {2} typed buffer (get_format_support)".format(
        device.name, name, use))


@pytest.mark.parametrize("name", ALL_FORMATS)
def test_typed_buffer_roundtrip(name):
    typed_buffer_or_skip(name)
    fmt = getattr(formats, name)
    data = sample_bytes(name)
    src = upload_buffer(data, format=fmt)
    dst = Buffer(len(data), format=fmt)
    assert src.format == fmt
    t = hlsl_type(name)
    run_hlsl(
        """
        Buffer<{0}> input : register(t0);
        RWBuffer<{0}> output : register(u0);
        [numthreads({1}, 1, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {{
            output[tid.x] = input[tid.x];
        }}
        """.format(t, ELEMENTS),
        srv=[src],
        uav=[dst],
    )
    assert read_buffer(dst) == data


def srgb_to_linear(value):
    c = value / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def test_no_spirv_format_uav():
    # without shaderStorageImageWriteWithoutFormat the device has no
    # FORMAT_SUPPORT_BUFFER_UAV of the format: refused at creation
    typed_buffer_or_skip("B8G8R8A8_UNORM")
    buffer = Buffer(16, format=formats.B8G8R8A8_UNORM)
    reading = """
        RWBuffer<float4> output : register(u0);
        [numthreads(1, 1, 1)]
        void main() { output[1] = output[0] + 1; }
        """
    if compushady.get_current_device().supports_storage_image_without_format:
        run_hlsl(reading, uav=[buffer])
    else:
        with pytest.raises(
            ComputeException,
            match="u0: format B8G8R8A8_UNORM has no SPIR-V image format and the shader reads it.*"
            "shaderStorageImageReadWithoutFormat",
        ):
            run_hlsl(reading, uav=[buffer])


@pytest.mark.parametrize("name", sorted(NO_STORAGE | NO_SPIRV_FORMAT))
def test_read_only_typed_buffer(name):
    """Usable as Buffer<T> where the device has FORMAT_SUPPORT_BUFFER_SRV of
    it, else refused, naming the format."""
    typed_buffer_or_skip(name, SRV)
    fmt = getattr(formats, name)
    data = sample_bytes(name)
    src = upload_buffer(data, format=fmt)
    out = upload_buffer(b"\0" * 16 * ELEMENTS, stride=16)
    t = hlsl_type(name)
    run_hlsl(
        """
        Buffer<{0}> input : register(t0);
        RWStructuredBuffer<{0}> output : register(u0);
        [numthreads({1}, 1, 1)]
        void main(uint3 tid : SV_DispatchThreadID)
        {{
            output[tid.x] = input[tid.x];
        }}
        """.format(t, ELEMENTS),
        srv=[src],
        uav=[out],
    )
    result = read_buffer(out)
    if name.startswith("R32G32B32_"):
        code = {"float4": "f", "uint4": "I", "int4": "i"}[t]
        inputs = struct.unpack("<{0}{1}".format(3 * ELEMENTS, code), data)
        outputs = struct.unpack("<{0}{1}".format(4 * ELEMENTS, code), result)
        for i in range(ELEMENTS):
            assert outputs[i * 4:i * 4 + 3] == inputs[i * 3:i * 3 + 3]
            assert outputs[i * 4 + 3] == 1
    else:
        outputs = numpy.frombuffer(result, numpy.float32).reshape(ELEMENTS, 4)
        texels = numpy.frombuffer(data, numpy.uint8).reshape(ELEMENTS, 4)
        if name.startswith("B8G8R8A8"):
            texels = texels[:, [2, 1, 0, 3]]
        decode = srgb_to_linear if name.endswith("SRGB") else (lambda v: v / 255.0)
        for texel, output in zip(texels, outputs):
            expected = [decode(v) for v in texel[:3]] + [texel[3] / 255.0]
            assert numpy.allclose(output, expected, atol=2e-3), (texel, output)


@pytest.mark.parametrize("name", sorted(NO_STORAGE))
def test_storage_unsupported_format_rejected_as_uav(name):
    fmt = getattr(formats, name)
    try:
        buffer = Buffer(16 * ELEMENTS, format=fmt)
    except BufferException as error:
        # rejecting the format at creation is allowed, naming it
        assert name in str(error)
        return
    with pytest.raises((ComputeException, BufferException), match=name):
        run_hlsl(
            """
            RWBuffer<{0}> output : register(u0);
            [numthreads(1, 1, 1)]
            void main() {{ output[0] = 1; }}
            """.format(hlsl_type(name)),
            uav=[buffer],
        )


def test_typed_buffer_size_not_multiple_of_texel_is_usable_or_clear():
    try:
        buffer = Buffer(18, format=formats.R32G32B32A32_FLOAT)
    except BufferException as error:
        assert "R32G32B32A32_FLOAT" in str(error) or "16" in str(error)
        return
    assert buffer.size == 18
