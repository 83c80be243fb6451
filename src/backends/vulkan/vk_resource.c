/* vk_resource.c - resource_create/destroy for buffers and textures: the
 * shared vk_resource lifetime; the kind-specific work is in vk_buffer.c and
 * vk_texture.c. */
#include "vk_internal.h"

#include <stdlib.h>

void vk_resource_free(vk_device *dev, vk_resource *impl)
{
    if (!impl)
        return;
    VkDevice device = dev->device;
    if (impl->texel_view != VK_NULL_HANDLE)
        vkDestroyBufferView(device, impl->texel_view, NULL);
    if (impl->image_view != VK_NULL_HANDLE)
        vkDestroyImageView(device, impl->image_view, NULL);
    if (impl->buffer != VK_NULL_HANDLE)
        vkDestroyBuffer(device, impl->buffer, NULL);
    if (impl->image != VK_NULL_HANDLE)
        vkDestroyImage(device, impl->image, NULL);
    if (impl->block)
        vk_suballocation_free(dev, impl->block, impl->memory_offset,
                              impl->block_range);
    /* Freeing memory unmaps it. */
    if (impl->own_memory != VK_NULL_HANDLE)
        vkFreeMemory(device, impl->own_memory, NULL);
    free(impl);
}

cs_status vk_resource_create(cs_resource *resource)
{
    vk_device *dev;
    cs_status status = vk_device_acquire(resource->device, &dev);
    if (status != CS_OK)
        return status;
    vk_resource *impl = calloc(1, sizeof *impl);
    if (!impl)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while creating a resource");
    resource->impl = impl;
    status = resource->info.kind == CS_RESOURCE_BUFFER
                 ? vk_buffer_create(dev, resource)
                 : vk_texture_create(dev, resource);
    if (status != CS_OK) {
        vk_resource_free(dev, impl);
        resource->impl = NULL;
        resource->mapped = NULL;
    }
    return status;
}

void vk_resource_destroy(cs_resource *resource)
{
    vk_resource_free(vk_device_of(resource->device), resource->impl);
    resource->impl = NULL;
    resource->mapped = NULL;
}
