"""Buffer<->texture and texture<->texture copies against Vulkan's rules for
image copies: what is accepted runs clean under the validation layer and
gives the right bytes, what is not raises the source's exception (a
ValueError) before anything reaches the driver.

- the buffer offset is a whole number of texels (VUID ...-bufferOffset-01558);
- `size` names the buffer bytes the copy may use from the offset: 0 is what
  the box needs, a smaller size raises (the original's "insufficient data"
  tests), a larger one must still fit in the buffer;
- textures copy to the same kind or between Texture2D and Texture3D
  (VUID-vkCmdCopyImage-srcImage-07743).
"""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import compushady as C
from compushady import formats as F

from helpers import read_buffer

FORMATS = sorted(
    (getattr(F, name) for name in dir(F)
     if name.isupper() and isinstance(getattr(F, name), int)
     and F.get_pixel_size(getattr(F, name)) > 0),
)
KINDS = {
    "1d": lambda w, h, d, fmt: C.Texture1D(w, fmt),
    "2d": lambda w, h, d, fmt: C.Texture2D(w, h, fmt),
    "3d": lambda w, h, d, fmt: C.Texture3D(w, h, d, fmt),
}
EXCEPTIONS = {"1d": C.Texture1DException, "2d": C.Texture2DException,
              "3d": C.Texture3DException}


def make_texture(kind, fmt, w=5, h=3, d=2):
    try:
        return KINDS[kind](w, h, d, fmt)
    except ValueError as error:  # formats the device cannot make textures of
        pytest.skip("device lacks format {0}: {1}".format(fmt, error))


def pattern(size, seed):
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(size))


settings.register_profile("copy-rules", deadline=None, max_examples=40,
                          suppress_health_check=[HealthCheck.function_scoped_fixture])


@settings(settings.get_profile("copy-rules"))
@given(fmt=st.sampled_from(FORMATS), kind=st.sampled_from(sorted(KINDS)),
       offset=st.integers(0, 64), extra=st.integers(0, 32), data=st.data())
def test_buffer_offsets_and_sizes(fmt, kind, offset, extra, data):
    texture = make_texture(kind, fmt)
    texel = F.get_pixel_size(fmt)
    upload = C.Buffer(offset + texture.size + extra, C.HEAP_UPLOAD)
    payload = pattern(texture.size, offset * 131 + fmt)
    upload.upload(b"\0" * offset + payload + b"\0" * extra)
    size = data.draw(st.sampled_from([0, texture.size, texture.size + extra,
                                      max(1, texture.size - texel), 1]))
    if offset % texel:
        with pytest.raises(C.BufferException,
                           match=r"copy: src_offset {0} is not a multiple of the "
                                 r"{1}-byte texel".format(offset, texel)):
            upload.copy_to(texture, size=size, src_offset=offset)
        return
    if size and size < texture.size:
        with pytest.raises(C.BufferException,
                           match=r"copy: size {0} is too small for the .* "
                                 r"they take {1} bytes".format(size, texture.size)):
            upload.copy_to(texture, size=size, src_offset=offset)
        return
    if size > upload.size - offset:
        with pytest.raises(C.BufferException, match=r"copy: the source buffer needs"):
            upload.copy_to(texture, size=size, src_offset=offset)
        return
    upload.copy_to(texture, size=size, src_offset=offset)
    # and back, at a texel-aligned offset of a bigger buffer
    back_offset = texel * data.draw(st.integers(0, 4))
    readback = C.Buffer(back_offset + texture.size, C.HEAP_READBACK)
    texture.copy_to(readback, dst_offset=back_offset, size=size if size <= texture.size else 0)
    assert readback.readback(texture.size, back_offset) == payload
    if back_offset + 1 < readback.size and texel > 1:
        with pytest.raises(EXCEPTIONS[kind],
                           match=r"copy: dst_offset {0} is not a multiple".format(back_offset + 1)):
            texture.copy_to(readback, dst_offset=back_offset + 1)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_size_smaller_than_the_box_raises_in_both_directions(kind):
    texture = make_texture(kind, F.R32_UINT)
    buffer = C.Buffer(texture.size, C.HEAP_UPLOAD)
    readback = C.Buffer(texture.size, C.HEAP_READBACK)
    for size in (1, 4, texture.size - 1):
        with pytest.raises(ValueError, match="copy: size {0} is too small".format(size)):
            buffer.copy_to(texture, size)
        with pytest.raises(EXCEPTIONS[kind], match="copy: size {0} is too small".format(size)):
            texture.copy_to(readback, size)
    # a box of one texel needs 4 bytes only
    buffer.upload(b"\x01\x02\x03\x04")
    buffer.copy_to(texture, 4, width=1, height=1, depth=1)
    texture.copy_to(readback, 4, width=1, height=1, depth=1)
    assert readback.readback(4) == b"\x01\x02\x03\x04"


