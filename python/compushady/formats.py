"""Texel formats, numbered as DXGI_FORMAT (the values programs pass around)."""

R32G32B32A32_FLOAT = 2
R32G32B32A32_UINT = 3
R32G32B32A32_SINT = 4
R32G32B32_FLOAT = 6
R32G32B32_UINT = 7
R32G32B32_SINT = 8
R16G16B16A16_FLOAT = 10
R16G16B16A16_UNORM = 11
R16G16B16A16_UINT = 12
R16G16B16A16_SNORM = 13
R16G16B16A16_SINT = 14
R32G32_FLOAT = 16
R32G32_UINT = 17
R32G32_SINT = 18
R10G10B10A2_UNORM = 24
R10G10B10A2_UINT = 25
R8G8B8A8_UNORM = 28
R8G8B8A8_UNORM_SRGB = 29
R8G8B8A8_UINT = 30
R8G8B8A8_SNORM = 31
R8G8B8A8_SINT = 32
R16G16_FLOAT = 34
R16G16_UNORM = 35
R16G16_UINT = 36
R16G16_SNORM = 37
R16G16_SINT = 38
R32_FLOAT = 41
R32_UINT = 42
R32_SINT = 43
R8G8_UNORM = 49
R8G8_UINT = 50
R8G8_SNORM = 51
R8G8_SINT = 52
R16_FLOAT = 54
R16_UNORM = 55
R16_UINT = 57
R16_SNORM = 58
R16_SINT = 59
R8_UNORM = 61
R8_UINT = 62
R8_SNORM = 63
R8_SINT = 64
B8G8R8A8_UNORM = 87
B8G8R8A8_UNORM_SRGB = 91

# name -> bytes per texel, in DXGI order
_PIXEL_SIZES = {
    "R32G32B32A32_FLOAT": 16,
    "R32G32B32A32_UINT": 16,
    "R32G32B32A32_SINT": 16,
    "R32G32B32_FLOAT": 12,
    "R32G32B32_UINT": 12,
    "R32G32B32_SINT": 12,
    "R16G16B16A16_FLOAT": 8,
    "R16G16B16A16_UNORM": 8,
    "R16G16B16A16_UINT": 8,
    "R16G16B16A16_SNORM": 8,
    "R16G16B16A16_SINT": 8,
    "R32G32_FLOAT": 8,
    "R32G32_UINT": 8,
    "R32G32_SINT": 8,
    "R10G10B10A2_UNORM": 4,
    "R10G10B10A2_UINT": 4,
    "R8G8B8A8_UNORM": 4,
    "R8G8B8A8_UNORM_SRGB": 4,
    "R8G8B8A8_UINT": 4,
    "R8G8B8A8_SNORM": 4,
    "R8G8B8A8_SINT": 4,
    "R16G16_FLOAT": 4,
    "R16G16_UNORM": 4,
    "R16G16_UINT": 4,
    "R16G16_SNORM": 4,
    "R16G16_SINT": 4,
    "R32_FLOAT": 4,
    "R32_UINT": 4,
    "R32_SINT": 4,
    "R8G8_UNORM": 2,
    "R8G8_UINT": 2,
    "R8G8_SNORM": 2,
    "R8G8_SINT": 2,
    "R16_FLOAT": 2,
    "R16_UNORM": 2,
    "R16_UINT": 2,
    "R16_SNORM": 2,
    "R16_SINT": 2,
    "R8_UNORM": 1,
    "R8_UINT": 1,
    "R8_SNORM": 1,
    "R8_SINT": 1,
    "B8G8R8A8_UNORM": 4,
    "B8G8R8A8_UNORM_SRGB": 4,
}

# value -> name, e.g. 28 -> "R8G8B8A8_UNORM"
FORMAT_NAMES = {globals()[name]: name for name in _PIXEL_SIZES}

# value -> bytes per texel
PIXEL_SIZES = {globals()[name]: size for name, size in _PIXEL_SIZES.items()}


def get_pixel_size(format: int) -> int:
    """Bytes per texel of a format constant; ValueError for an unknown one."""
    try:
        return PIXEL_SIZES[format]
    except (KeyError, TypeError):
        raise ValueError(
            "unknown format {0!r}: expected one of the "
            "compushady.formats constants".format(format)
        ) from None


def get_format_name(format: int) -> str:
    """The constant's name ("R8G8B8A8_UNORM"); ValueError for an unknown one."""
    try:
        return FORMAT_NAMES[format]
    except (KeyError, TypeError):
        raise ValueError(
            "unknown format {0!r}: expected one of the "
            "compushady.formats constants".format(format)
        ) from None
