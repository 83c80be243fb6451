"""Samplers."""

import struct

import numpy
import pytest

from compushady import (
    HEAP_UPLOAD,
    SAMPLER_ADDRESS_MODE_CLAMP,
    SAMPLER_ADDRESS_MODE_MIRROR,
    SAMPLER_ADDRESS_MODE_WRAP,
    SAMPLER_FILTER_LINEAR,
    SAMPLER_FILTER_POINT,
    Buffer,
    Sampler,
    SamplerException,
    Texture2D,
)
from compushady.formats import R32G32B32A32_FLOAT

from helpers import read_buffer, run_hlsl


def test_defaults():
    sampler = Sampler()
    assert sampler.handle is not None


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"address_mode_u": 3}, r"invalid address mode 3 for u: expected WRAP \(0\), MIRROR \(1\) or CLAMP \(2\)"),
        ({"address_mode_v": 9}, "invalid address mode 9 for v"),
        ({"address_mode_w": 100}, "invalid address mode 100 for w"),
        ({"filter_min": 2}, r"invalid min filter 2: expected POINT \(0\) or LINEAR \(1\)"),
        ({"filter_mag": 5}, "invalid mag filter 5"),
    ],
)
def test_bad_values(kwargs, message):
    with pytest.raises(SamplerException, match=message):
        Sampler(**kwargs)


SHADER = """
Texture2D<float4> input : register(t0);
SamplerState sampler0 : register(s0);
RWStructuredBuffer<float4> output : register(u0);
cbuffer Coords : register(b0) { float4 uv[4]; };
[numthreads(4, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    output[tid.x] = input.SampleLevel(sampler0, uv[tid.x].xy, 0);
}
"""


def sample(sampler, coords):
    texture = Texture2D(2, 1, R32G32B32A32_FLOAT)
    staging = Buffer(texture.size, HEAP_UPLOAD)
    staging.upload(struct.pack("<8f", 0, 0, 0, 0, 1, 1, 1, 1))
    staging.copy_to(texture)
    cb = Buffer(64, HEAP_UPLOAD)
    cb.upload(b"".join(struct.pack("<4f", u, 0.5, 0, 0) for u in coords))
    out = Buffer(64, stride=16)
    run_hlsl(SHADER, cbv=[cb], srv=[texture], uav=[out], samplers=[sampler])
    return numpy.frombuffer(read_buffer(out), numpy.float32).reshape(4, 4)[:, 0]


def test_point_sampling():
    got = sample(Sampler(filter_min=SAMPLER_FILTER_POINT, filter_mag=SAMPLER_FILTER_POINT), [0.1, 0.4, 0.6, 0.9])
    assert list(got) == [0, 0, 1, 1]


def test_linear_sampling():
    got = sample(Sampler(filter_min=SAMPLER_FILTER_LINEAR, filter_mag=SAMPLER_FILTER_LINEAR, address_mode_u=SAMPLER_ADDRESS_MODE_CLAMP), [0.25, 0.5, 0.75, 0.375])
    assert numpy.allclose(got, [0, 0.5, 1, 0.25], atol=1e-2)


def test_address_modes():
    wrap = sample(Sampler(address_mode_u=SAMPLER_ADDRESS_MODE_WRAP), [1.25, 1.75, -0.25, 0.25])
    assert list(wrap) == [0, 1, 1, 0]
    clamp = sample(Sampler(address_mode_u=SAMPLER_ADDRESS_MODE_CLAMP), [1.25, 1.75, -0.25, 0.25])
    assert list(clamp) == [1, 1, 0, 0]
    mirror = sample(Sampler(address_mode_u=SAMPLER_ADDRESS_MODE_MIRROR), [1.25, 1.75, -0.25, 0.25])
    assert list(mirror) == [1, 0, 0, 0]


