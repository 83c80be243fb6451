/* vk_formats.c - format numbers (compushady.formats) -> VkFormat. */
#include "vk_internal.h"

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
