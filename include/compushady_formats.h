/*
 * compushady_formats.h - the texel formats: one list, from which every
 * layer takes what it needs (included by compushady.h).
 *
 * CS_FORMAT_LIST(X) calls X once per format, in DXGI order:
 *
 *     X(name, value, texel_size, component_type, components,
 *       vulkan, spirv, gl, gl_type)
 *
 *   name            the DXGI name without prefix: CS_FORMAT_<name>, and the
 *                   constant of compushady.formats (scripts/gen_formats.py
 *                   writes python/compushady/formats.py from this list)
 *   value           the DXGI_FORMAT number, the value the API passes
 *   texel_size      bytes per texel
 *   component_type  what shaders see: FLOAT (float, UNORM, SNORM, sRGB),
 *                   UINT or SINT (CS_COMPONENT_<type>)
 *   components      how many (R32G32_UINT: 2)
 *   vulkan          VK_FORMAT_<vulkan> (src/backends/vulkan/vk_formats.c)
 *   spirv           SpvImageFormat<spirv>, the storage image format;
 *                   Unknown where SPIR-V has none (src/shader/image_format.c)
 *   gl              GL_<gl>, the OpenGL sized internal format (B8G8R8A8
 *                   textures are RGBA8 in GL, their texels swizzled)
 *   gl_type         GL_<gl_type>, the type its texels travel in (pixel
 *                   transfers); the transfer format follows from
 *                   components and component_type
 *                   (src/backends/opengl/gl_formats.c)
 *
 * A new format is one more line; a new backend's mapping, one more column
 * (and its expansion in the backend). The columns past `components` are
 * tokens pasted by the backend that uses them: this header needs none of
 * their headers.
 */
#ifndef COMPUSHADY_FORMATS_H
#define COMPUSHADY_FORMATS_H