def test_missing_sampler():
    texture = Texture2D(2, 1, R32G32B32A32_FLOAT)
    with pytest.raises(ValueError, match="s0"):
        run_hlsl(SHADER, cbv=[Buffer(64)], srv=[texture], uav=[Buffer(64, stride=16)])


# >>numeric: every address mode and filter against values computed here the
# way Vulkan/D3D define them (texel i covers [i, i+1)/w, its center is
# (i + 0.5)/w; LINEAR weighs the two texels around x - 0.5)

from compushady.formats import R32_FLOAT, R8G8B8A8_UNORM  # noqa: E402

MODES = {
    "wrap": SAMPLER_ADDRESS_MODE_WRAP,
    "mirror": SAMPLER_ADDRESS_MODE_MIRROR,
    "clamp": SAMPLER_ADDRESS_MODE_CLAMP,
}
# x = u * 4 never an integer (no texel-boundary ties for POINT); x - 0.5 has
# fractions in eighths (exact for the GPU's sub-texel weights)
COORDS = [-1.3125, -0.6875, -0.125, 0.0625, 0.3125, 0.5625, 0.875, 1.03125, 1.1875, 1.625, 2.4375, 3.0625]


def address(i, size, mode):
    """The texel index Vulkan reads for integer index i."""
    if mode == "wrap":
        return i % size
    if mode == "clamp":
        return min(max(i, 0), size - 1)
    m = i % (2 * size)  # mirrored repeat
    return m if m < size else 2 * size - 1 - m


def expected_1d(texels, u, mode, linear):
    size = len(texels)
    x = u * size
    if not linear:
        return texels[address(int(numpy.floor(x)), size, mode)]
    base = x - 0.5
    i0 = int(numpy.floor(base))
    alpha = base - i0
    return (1 - alpha) * texels[address(i0, size, mode)] + alpha * texels[address(i0 + 1, size, mode)]


SAMPLE_SHADER = """
Texture2D<float4> input : register(t0);
SamplerState sampler0 : register(s0);
RWStructuredBuffer<float4> output : register(u0);
cbuffer Coords : register(b0) {{ float4 uv[{0}]; }};
[numthreads({0}, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{{
    output[tid.x] = input.SampleLevel(sampler0, uv[tid.x].xy, 0);
}}
"""


def sample_texture(texture, sampler, uvs):
    cb = Buffer(16 * len(uvs), HEAP_UPLOAD)
    cb.upload(b"".join(struct.pack("<4f", u, v, 0, 0) for u, v in uvs))
    out = Buffer(16 * len(uvs), stride=16)
    run_hlsl(SAMPLE_SHADER.format(len(uvs)), cbv=[cb], srv=[texture], uav=[out], samplers=[sampler])
    return numpy.frombuffer(read_buffer(out), numpy.float32).reshape(len(uvs), 4)


def texture_4x1(fmt):
    texture = Texture2D(4, 1, fmt)
    staging = Buffer(texture.size, HEAP_UPLOAD)
    if fmt == R32_FLOAT:
        texels = numpy.array([10.0, 20.0, 40.0, 80.0])
        staging.upload(texels.astype(numpy.float32).tobytes())
    else:
        raw = numpy.array([[0, 255, 10, 255], [51, 0, 20, 255], [153, 102, 30, 0], [255, 204, 40, 255]], numpy.uint8)
        staging.upload(raw.tobytes())
        texels = raw.astype(numpy.float64) / 255
    staging.copy_to(texture)
    return texture, texels


