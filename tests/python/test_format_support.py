"""Device.get_format_support: the FORMAT_SUPPORT_* bits of every format in
compushady.formats agree with what the device does, on the backend the
suite runs on (COMPUSHADY_BACKEND; scripts/test-opengl.sh runs it on
OpenGL).

Every use of every format: creating textures and typed buffers (here),
linear filtering (here), reads and writes of textures
(test_texture_formats.py: test_srv_load_every_format,
test_uav_write_every_format) and of typed buffers (test_typed_buffer.py:
test_typed_buffer_roundtrip, test_read_only_typed_buffer), each of which
round-trips values where the bit is set and asserts the documented
refusal where it is not."""

import os
import struct
import subprocess
import sys
import threading

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import compushady as C
from compushady import formats as F
from compushady.shaders import hlsl

from helpers import read_buffer

NAMES = sorted(F.FORMAT_NAMES.values(), key=lambda name: getattr(F, name))
BITS = {
    "TEXTURE_SRV": C.FORMAT_SUPPORT_TEXTURE_SRV,
    "TEXTURE_UAV": C.FORMAT_SUPPORT_TEXTURE_UAV,
    "TEXTURE_FILTER_LINEAR": C.FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR,
    "BUFFER_SRV": C.FORMAT_SUPPORT_BUFFER_SRV,
    "BUFFER_UAV": C.FORMAT_SUPPORT_BUFFER_UAV,
}
TEXTURE = C.FORMAT_SUPPORT_TEXTURE_SRV | C.FORMAT_SUPPORT_TEXTURE_UAV
TYPED_BUFFER = C.FORMAT_SUPPORT_BUFFER_SRV | C.FORMAT_SUPPORT_BUFFER_UAV


def support(name):
    return C.get_current_device().get_format_support(getattr(F, name))


def test_the_bits_are_distinct_single_bits():
    values = list(BITS.values())
    assert len(set(values)) == len(values)
    for value in values:
        assert value > 0 and value & (value - 1) == 0
    for name, value in BITS.items():
        assert getattr(C._native, "FORMAT_SUPPORT_" + name) == value


@pytest.mark.parametrize("name", NAMES)
def test_answers_are_consistent(name):
    bits = support(name)
    assert bits & ~sum(BITS.values()) == 0
    if bits & C.FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR:
        assert bits & C.FORMAT_SUPPORT_TEXTURE_SRV, "filters what it cannot read"
    if not (name.endswith("FLOAT") or "NORM" in name):
        assert not bits & C.FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR, "integer formats never filter"
    # the same answer every time, from every device object of the device
    assert support(name) == bits
    assert C.get_current_device().handle.get_format_support(getattr(F, name)) == bits


def test_every_device_answers():
    for device in C.get_discovered_devices():
        answers = [device.get_format_support(getattr(F, name)) for name in NAMES]
        # every device of a backend has some formats it can do everything with
        assert C.FORMAT_SUPPORT_TEXTURE_SRV | C.FORMAT_SUPPORT_TEXTURE_UAV in [a & TEXTURE for a in answers]


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=2 ** 32 - 1))
def test_values_outside_the_list_are_refused(value):
    device = C.get_current_device()
    if value in F.FORMAT_NAMES:
        assert device.get_format_support(value) >= 0
        return
    with pytest.raises(ValueError, match="invalid format {0}: expected one of compushady.formats".format(value)):
        device.get_format_support(value)


def test_threads_get_the_same_answers():
    device = C.get_current_device()
    expected = [device.get_format_support(getattr(F, name)) for name in NAMES]
    results, errors = [], []

    def ask():
        try:
            for _ in range(20):
                results.append([device.get_format_support(getattr(F, name)) for name in NAMES])
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 80 and all(result == expected for result in results)


@pytest.mark.parametrize("kind", ["1d", "2d", "3d"])
@pytest.mark.parametrize("name", NAMES)
def test_texture_creation_agrees(name, kind):
    fmt = getattr(F, name)
    factory, exception, kind_name = {
        "1d": (lambda: C.Texture1D(4, fmt), C.Texture1DException, "Texture1D"),
        "2d": (lambda: C.Texture2D(4, 2, fmt), C.Texture2DException, "Texture2D"),
        "3d": (lambda: C.Texture3D(4, 2, 2, fmt), C.Texture3DException, "Texture3D"),
    }[kind]
    if support(name) & TEXTURE:
        texture = factory()
        assert texture.format == fmt
        return
    with pytest.raises(exception, match="{0}: format {1} is not supported as a texture, neither read-only".format(
            kind_name, name)) as info:
        factory()
    assert "get_format_support" in str(info.value)


