/* vk_texture.c - VkImages for 1D/2D/3D textures (and arrays, and sparse
 * ones), their image views, and the one layout transition to GENERAL at
 * creation. */
#include "vk_internal.h"

#include <stdio.h>

static VkImageType image_type_of(cs_resource_kind kind)
{
    switch (kind) {
    case CS_RESOURCE_TEXTURE1D: return VK_IMAGE_TYPE_1D;
    case CS_RESOURCE_TEXTURE3D: return VK_IMAGE_TYPE_3D;
    default: return VK_IMAGE_TYPE_2D;
    }
}

bool vk_texture_view_is_arrayed(const cs_resource *resource)
{
    return resource->info.kind != CS_RESOURCE_TEXTURE3D &&
           resource->info.slices > 1;
}

cs_status vk_texture_create_view(vk_device *dev, const cs_resource *resource,
                                 bool arrayed, VkImageView *out_view)
{
    const vk_resource *impl = vk_resource_of(resource);
    VkImageViewType type;
    switch (resource->info.kind) {
    case CS_RESOURCE_TEXTURE1D:
        type = arrayed ? VK_IMAGE_VIEW_TYPE_1D_ARRAY : VK_IMAGE_VIEW_TYPE_1D;
        break;
    case CS_RESOURCE_TEXTURE3D: type = VK_IMAGE_VIEW_TYPE_3D; break;
    default:
        type = arrayed ? VK_IMAGE_VIEW_TYPE_2D_ARRAY : VK_IMAGE_VIEW_TYPE_2D;
        break;
    }
    uint32_t layers = resource->info.kind == CS_RESOURCE_TEXTURE3D
                          ? 1
                          : resource->info.slices;
    VkImageViewCreateInfo info = {
        .sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
        .image = impl->image,
        .viewType = type,
        .format = impl->format,
        .subresourceRange =
            {
                .aspectMask = VK_IMAGE_ASPECT_COLOR_BIT,
                .levelCount = 1,
                /* a non-array view of an array sees its first slice */
                .layerCount = arrayed ? layers : 1,
            },
    };
    VkResult result = vkCreateImageView(dev->device, &info, NULL, out_view);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkCreateImageView",
                       "creating a view of a %ux%ux%u %s texture",
                       resource->info.width, resource->info.height,
                       resource->info.depth,
                       cs_format_name(resource->info.format));
    return CS_OK;
}

static cs_status choose_usage(vk_device *dev, const cs_resource *resource,
                              VkFormat format, VkImageUsageFlags *out_usage)
{
    const char *name = cs_format_name(resource->info.format);
    VkFormatProperties properties;
    vkGetPhysicalDeviceFormatProperties(dev->physical, format, &properties);
    VkFormatFeatureFlags features = properties.optimalTilingFeatures;
    VkImageUsageFlags usage = 0;
    if (features & VK_FORMAT_FEATURE_TRANSFER_SRC_BIT)
        usage |= VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
    if (features & VK_FORMAT_FEATURE_TRANSFER_DST_BIT)
        usage |= VK_IMAGE_USAGE_TRANSFER_DST_BIT;
    if (features & VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT)
        usage |= VK_IMAGE_USAGE_SAMPLED_BIT;
    if (features & VK_FORMAT_FEATURE_STORAGE_IMAGE_BIT)
        usage |= VK_IMAGE_USAGE_STORAGE_BIT;
    if (!(usage & (VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_STORAGE_BIT)))
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "format %s is not supported for textures by device "
                       "\"%s\": it can be neither sampled (SRV) nor a storage "
                       "image (UAV)",
                       name ? name : "?", dev->properties.deviceName);
    if (!(usage & VK_IMAGE_USAGE_TRANSFER_DST_BIT) ||
        !(usage & VK_IMAGE_USAGE_TRANSFER_SRC_BIT))
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "format %s is not supported for textures by device "
                       "\"%s\": it cannot be copied %s",
                       name ? name : "?", dev->properties.deviceName,
                       usage & VK_IMAGE_USAGE_TRANSFER_DST_BIT
                           ? "from (transfer source)"
                           : "to (transfer destination)");
    *out_usage = usage;
    return CS_OK;
}

/* GENERAL for the whole life of the image: compute and copies then need no
 * per-use transitions. */
static cs_status transition_to_general(vk_device *dev, VkImage image)
{
    vk_command_context *context;
    cs_status status = vk_submit_begin(dev, &context);
    if (status != CS_OK)
        return status;
    VkImageMemoryBarrier barrier = {
        .sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
        .srcAccessMask = 0,
        .dstAccessMask = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT,
        .oldLayout = VK_IMAGE_LAYOUT_UNDEFINED,
        .newLayout = VK_IMAGE_LAYOUT_GENERAL,
        .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .image = image,
        .subresourceRange =
            {
                .aspectMask = VK_IMAGE_ASPECT_COLOR_BIT,
                .levelCount = VK_REMAINING_MIP_LEVELS,
                .layerCount = VK_REMAINING_ARRAY_LAYERS,
            },
    };
    vkCmdPipelineBarrier(context->commands, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT,
                         VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 0, NULL, 0,
                         NULL, 1, &barrier);
    return vk_submit_and_wait(
        dev, context, "moving a new texture to the GENERAL layout", NULL);
}