@pytest.mark.parametrize("fmt", [R32_FLOAT, R8G8B8A8_UNORM], ids=["R32_FLOAT", "R8G8B8A8_UNORM"])
@pytest.mark.parametrize("filter_name", ["point", "linear"])
@pytest.mark.parametrize("mode", sorted(MODES))
def test_sample_numeric(fmt, filter_name, mode):
    texture, texels = texture_4x1(fmt)
    linear = filter_name == "linear"
    filt = SAMPLER_FILTER_LINEAR if linear else SAMPLER_FILTER_POINT
    sampler = Sampler(address_mode_u=MODES[mode], address_mode_v=MODES[mode], filter_min=filt, filter_mag=filt)
    got = sample_texture(texture, sampler, [(u, 0.5) for u in COORDS])
    for row, u in zip(got, COORDS):
        want = expected_1d(texels, u, mode, linear)
        if fmt == R32_FLOAT:
            # one channel: G, B = 0 and A = 1 for a missing alpha
            assert numpy.allclose(row, [want, 0, 0, 1], rtol=1e-5, atol=1e-4), (mode, filter_name, u, row, want)
        else:
            assert numpy.allclose(row, want, atol=2e-3), (mode, filter_name, u, row, want)


def test_sampled_level_zero_uses_the_mag_filter():
    # SampleLevel(…, 0) on the only level magnifies: filter_mag decides
    texture, texels = texture_4x1(R32_FLOAT)
    uvs = [(u, 0.5) for u in COORDS]
    clamp = SAMPLER_ADDRESS_MODE_CLAMP
    mag_linear = Sampler(address_mode_u=clamp, filter_min=SAMPLER_FILTER_POINT, filter_mag=SAMPLER_FILTER_LINEAR)
    mag_point = Sampler(address_mode_u=clamp, filter_min=SAMPLER_FILTER_LINEAR, filter_mag=SAMPLER_FILTER_POINT)
    got_linear = sample_texture(texture, mag_linear, uvs)[:, 0]
    got_point = sample_texture(texture, mag_point, uvs)[:, 0]
    assert numpy.allclose(got_linear, [expected_1d(texels, u, "clamp", True) for u in COORDS], atol=1e-4)
    assert numpy.allclose(got_point, [expected_1d(texels, u, "clamp", False) for u in COORDS], atol=1e-4)


@pytest.mark.parametrize("mode_u,mode_v", [("wrap", "clamp"), ("clamp", "mirror"), ("mirror", "wrap")])
def test_address_modes_per_axis_4x4(mode_u, mode_v):
    values = numpy.arange(16, dtype=numpy.float32).reshape(4, 4) * 3 + 1  # [y][x]
    texture = Texture2D(4, 4, R32_FLOAT)
    staging = Buffer(texture.size, HEAP_UPLOAD)
    staging.upload2d(values.tobytes(), texture.row_pitch, 4, 4, 4)
    staging.copy_to(texture)
    uvs = [(u, v) for u, v in zip(COORDS, reversed(COORDS))]
    for filter_name in ("point", "linear"):
        linear = filter_name == "linear"
        filt = SAMPLER_FILTER_LINEAR if linear else SAMPLER_FILTER_POINT
        sampler = Sampler(address_mode_u=MODES[mode_u], address_mode_v=MODES[mode_v], filter_min=filt, filter_mag=filt)
        got = sample_texture(texture, sampler, uvs)[:, 0]
        for value, (u, v) in zip(got, uvs):
            # separable: filter along u in every row, then along v
            rows = numpy.array([expected_1d(values[y], u, mode_u, linear) for y in range(4)])
            want = expected_1d(rows, v, mode_v, linear)
            assert abs(value - want) < 1e-3 * 48, (mode_u, mode_v, filter_name, u, v, value, want)


@pytest.mark.parametrize(
    "value,exception,message",
    [
        (-1, SamplerException, "must be >= 0, got -1"),
        (2**31, SamplerException, "invalid address mode 2147483648 for u"),
        (2**40, SamplerException, "does not fit in 32 bits"),
        ("wrap", TypeError, "must be an int, got str"),
        (None, TypeError, "must be an int, got NoneType"),
        (1.5, TypeError, "must be an int, got float"),
    ],
)
def test_bad_value_types(value, exception, message):
    with pytest.raises(exception, match=message):
        Sampler(address_mode_u=value)
    with pytest.raises(exception, match=message.replace("address mode", "min filter").replace(" for u", "")):
        Sampler(filter_min=value)
