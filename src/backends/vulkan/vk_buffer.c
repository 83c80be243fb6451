/* vk_buffer.c - VkBuffers, texel buffer views, and flush/invalidate of
 * mapped buffers on non-coherent memory. */
#include "vk_internal.h"

#include <stdio.h>

/* The texel buffer usages the format has on this device (the core
 * checked that it has one: format_support.c). */
static VkBufferUsageFlags texel_usage(vk_device *dev, VkFormat vk_format)
{
    VkFormatProperties properties;
    vkGetPhysicalDeviceFormatProperties(dev->physical, vk_format, &properties);
    VkBufferUsageFlags usage = 0;
    if (properties.bufferFeatures & VK_FORMAT_FEATURE_UNIFORM_TEXEL_BUFFER_BIT)
        usage |= VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT;
    if (properties.bufferFeatures & VK_FORMAT_FEATURE_STORAGE_TEXEL_BUFFER_BIT)
        usage |= VK_BUFFER_USAGE_STORAGE_TEXEL_BUFFER_BIT;
    return usage;
}

static cs_status create_texel_view(vk_device *dev, cs_resource *resource)
{
    vk_resource *impl = vk_resource_of(resource);
    VkBufferViewCreateInfo info = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_VIEW_CREATE_INFO,
        .buffer = impl->buffer,
        .format = impl->format,
        .offset = 0,
        .range = VK_WHOLE_SIZE,
    };
    VkResult result =
        vkCreateBufferView(dev->device, &info, NULL, &impl->texel_view);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkCreateBufferView",
                       "creating the %s view of a %llu-byte buffer",
                       cs_format_name(resource->info.format),
                       (unsigned long long)resource->info.size);
    return CS_OK;
}

static void describe(const cs_resource *resource, char *what, size_t size)
{
    snprintf(what, size, "a %llu-byte buffer",
             (unsigned long long)resource->info.size);
}

cs_status vk_buffer_create(vk_device *dev, cs_resource *resource)
{
    vk_resource *impl = vk_resource_of(resource);
    const cs_resource_info *info = &resource->info;
    VkBufferUsageFlags usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                               VK_BUFFER_USAGE_TRANSFER_DST_BIT |
                               VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT |
                               VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
                               VK_BUFFER_USAGE_INDIRECT_BUFFER_BIT;
    if (info->format != 0) {
        impl->format = vk_format_from_cs(info->format);
        usage |= texel_usage(dev, impl->format);
    }
    if (resource->sparse && !dev->supported.core.features.sparseResidencyBuffer)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "this device does not support sparse buffers "
                       "(sparseBinding + sparseResidencyBuffer)");
    VkBufferCreateInfo create_info = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
        .flags = resource->sparse ? vk_sparse_buffer_flags(dev) : 0,
        .size = info->size,
        .usage = usage,
        .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
    };
    VkResult result =
        vkCreateBuffer(dev->device, &create_info, NULL, &impl->buffer);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkCreateBuffer",
                       "creating a %llu-byte buffer",
                       (unsigned long long)info->size);
    VkMemoryRequirements requirements;
    vkGetBufferMemoryRequirements(dev->device, impl->buffer, &requirements);

    /* NULL: "a N-byte buffer" is formatted only for a failure */
    cs_status status =
        resource->sparse
            ? vk_sparse_setup_buffer(dev, resource, &requirements)
            : vk_memory_place_resource(dev, resource, &requirements, NULL);
    if (status != CS_OK)
        return status;
    /* sparse buffers get their memory tile by tile (vk_sparse.c) */
    if (!resource->sparse) {
        result = vkBindBufferMemory(dev->device, impl->buffer, impl->memory,
                                    impl->memory_offset);
        if (result != VK_SUCCESS) {
            char what[64];
            describe(resource, what, sizeof what);
            return vk_fail(dev, result, "vkBindBufferMemory", "binding %s",
                           what);
        }
    }
    if (info->format != 0)
        return create_texel_view(dev, resource);
    return CS_OK;
}

/* The range of the whole allocation that covers [offset, offset+size) of
 * the buffer, widened to nonCoherentAtomSize as Vulkan requires. */
static VkMappedMemoryRange atom_range(const vk_device *dev,
                                      const vk_resource *impl, uint64_t offset,
                                      uint64_t size)
{
    VkDeviceSize atom = dev->properties.limits.nonCoherentAtomSize;
    if (atom == 0)
        atom = 1;
    VkDeviceSize begin = impl->memory_offset + offset;
    VkDeviceSize end = begin + size;
    begin -= begin % atom;
    end = (end + atom - 1) / atom * atom;
    VkMappedMemoryRange range = {
        .sType = VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE,
        .memory = impl->memory,
        .offset = begin,
        .size = end >= impl->memory_size ? VK_WHOLE_SIZE : end - begin,
    };
    return range;
}

typedef VkResult(VKAPI_PTR *mapped_range_call)(VkDevice, uint32_t,
                                               const VkMappedMemoryRange *);

/* Flush or invalidate: the same checks and range, another Vulkan call. */
static cs_status sync_mapped_range(cs_resource *buffer, uint64_t offset,
                                   uint64_t size, mapped_range_call call,
                                   const char *call_name, const char *what)
{
    /* Host-only, but after a loss the contents mean nothing: fail like
     * every other call on the device (the mapping stays valid). */
    if (vk_device_is_lost(vk_device_of(buffer->device)))
        return vk_device_lost_error(vk_device_of(buffer->device));
    vk_resource *impl = vk_resource_of(buffer);
    /* unmapped (device-local) memory has nothing to make visible */
    if (impl->coherent || size == 0 || !buffer->mapped)
        return CS_OK;
    vk_device *dev;
    cs_status status = vk_device_acquire(buffer->device, &dev);
    if (status != CS_OK)
        return status;
    VkMappedMemoryRange range = atom_range(dev, impl, offset, size);
    VkResult result = call(dev->device, 1, &range);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, call_name, "%s %llu bytes", what,
                       (unsigned long long)size);
    return CS_OK;
}

cs_status vk_buffer_flush(cs_resource *buffer, uint64_t offset, uint64_t size)
{
    return sync_mapped_range(buffer, offset, size, vkFlushMappedMemoryRanges,
                             "vkFlushMappedMemoryRanges",
                             "flushing an upload buffer's");
}

cs_status vk_buffer_invalidate(cs_resource *buffer, uint64_t offset,
                               uint64_t size)
{
    return sync_mapped_range(
        buffer, offset, size, vkInvalidateMappedMemoryRanges,
        "vkInvalidateMappedMemoryRanges", "invalidating a readback buffer's");
}
