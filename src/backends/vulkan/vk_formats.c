/* vk_formats.c - DXGI format numbers (compushady.formats) -> VkFormat. */
#include "vk_internal.h"

VkFormat vk_format_from_cs(cs_format format)
{
    switch (format) {
    case 2: return VK_FORMAT_R32G32B32A32_SFLOAT;
    case 3: return VK_FORMAT_R32G32B32A32_UINT;
    case 4: return VK_FORMAT_R32G32B32A32_SINT;
    case 6: return VK_FORMAT_R32G32B32_SFLOAT;
    case 7: return VK_FORMAT_R32G32B32_UINT;
    case 8: return VK_FORMAT_R32G32B32_SINT;
    case 10: return VK_FORMAT_R16G16B16A16_SFLOAT;
    case 11: return VK_FORMAT_R16G16B16A16_UNORM;
    case 12: return VK_FORMAT_R16G16B16A16_UINT;
    case 13: return VK_FORMAT_R16G16B16A16_SNORM;
    case 14: return VK_FORMAT_R16G16B16A16_SINT;
    case 16: return VK_FORMAT_R32G32_SFLOAT;
    case 17: return VK_FORMAT_R32G32_UINT;
    case 18: return VK_FORMAT_R32G32_SINT;
    /* DXGI orders the fields from the lowest bit, Vulkan packed formats
     * from the highest: DXGI R10G10B10A2 is Vulkan A2B10G10R10. */
    case 24: return VK_FORMAT_A2B10G10R10_UNORM_PACK32;
    case 25: return VK_FORMAT_A2B10G10R10_UINT_PACK32;
    case 28: return VK_FORMAT_R8G8B8A8_UNORM;
    case 29: return VK_FORMAT_R8G8B8A8_SRGB;
    case 30: return VK_FORMAT_R8G8B8A8_UINT;
    case 31: return VK_FORMAT_R8G8B8A8_SNORM;
    case 32: return VK_FORMAT_R8G8B8A8_SINT;
    case 34: return VK_FORMAT_R16G16_SFLOAT;
    case 35: return VK_FORMAT_R16G16_UNORM;
    case 36: return VK_FORMAT_R16G16_UINT;
    case 37: return VK_FORMAT_R16G16_SNORM;
    case 38: return VK_FORMAT_R16G16_SINT;
    case 41: return VK_FORMAT_R32_SFLOAT;
    case 42: return VK_FORMAT_R32_UINT;
    case 43: return VK_FORMAT_R32_SINT;
    case 49: return VK_FORMAT_R8G8_UNORM;
    case 50: return VK_FORMAT_R8G8_UINT;
    case 51: return VK_FORMAT_R8G8_SNORM;
    case 52: return VK_FORMAT_R8G8_SINT;
    case 54: return VK_FORMAT_R16_SFLOAT;
    case 55: return VK_FORMAT_R16_UNORM;
    case 57: return VK_FORMAT_R16_UINT;
    case 58: return VK_FORMAT_R16_SNORM;
    case 59: return VK_FORMAT_R16_SINT;
    case 61: return VK_FORMAT_R8_UNORM;
    case 62: return VK_FORMAT_R8_UINT;
    case 63: return VK_FORMAT_R8_SNORM;
    case 64: return VK_FORMAT_R8_SINT;
    case 87: return VK_FORMAT_B8G8R8A8_UNORM;
    case 91: return VK_FORMAT_B8G8R8A8_SRGB;
    default: return VK_FORMAT_UNDEFINED;
    }
}

bool vk_format_filters_linearly(const cs_device *device, cs_format format)
{
    VkFormat vk_format = vk_format_from_cs(format);
    if (vk_format == VK_FORMAT_UNDEFINED)
        return false;
    VkFormatProperties properties;
    vkGetPhysicalDeviceFormatProperties(vk_device_of(device)->physical,
                                        vk_format, &properties);
    return (properties.optimalTilingFeatures &
            VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT) != 0;
}
