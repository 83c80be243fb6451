"""Texture.upload_region / readback_region (and the compushady-lrtu fork's
upload_subresource / download): texels in and out of a box in one call,
checked against a numpy model of the texture over generated boxes, kinds,
formats and slices; bad boxes and sizes raise the texture's exception."""
import numpy
import pytest
from hypothesis import given, settings, strategies as st

import compushady
from compushady import Texture1D, Texture2D, Texture3D
from compushady.formats import R8_UINT, R16G16_UINT, R32G32B32A32_UINT, R8G8B8A8_UNORM

FORMATS = {R8_UINT: 1, R16G16_UINT: 4, R8G8B8A8_UNORM: 4, R32G32B32A32_UINT: 16}
rng = numpy.random.default_rng(7)


def make(kind, width, height, depth, fmt, slices):
    if kind == 1:
        return Texture1D(width, fmt, slices=slices)
    if kind == 2:
        return Texture2D(width, height, fmt, slices=slices)
    return Texture3D(width, height, depth, fmt)


@st.composite
def cases(draw):
    kind = draw(st.sampled_from([1, 2, 3]))
    width = draw(st.integers(1, 40))
    height = 1 if kind == 1 else draw(st.integers(1, 12))
    depth = draw(st.integers(1, 5)) if kind == 3 else 1
    slices = 1 if kind == 3 else draw(st.integers(1, 3))
    fmt = draw(st.sampled_from(sorted(FORMATS)))
    x = draw(st.integers(0, width - 1))
    y = draw(st.integers(0, height - 1))
    z = draw(st.integers(0, depth - 1))
    w = draw(st.integers(0, width - x))
    h = draw(st.integers(0, height - y))
    d = draw(st.integers(0, depth - z))
    s = draw(st.integers(0, slices - 1))
    return kind, (width, height, depth), slices, fmt, (x, y, z), (w, h, d), s


@settings(max_examples=25, deadline=None)
@given(case=cases(), batched=st.booleans())
def test_regions_against_a_model(case, batched):
    kind, (width, height, depth), slices, fmt, (x, y, z), (w, h, d), s = case
    texel = FORMATS[fmt]
    texture = make(kind, width, height, depth, fmt, slices)
    model = rng.integers(0, 256, (depth, height, width * texel), dtype=numpy.uint8)
    texture.upload_region(model.tobytes(), slice=s)
    bw, bh, bd = w or width - x, h or height - y, d or depth - z
    patch = rng.integers(0, 256, (bd, bh, bw * texel), dtype=numpy.uint8)
    if batched:  # at once, not recorded
        with compushady.batch():
            texture.upload_region(patch.tobytes(), x, y, z, w, h, d, slice=s)
            got = texture.readback_region(x, y, z, w, h, d, slice=s)
    else:
        texture.upload_region(patch.tobytes(), x, y, z, w, h, d, slice=s)
        got = texture.readback_region(x, y, z, w, h, d, slice=s)
    assert got == patch.tobytes()
    model[z:z + bd, y:y + bh, x * texel:(x + bw) * texel] = patch
    assert texture.readback_region(slice=s) == model.tobytes()


def test_fork_names():
    texture = Texture2D(8, 4, R8G8B8A8_UNORM)
    image = rng.integers(0, 256, (4, 8, 4), dtype=numpy.uint8)
    texture.upload_subresource(image.tobytes(), 0, 0, 8, 4)
    assert texture.download() == image.tobytes()
    texture.upload_subresource(b"\x01\x02\x03\x04" * 6, 5, 1, 3, 2)
    image[1:3, 5:8] = [1, 2, 3, 4]
    assert texture.download() == image.tobytes()


@pytest.mark.parametrize("call, exception, message", [
    (lambda t: t.upload_region(b"\0" * 3), compushady.Texture2DException,
     r"upload_region needs 128 bytes for a 8x4x1 box of 4-byte texels, got 3"),
    (lambda t: t.upload_region(b"\0" * 4, x=8), compushady.Texture2DException,
     r"the box x=8, width=0 does not fit in the texture's 8 texels along x"),
    (lambda t: t.readback_region(y=2, height=3), compushady.Texture2DException,
     r"the box y=2, height=3 does not fit in the texture's 4 texels along y"),
    (lambda t: t.readback_region(x=-1), compushady.Texture2DException,
     r"the box x=-1, width=0 does not fit"),
    (lambda t: t.readback_region(slice=1), compushady.Texture2DException, r"slice"),
    (lambda t: t.upload_region("text"), TypeError, r"bytes-like|buffer"),
])
def test_bad_boxes_and_sizes(call, exception, message):
    texture = Texture2D(8, 4, R8G8B8A8_UNORM)
    with pytest.raises(exception, match=message):
        call(texture)
    assert issubclass(compushady.Texture2DException, ValueError)
