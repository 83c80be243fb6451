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