@pytest.mark.parametrize("name", NAMES)
def test_typed_buffer_creation_agrees(name):
    fmt = getattr(F, name)
    if support(name) & TYPED_BUFFER:
        assert C.Buffer(64, format=fmt).format == fmt
        return
    with pytest.raises(C.BufferException, match=r"a typed buffer \(Buffer with format=\): format {0} is not "
                       r"supported as a typed buffer, neither".format(name)) as info:
        C.Buffer(64, format=fmt)
    assert "get_format_support" in str(info.value)


def one_texel(name):
    """Bytes of a texel whose every channel is 1.0."""
    channels, kind = name.split("_", 1)
    count = sum(c.isalpha() for c in channels)
    if channels == "R10G10B10A2":
        return b"\xff" * 4
    bits = int(channels[1:].split("G")[0].split("B")[0].split("A")[0].split("R")[0])
    if kind == "FLOAT":
        return (struct.pack("<f", 1.0) if bits == 32 else struct.pack("<e", 1.0)) * count
    if kind == "SNORM":
        return (b"\x7f" if bits == 8 else b"\xff\x7f") * count
    return b"\xff" * (bits // 8) * count


LINEAR_SOURCE = """
Texture2D<float4> t : register(t0);
SamplerState s : register(s0);
RWStructuredBuffer<float4> o : register(u0);
[numthreads(1, 1, 1)]
void main() { o[0] = t.SampleLevel(s, float2(0.5, 0.5), 0); }
"""


@pytest.mark.parametrize("name", [n for n in NAMES if n.endswith("FLOAT") or "NORM" in n])
def test_linear_filtering_agrees(name):
    """Halfway between a texel of 0s and one of 1s: 0.5 where the format
    filters linearly; else the LINEAR sampler is refused."""
    fmt = getattr(F, name)
    bits = support(name)
    if not bits & TEXTURE:
        pytest.skip("the device has no texture of {0} (get_format_support)".format(name))
    texture = C.Texture2D(2, 1, fmt)
    texel = F.get_pixel_size(fmt)
    staging = C.Buffer(texture.size, C.HEAP_UPLOAD)
    staging.upload(b"\0" * texel + one_texel(name) + b"\0" * (texture.size - 2 * texel))
    staging.copy_to(texture)
    out = C.Buffer(16, stride=16)
    sampler = C.Sampler(C.SAMPLER_ADDRESS_MODE_CLAMP, C.SAMPLER_ADDRESS_MODE_CLAMP, C.SAMPLER_ADDRESS_MODE_CLAMP,
                        filter_min=C.SAMPLER_FILTER_LINEAR, filter_mag=C.SAMPLER_FILTER_LINEAR)
    shader = hlsl.compile(LINEAR_SOURCE)
    if not bits & C.FORMAT_SUPPORT_TEXTURE_SRV:
        with pytest.raises(C.ComputeException, match="register t0: format {0} is not supported as a read-only "
                           "texture".format(name)):
            C.Compute(shader, srv=[texture], uav=[out], samplers=[sampler])
        pytest.skip("the device cannot read {0} textures (get_format_support)".format(name))
    if not bits & C.FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR:
        with pytest.raises(C.ComputeException, match="cannot filter format {0} linearly".format(name)):
            C.Compute(shader, srv=[texture], uav=[out], samplers=[sampler])
        pytest.skip("the device cannot filter {0} linearly (get_format_support)".format(name))
    C.Compute(shader, srv=[texture], uav=[out], samplers=[sampler]).dispatch(1, 1, 1)
    got = numpy.frombuffer(read_buffer(out), numpy.float32)
    # the filter's weights have 8 bits on some hardware
    assert abs(got[0] - 0.5) < 0.01, (name, got)


@pytest.mark.skipif(C.get_backend().name != "opengl",
                    reason="OpenGL backend only (its driver query): run with COMPUSHADY_BACKEND=opengl")
def test_opengl_driver_answers_only_take_away():
    """OpenGL: the driver's answers (glGetInternalformativ) narrow what
    OpenGL 4.5 allows, never widen it (COMPUSHADY_GL_FORMAT_QUERY=0: the
    static rules alone)."""
    script = ("import compushady as C, compushady.formats as F\n"
              "d = C.get_current_device()\n"
              "print([d.get_format_support(v) for v in sorted(F.FORMAT_NAMES)])\n")
    env = dict(os.environ, COMPUSHADY_GL_FORMAT_QUERY="0")
    output = subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True)
    static = eval(output.stdout.strip().splitlines()[-1])
    device = C.get_current_device()
    asked = [device.get_format_support(v) for v in sorted(F.FORMAT_NAMES)]
    for value, by_driver, by_rules in zip(sorted(F.FORMAT_NAMES), asked, static):
        assert by_driver & ~by_rules == 0, F.FORMAT_NAMES[value]