def test_originals_insufficient_data_tests():
    # test_texture1d.py of compushady 0.17.6, both directions
    t0 = C.Texture1D(4, F.R32_UINT)
    b0 = C.Buffer(t0.size, C.HEAP_UPLOAD)
    with pytest.raises(ValueError, match="too small"):
        b0.copy_to(t0, 1)
    b1 = C.Buffer(t0.size, C.HEAP_READBACK)
    with pytest.raises(ValueError, match="too small"):
        t0.copy_to(b1, 1)


def _filled(kind, fmt, w, h, d, seed):
    texture = make_texture(kind, fmt, w, h, d)
    upload = C.Buffer(texture.size, C.HEAP_UPLOAD)
    payload = pattern(texture.size, seed)
    upload.upload(payload)
    upload.copy_to(texture)
    return texture, payload


@pytest.mark.parametrize("src_kind", sorted(KINDS))
@pytest.mark.parametrize("dst_kind", sorted(KINDS))
def test_texture_kinds_that_vulkan_cannot_copy_raise(src_kind, dst_kind):
    src, payload = _filled(src_kind, F.R32_UINT, 4, 1, 1, 7)
    dst = make_texture(dst_kind, F.R32_UINT, 4, 1, 1)
    if "1d" in (src_kind, dst_kind) and src_kind != dst_kind:
        with pytest.raises(EXCEPTIONS[src_kind],
                           match=r"copy: a Texture\dD cannot be copied to a Texture\dD "
                                 r"on the GPU .* copy through a buffer"):
            src.copy_to(dst)
        return
    src.copy_to(dst)
    assert read_buffer(dst) == payload


def test_2d_slice_to_3d_plane_and_back():
    src, payload = _filled("3d", F.R8G8B8A8_UINT, 4, 3, 5, 11)
    plane = C.Texture2D(4, 3, F.R8G8B8A8_UINT, slices=2)
    src.copy_to(plane, depth=1, src_z=3, dst_slice=1)
    back = C.Texture3D(4, 3, 2, F.R8G8B8A8_UINT)
    plane.copy_to(back, src_slice=1, dst_z=1)
    data = read_buffer(back)
    plane_bytes = 4 * 3 * 4
    assert data[plane_bytes:] == payload[3 * plane_bytes:4 * plane_bytes]


@pytest.mark.parametrize("src_fmt,dst_fmt", [
    (a, b) for a in FORMATS for b in FORMATS
    if F.get_pixel_size(a) == F.get_pixel_size(b) and (a + b) % 5 == 0
])
def test_size_compatible_formats_copy_their_bytes(src_fmt, dst_fmt):
    src, payload = _filled("2d", src_fmt, 3, 2, 1, src_fmt * 100 + dst_fmt)
    dst = make_texture("2d", dst_fmt, 3, 2, 1)
    src.copy_to(dst)
    assert read_buffer(dst) == payload
