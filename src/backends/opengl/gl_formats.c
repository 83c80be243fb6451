/* gl_formats.c - the formats in OpenGL, from the gl and gl_type columns of
 * the one list (include/compushady_formats.h): the internal format, the
 * format/type pair texels travel in, what OpenGL 4.5 allows of each (image
 * units, buffer textures) and what the device's driver says of them. */
#include "gl_internal.h"

/* format_support of gl_device is indexed by the format's value */
#define GL_FORMAT_BELOW_LIMIT(name, value, ...)                                \
    _Static_assert(value < GL_FORMAT_VALUES,                                   \
                   "format " #name ": raise GL_FORMAT_VALUES");
CS_FORMAT_LIST(GL_FORMAT_BELOW_LIMIT)
#undef GL_FORMAT_BELOW_LIMIT

static GLenum transfer_format(uint32_t components, cs_component_type type)
{
    bool integer = type != CS_COMPONENT_FLOAT;
    switch (components) {
    case 1: return integer ? GL_RED_INTEGER : GL_RED;
    case 2: return integer ? GL_RG_INTEGER : GL_RG;
    case 3: return integer ? GL_RGB_INTEGER : GL_RGB;
    default: return integer ? GL_RGBA_INTEGER : GL_RGBA;
    }
}

static gl_format make_format(GLenum internal_format, GLenum type,
                             uint32_t components, cs_component_type component,
                             const char *name)
{
    /* B8G8R8A8: RGBA8 storage that keeps the bytes as they come (copies
     * between formats of one size move bytes), with the texture's swizzle
     * exchanging red and blue when sampled; images and buffer textures
     * have no swizzle. The only formats whose name starts with blue. */
    bool bgra = name[0] == 'B';
    bool srgb = internal_format == GL_SRGB8_ALPHA8;
    bool packed = type == GL_UNSIGNED_INT_2_10_10_10_REV;
    bool snorm = component == CS_COMPONENT_FLOAT &&
                 (type == GL_BYTE || type == GL_SHORT);
    return (gl_format){
        .internal_format = internal_format,
        .format = transfer_format(components, component),
        .type = type,
        /* OpenGL 4.5 table 8.26: every 1, 2 and 4-component format here,
         * sRGB ones not */
        .image_unit = components != 3 && !srgb && !bgra,
        /* table 8.16: neither SNORM, packed nor sRGB formats; of three
         * components only the 32-bit ones (all this list has) */
        .texture_buffer = !snorm && !packed && !srgb && !bgra,
        .bgra = bgra,
    };
}

gl_format gl_format_of(cs_format format)
{
    switch (format) {
#define GL_FORMAT_CASE(name, value, size, type, components, vulkan, spirv, gl, \
                       gl_type)                                                \
    case value:                                                                \
        return make_format(GL_##gl, GL_##gl_type, components,                  \
                           CS_COMPONENT_##type, #name);
        CS_FORMAT_LIST(GL_FORMAT_CASE)
#undef GL_FORMAT_CASE
    default: return (gl_format){0};
    }
}

/* What OpenGL 4.5 allows of format: the answer where the driver cannot be
 * asked. */
static uint32_t allowed_support(cs_format format)
{
    gl_format gl = gl_format_of(format);
    if (!gl.internal_format)
        return 0;
    uint32_t support = CS_FORMAT_SUPPORT_TEXTURE_SRV;
    if (gl.image_unit)
        support |= CS_FORMAT_SUPPORT_TEXTURE_UAV;
    /* every float and normalized format filters linearly in 4.5 */
    if (cs_format_component_type(format) == CS_COMPONENT_FLOAT)
        support |= CS_FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR;
    if (gl.texture_buffer)
        support |= CS_FORMAT_SUPPORT_BUFFER_SRV;
    if (gl.texture_buffer && gl.image_unit)
        support |= CS_FORMAT_SUPPORT_BUFFER_UAV;
    return support;
}

static bool driver_says_yes(GLenum target, GLenum internal_format, GLenum pname)
{
    GLint value = GL_NONE;
    glGetInternalformativ(target, internal_format, pname, 1, &value);
    /* GL_INTERNALFORMAT_SUPPORTED answers GL_TRUE; the others
     * GL_FULL_SUPPORT, GL_CAVEAT_SUPPORT (slower, still right) or GL_NONE */
    return value != GL_NONE && value != GL_FALSE;
}

/* What the driver says of format (ARB_internalformat_query2, core in
 * OpenGL 4.3): it can only take away from what 4.5 allows. */
static uint32_t driver_support(cs_format format, uint32_t allowed)
{
    GLenum internal = gl_format_of(format).internal_format;
    uint32_t support = allowed;
    if (!driver_says_yes(GL_TEXTURE_2D, internal,
                         GL_INTERNALFORMAT_SUPPORTED) ||
        !driver_says_yes(GL_TEXTURE_2D, internal, GL_COMPUTE_TEXTURE))
        support &= ~(uint32_t)(CS_FORMAT_SUPPORT_TEXTURE_SRV |
                               CS_FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR);
    if (!driver_says_yes(GL_TEXTURE_2D, internal, GL_SHADER_IMAGE_LOAD) ||
        !driver_says_yes(GL_TEXTURE_2D, internal, GL_SHADER_IMAGE_STORE))
        support &= ~(uint32_t)CS_FORMAT_SUPPORT_TEXTURE_UAV;
    if (!driver_says_yes(GL_TEXTURE_2D, internal, GL_FILTER))
        support &= ~(uint32_t)CS_FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR;
    if (!driver_says_yes(GL_TEXTURE_BUFFER, internal,
                         GL_INTERNALFORMAT_SUPPORTED))
        support &= ~(uint32_t)(CS_FORMAT_SUPPORT_BUFFER_SRV |
                               CS_FORMAT_SUPPORT_BUFFER_UAV);
    if (!driver_says_yes(GL_TEXTURE_BUFFER, internal, GL_SHADER_IMAGE_LOAD) ||
        !driver_says_yes(GL_TEXTURE_BUFFER, internal, GL_SHADER_IMAGE_STORE))
        support &= ~(uint32_t)CS_FORMAT_SUPPORT_BUFFER_UAV;
    return support;
}

void gl_format_read_support(gl_device *dev, bool ask_driver)
{
#define GL_FORMAT_READ(name, value, ...)                                       \
    {                                                                          \
        uint32_t allowed = allowed_support(value);                             \
        dev->format_support[value] =                                           \
            (uint8_t)(ask_driver ? driver_support(value, allowed) : allowed);  \
    }
    CS_FORMAT_LIST(GL_FORMAT_READ)
#undef GL_FORMAT_READ
    /* the queries of formats a target does not take raise errors on
     * some drivers: nothing for the caller to see */
    gl_discard_errors();
}

cs_status gl_format_support(const cs_device *device, cs_format format,
                            uint32_t *out_support)
{
    *out_support = format < GL_FORMAT_VALUES
                       ? gl_device_of(device)->format_support[format]
                       : 0;
    return CS_OK;
}