/* clang-format off */
#define CS_FORMAT_LIST(X) \
    X(R32G32B32A32_FLOAT, 2, 16, FLOAT, 4, R32G32B32A32_SFLOAT, Rgba32f, RGBA32F, FLOAT) \
    X(R32G32B32A32_UINT, 3, 16, UINT, 4, R32G32B32A32_UINT, Rgba32ui, RGBA32UI, UNSIGNED_INT) \
    X(R32G32B32A32_SINT, 4, 16, SINT, 4, R32G32B32A32_SINT, Rgba32i, RGBA32I, INT) \
    X(R32G32B32_FLOAT, 6, 12, FLOAT, 3, R32G32B32_SFLOAT, Unknown, RGB32F, FLOAT) \
    X(R32G32B32_UINT, 7, 12, UINT, 3, R32G32B32_UINT, Unknown, RGB32UI, UNSIGNED_INT) \
    X(R32G32B32_SINT, 8, 12, SINT, 3, R32G32B32_SINT, Unknown, RGB32I, INT) \
    X(R16G16B16A16_FLOAT, 10, 8, FLOAT, 4, R16G16B16A16_SFLOAT, Rgba16f, RGBA16F, HALF_FLOAT) \
    X(R16G16B16A16_UNORM, 11, 8, FLOAT, 4, R16G16B16A16_UNORM, Rgba16, RGBA16, UNSIGNED_SHORT) \
    X(R16G16B16A16_UINT, 12, 8, UINT, 4, R16G16B16A16_UINT, Rgba16ui, RGBA16UI, UNSIGNED_SHORT) \
    X(R16G16B16A16_SNORM, 13, 8, FLOAT, 4, R16G16B16A16_SNORM, Rgba16Snorm, RGBA16_SNORM, SHORT) \
    X(R16G16B16A16_SINT, 14, 8, SINT, 4, R16G16B16A16_SINT, Rgba16i, RGBA16I, SHORT) \
    X(R32G32_FLOAT, 16, 8, FLOAT, 2, R32G32_SFLOAT, Rg32f, RG32F, FLOAT) \
    X(R32G32_UINT, 17, 8, UINT, 2, R32G32_UINT, Rg32ui, RG32UI, UNSIGNED_INT) \
    X(R32G32_SINT, 18, 8, SINT, 2, R32G32_SINT, Rg32i, RG32I, INT) \
    X(R10G10B10A2_UNORM, 24, 4, FLOAT, 4, A2B10G10R10_UNORM_PACK32, Rgb10A2, RGB10_A2, UNSIGNED_INT_2_10_10_10_REV) \
    X(R10G10B10A2_UINT, 25, 4, UINT, 4, A2B10G10R10_UINT_PACK32, Rgb10a2ui, RGB10_A2UI, UNSIGNED_INT_2_10_10_10_REV) \
    X(R8G8B8A8_UNORM, 28, 4, FLOAT, 4, R8G8B8A8_UNORM, Rgba8, RGBA8, UNSIGNED_BYTE) \
    X(R8G8B8A8_UNORM_SRGB, 29, 4, FLOAT, 4, R8G8B8A8_SRGB, Unknown, SRGB8_ALPHA8, UNSIGNED_BYTE) \
    X(R8G8B8A8_UINT, 30, 4, UINT, 4, R8G8B8A8_UINT, Rgba8ui, RGBA8UI, UNSIGNED_BYTE) \
    X(R8G8B8A8_SNORM, 31, 4, FLOAT, 4, R8G8B8A8_SNORM, Rgba8Snorm, RGBA8_SNORM, BYTE) \
    X(R8G8B8A8_SINT, 32, 4, SINT, 4, R8G8B8A8_SINT, Rgba8i, RGBA8I, BYTE) \
    X(R16G16_FLOAT, 34, 4, FLOAT, 2, R16G16_SFLOAT, Rg16f, RG16F, HALF_FLOAT) \
    X(R16G16_UNORM, 35, 4, FLOAT, 2, R16G16_UNORM, Rg16, RG16, UNSIGNED_SHORT) \
    X(R16G16_UINT, 36, 4, UINT, 2, R16G16_UINT, Rg16ui, RG16UI, UNSIGNED_SHORT) \
    X(R16G16_SNORM, 37, 4, FLOAT, 2, R16G16_SNORM, Rg16Snorm, RG16_SNORM, SHORT) \
    X(R16G16_SINT, 38, 4, SINT, 2, R16G16_SINT, Rg16i, RG16I, SHORT) \
    X(R32_FLOAT, 41, 4, FLOAT, 1, R32_SFLOAT, R32f, R32F, FLOAT) \
    X(R32_UINT, 42, 4, UINT, 1, R32_UINT, R32ui, R32UI, UNSIGNED_INT) \
    X(R32_SINT, 43, 4, SINT, 1, R32_SINT, R32i, R32I, INT) \
    X(R8G8_UNORM, 49, 2, FLOAT, 2, R8G8_UNORM, Rg8, RG8, UNSIGNED_BYTE) \
    X(R8G8_UINT, 50, 2, UINT, 2, R8G8_UINT, Rg8ui, RG8UI, UNSIGNED_BYTE) \
    X(R8G8_SNORM, 51, 2, FLOAT, 2, R8G8_SNORM, Rg8Snorm, RG8_SNORM, BYTE) \
    X(R8G8_SINT, 52, 2, SINT, 2, R8G8_SINT, Rg8i, RG8I, BYTE) \
    X(R16_FLOAT, 54, 2, FLOAT, 1, R16_SFLOAT, R16f, R16F, HALF_FLOAT) \
    X(R16_UNORM, 55, 2, FLOAT, 1, R16_UNORM, R16, R16, UNSIGNED_SHORT) \
    X(R16_UINT, 57, 2, UINT, 1, R16_UINT, R16ui, R16UI, UNSIGNED_SHORT) \
    X(R16_SNORM, 58, 2, FLOAT, 1, R16_SNORM, R16Snorm, R16_SNORM, SHORT) \
    X(R16_SINT, 59, 2, SINT, 1, R16_SINT, R16i, R16I, SHORT) \
    X(R8_UNORM, 61, 1, FLOAT, 1, R8_UNORM, R8, R8, UNSIGNED_BYTE) \
    X(R8_UINT, 62, 1, UINT, 1, R8_UINT, R8ui, R8UI, UNSIGNED_BYTE) \
    X(R8_SNORM, 63, 1, FLOAT, 1, R8_SNORM, R8Snorm, R8_SNORM, BYTE) \
    X(R8_SINT, 64, 1, SINT, 1, R8_SINT, R8i, R8I, BYTE) \
    X(B8G8R8A8_UNORM, 87, 4, FLOAT, 4, B8G8R8A8_UNORM, Unknown, RGBA8, UNSIGNED_BYTE) \
    X(B8G8R8A8_UNORM_SRGB, 91, 4, FLOAT, 4, B8G8R8A8_SRGB, Unknown, SRGB8_ALPHA8, UNSIGNED_BYTE)
/* clang-format on */

/* The formats by name: CS_FORMAT_R8G8B8A8_UNORM = 28, ... */
enum {
    CS_FORMAT_UNKNOWN = 0,
#define CS_FORMAT_ENUM_ENTRY(name, value, ...) CS_FORMAT_##name = value,
    CS_FORMAT_LIST(CS_FORMAT_ENUM_ENTRY)
#undef CS_FORMAT_ENUM_ENTRY
};

#endif
