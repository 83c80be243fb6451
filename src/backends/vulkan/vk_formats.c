/* vk_formats.c - format numbers (compushady.formats) -> VkFormat, and
 * what the device can do with each. */
#include "vk_internal.h"

#include "../../shader/shader.h"

#include <spirv/unified1/spirv.h>

/* The vulkan column of the one list of formats
 * (include/compushady_formats.h). DXGI orders packed fields from the lowest
 * bit, Vulkan from the highest: DXGI R10G10B10A2 is Vulkan A2B10G10R10. */
VkFormat vk_format_from_cs(cs_format format)
{
    switch (format) {
#define VK_FORMAT_CASE(name, value, size, type, components, vulkan, ...)       \
    case value: return VK_FORMAT_##vulkan;
        CS_FORMAT_LIST(VK_FORMAT_CASE)
#undef VK_FORMAT_CASE
    default: return VK_FORMAT_UNDEFINED;
    }
}

cs_status vk_format_support(const cs_device *device, cs_format format,
                            uint32_t *out_support)
{
    *out_support = 0;
    VkFormat vk_format = vk_format_from_cs(format);
    if (vk_format == VK_FORMAT_UNDEFINED)
        return CS_OK;
    VkFormatProperties properties;
    vkGetPhysicalDeviceFormatProperties(vk_device_of(device)->physical,
                                        vk_format, &properties);
    VkFormatFeatureFlags texture = properties.optimalTilingFeatures;
    VkFormatFeatureFlags buffer = properties.bufferFeatures;
    uint32_t support = 0;
    /* textures are copied to and from (vk_texture.c asks for both) */
    VkFormatFeatureFlags copies =
        VK_FORMAT_FEATURE_TRANSFER_SRC_BIT | VK_FORMAT_FEATURE_TRANSFER_DST_BIT;
    if ((texture & copies) == copies) {
        if (texture & VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT)
            support |= CS_FORMAT_SUPPORT_TEXTURE_SRV;
        if (texture & VK_FORMAT_FEATURE_STORAGE_IMAGE_BIT)
            support |= CS_FORMAT_SUPPORT_TEXTURE_UAV;
        if ((texture & VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT) &&
            (texture & VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT))
            support |= CS_FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR;
    }
    if (buffer & VK_FORMAT_FEATURE_UNIFORM_TEXEL_BUFFER_BIT)
        support |= CS_FORMAT_SUPPORT_BUFFER_SRV;
    if (buffer & VK_FORMAT_FEATURE_STORAGE_TEXEL_BUFFER_BIT)
        support |= CS_FORMAT_SUPPORT_BUFFER_UAV;
    /* no SPIR-V image format: the shader declares the storage image
     * without one, which needs shaderStorageImageWriteWithoutFormat */
    if (cs_spirv_image_format_from_dxgi(format) == SpvImageFormatUnknown &&
        !device->info.supports_storage_image_write_without_format)
        support &= ~(uint32_t)(CS_FORMAT_SUPPORT_TEXTURE_UAV |
                               CS_FORMAT_SUPPORT_BUFFER_UAV);
    *out_support = support;
    return CS_OK;
}