/* Sparse residency exists for 2D and 3D images only, each a feature. */
static cs_status check_sparse(const vk_device *dev, const cs_resource *resource)
{
    const VkPhysicalDeviceFeatures *features = &dev->supported.core.features;
    switch (resource->sparse ? resource->info.kind : CS_RESOURCE_BUFFER) {
    case CS_RESOURCE_TEXTURE1D:
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "sparse Texture1D does not exist in Vulkan (sparse "
                       "residency is for 2D and 3D images)");
    case CS_RESOURCE_TEXTURE2D:
        if (!features->sparseResidencyImage2D)
            return cs_fail(CS_ERROR_UNSUPPORTED,
                           "this device does not support sparse Texture2D "
                           "(sparseResidencyImage2D)");
        break;
    case CS_RESOURCE_TEXTURE3D:
        if (!features->sparseResidencyImage3D)
            return cs_fail(CS_ERROR_UNSUPPORTED,
                           "this device does not support sparse Texture3D "
                           "(sparseResidencyImage3D)");
        break;
    default: break;
    }
    return CS_OK;
}

cs_status vk_texture_create(vk_device *dev, cs_resource *resource)
{
    vk_resource *impl = vk_resource_of(resource);
    const cs_resource_info *info = &resource->info;
    const char *name = cs_format_name(info->format);
    cs_status status = check_sparse(dev, resource);
    if (status != CS_OK)
        return status;
    impl->format = vk_format_from_cs(info->format);
    if (impl->format == VK_FORMAT_UNDEFINED)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "format %s (%u) has no Vulkan equivalent",
                       name ? name : "?", info->format);
    VkImageUsageFlags usage = 0;
    status = choose_usage(dev, resource, impl->format, &usage);
    if (status != CS_OK)
        return status;
    bool is_3d = info->kind == CS_RESOURCE_TEXTURE3D;
    VkImageCreateInfo create_info = {
        .sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
        .flags = resource->sparse ? vk_sparse_image_flags(dev) : 0,
        .imageType = image_type_of(info->kind),
        .format = impl->format,
        .extent = {info->width,
                   info->kind == CS_RESOURCE_TEXTURE1D ? 1 : info->height,
                   is_3d ? info->depth : 1},
        .mipLevels = 1,
        .arrayLayers = is_3d || info->slices == 0 ? 1 : info->slices,
        .samples = VK_SAMPLE_COUNT_1_BIT,
        .tiling = VK_IMAGE_TILING_OPTIMAL,
        .usage = usage,
        .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
        .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
    };
    VkImageFormatProperties limits;
    VkResult result = vkGetPhysicalDeviceImageFormatProperties(
        dev->physical, create_info.format, create_info.imageType,
        create_info.tiling, create_info.usage, create_info.flags, &limits);
    if (result == VK_ERROR_FORMAT_NOT_SUPPORTED && resource->sparse)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "this device does not support sparse %s textures",
                       name ? name : "?");
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkGetPhysicalDeviceImageFormatProperties",
                       "checking support of %s textures", name ? name : "?");
    if (create_info.extent.width > limits.maxExtent.width ||
        create_info.extent.height > limits.maxExtent.height ||
        create_info.extent.depth > limits.maxExtent.depth ||
        create_info.arrayLayers > limits.maxArrayLayers)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "a %ux%ux%u texture with %u slices exceeds this "
                       "device's limits for %s (%ux%ux%u, %u slices)",
                       create_info.extent.width, create_info.extent.height,
                       create_info.extent.depth, create_info.arrayLayers,
                       name ? name : "?", limits.maxExtent.width,
                       limits.maxExtent.height, limits.maxExtent.depth,
                       limits.maxArrayLayers);
    result = vkCreateImage(dev->device, &create_info, NULL, &impl->image);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkCreateImage",
                       "creating a %ux%ux%u %s texture",
                       create_info.extent.width, create_info.extent.height,
                       create_info.extent.depth, name ? name : "?");
    VkMemoryRequirements requirements;
    vkGetImageMemoryRequirements(dev->device, impl->image, &requirements);
    char what[96];
    snprintf(what, sizeof what, "a %ux%ux%u %s texture",
             create_info.extent.width, create_info.extent.height,
             create_info.extent.depth, name ? name : "?");
    if (resource->sparse) {
        /* tiles get their memory from bind_tile (vk_sparse.c) */
        status = vk_sparse_setup_image(dev, resource, &requirements);
        if (status != CS_OK)
            return status;
    } else {
        status = vk_memory_place_resource(dev, resource, &requirements, what);
        if (status != CS_OK)
            return status;
        result = vkBindImageMemory(dev->device, impl->image, impl->memory,
                                   impl->memory_offset);
        if (result != VK_SUCCESS)
            return vk_fail(dev, result, "vkBindImageMemory", "binding %s",
                           what);
    }
    status = vk_texture_create_view(
        dev, resource, vk_texture_view_is_arrayed(resource), &impl->image_view);
    if (status != CS_OK)
        return status;
    return transition_to_general(dev, impl->image);
}
