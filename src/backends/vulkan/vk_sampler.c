/* vk_sampler.c - VkSamplers from cs_sampler_desc. */
#include "vk_internal.h"

static VkSamplerAddressMode address_mode_of(cs_address_mode mode)
{
    switch (mode) {
    case CS_ADDRESS_MODE_MIRROR: return VK_SAMPLER_ADDRESS_MODE_MIRRORED_REPEAT;
    case CS_ADDRESS_MODE_CLAMP: return VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    default: return VK_SAMPLER_ADDRESS_MODE_REPEAT;
    }
}

static VkFilter filter_of(cs_filter filter)
{
    return filter == CS_FILTER_LINEAR ? VK_FILTER_LINEAR : VK_FILTER_NEAREST;
}

cs_status vk_sampler_create(cs_sampler *sampler)
{
    vk_device *dev;
    cs_status status = vk_device_acquire(sampler->device, &dev);
    if (status != CS_OK)
        return status;
    const cs_sampler_desc *desc = &sampler->desc;
    VkSamplerCreateInfo info = {
        .sType = VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO,
        .magFilter = filter_of(desc->filter_mag),
        .minFilter = filter_of(desc->filter_min),
        .mipmapMode = VK_SAMPLER_MIPMAP_MODE_NEAREST,
        .addressModeU = address_mode_of(desc->address_u),
        .addressModeV = address_mode_of(desc->address_v),
        .addressModeW = address_mode_of(desc->address_w),
        .maxLod = VK_LOD_CLAMP_NONE,
        .unnormalizedCoordinates = VK_FALSE,
    };
    VkSampler vk_sampler;
    VkResult result = vkCreateSampler(dev->device, &info, NULL, &vk_sampler);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkCreateSampler", "creating a sampler");
    sampler->impl = (void *)vk_sampler;
    return CS_OK;
}

void vk_sampler_destroy(cs_sampler *sampler)
{
    vkDestroySampler(vk_device_of(sampler->device)->device,
                     (VkSampler)sampler->impl, NULL);
    sampler->impl = NULL;
}
