/* gl_formats.c - DXGI format numbers (compushady.formats) -> GL internal
 * formats, and the format/type pairs their texels travel in. */
#include "gl_internal.h"

#define F(internal, format, type, image, texbuf)                               \
    (gl_format)                                                                \
    {                                                                          \
        internal, format, type, image, texbuf                                  \
    }

gl_format gl_format_of(cs_format format)
{
    switch (format) {
    case 2: return F(GL_RGBA32F, GL_RGBA, GL_FLOAT, true, true);
    case 3: return F(GL_RGBA32UI, GL_RGBA_INTEGER, GL_UNSIGNED_INT, true, true);
    case 4: return F(GL_RGBA32I, GL_RGBA_INTEGER, GL_INT, true, true);
    /* three 32-bit components: textures and texel buffers, no images */
    case 6: return F(GL_RGB32F, GL_RGB, GL_FLOAT, false, true);
    case 7: return F(GL_RGB32UI, GL_RGB_INTEGER, GL_UNSIGNED_INT, false, true);
    case 8: return F(GL_RGB32I, GL_RGB_INTEGER, GL_INT, false, true);
    case 10: return F(GL_RGBA16F, GL_RGBA, GL_HALF_FLOAT, true, true);
    case 11: return F(GL_RGBA16, GL_RGBA, GL_UNSIGNED_SHORT, true, true);
    case 12:
        return F(GL_RGBA16UI, GL_RGBA_INTEGER, GL_UNSIGNED_SHORT, true, true);
    case 13: return F(GL_RGBA16_SNORM, GL_RGBA, GL_SHORT, true, false);
    case 14: return F(GL_RGBA16I, GL_RGBA_INTEGER, GL_SHORT, true, true);
    case 16: return F(GL_RG32F, GL_RG, GL_FLOAT, true, true);
    case 17: return F(GL_RG32UI, GL_RG_INTEGER, GL_UNSIGNED_INT, true, true);
    case 18: return F(GL_RG32I, GL_RG_INTEGER, GL_INT, true, true);
    case 24:
        return F(GL_RGB10_A2, GL_RGBA, GL_UNSIGNED_INT_2_10_10_10_REV, true,
                 false);
    case 25:
        return F(GL_RGB10_A2UI, GL_RGBA_INTEGER, GL_UNSIGNED_INT_2_10_10_10_REV,
                 true, false);
    case 28: return F(GL_RGBA8, GL_RGBA, GL_UNSIGNED_BYTE, true, true);
    case 29: return F(GL_SRGB8_ALPHA8, GL_RGBA, GL_UNSIGNED_BYTE, false, false);
    case 30:
        return F(GL_RGBA8UI, GL_RGBA_INTEGER, GL_UNSIGNED_BYTE, true, true);
    case 31: return F(GL_RGBA8_SNORM, GL_RGBA, GL_BYTE, true, false);
    case 32: return F(GL_RGBA8I, GL_RGBA_INTEGER, GL_BYTE, true, true);
    case 34: return F(GL_RG16F, GL_RG, GL_HALF_FLOAT, true, true);
    case 35: return F(GL_RG16, GL_RG, GL_UNSIGNED_SHORT, true, true);
    case 36: return F(GL_RG16UI, GL_RG_INTEGER, GL_UNSIGNED_SHORT, true, true);
    case 37: return F(GL_RG16_SNORM, GL_RG, GL_SHORT, true, false);
    case 38: return F(GL_RG16I, GL_RG_INTEGER, GL_SHORT, true, true);
    case 41: return F(GL_R32F, GL_RED, GL_FLOAT, true, true);
    case 42: return F(GL_R32UI, GL_RED_INTEGER, GL_UNSIGNED_INT, true, true);
    case 43: return F(GL_R32I, GL_RED_INTEGER, GL_INT, true, true);
    case 49: return F(GL_RG8, GL_RG, GL_UNSIGNED_BYTE, true, true);
    case 50: return F(GL_RG8UI, GL_RG_INTEGER, GL_UNSIGNED_BYTE, true, true);
    case 51: return F(GL_RG8_SNORM, GL_RG, GL_BYTE, true, false);
    case 52: return F(GL_RG8I, GL_RG_INTEGER, GL_BYTE, true, true);
    case 54: return F(GL_R16F, GL_RED, GL_HALF_FLOAT, true, true);
    case 55: return F(GL_R16, GL_RED, GL_UNSIGNED_SHORT, true, true);
    case 57: return F(GL_R16UI, GL_RED_INTEGER, GL_UNSIGNED_SHORT, true, true);
    case 58: return F(GL_R16_SNORM, GL_RED, GL_SHORT, true, false);
    case 59: return F(GL_R16I, GL_RED_INTEGER, GL_SHORT, true, true);
    case 61: return F(GL_R8, GL_RED, GL_UNSIGNED_BYTE, true, true);
    case 62: return F(GL_R8UI, GL_RED_INTEGER, GL_UNSIGNED_BYTE, true, true);
    case 63: return F(GL_R8_SNORM, GL_RED, GL_BYTE, true, false);
    case 64: return F(GL_R8I, GL_RED_INTEGER, GL_BYTE, true, true);
    /* BGRA: RGBA8 storage that keeps the bytes as they come (copies
     * between formats of one size move bytes), with the texture's swizzle
     * exchanging red and blue when sampled; images and texel buffers have
     * no swizzle */
    case 87: return F(GL_RGBA8, GL_RGBA, GL_UNSIGNED_BYTE, false, false);
    case 91: return F(GL_SRGB8_ALPHA8, GL_RGBA, GL_UNSIGNED_BYTE, false, false);
    default: return F(0, 0, 0, false, false);
    }
}

bool gl_format_is_bgra(cs_format format)
{
    return format == 87 || format == 91;
}

bool gl_format_filters_linearly(const cs_device *device, cs_format format)
{
    (void)device;
    /* every float/normalized format GL takes filters linearly in 4.5 */
    return gl_format_of(format).internal_format != 0 &&
           cs_format_component_type(format) == CS_COMPONENT_FLOAT;
}
