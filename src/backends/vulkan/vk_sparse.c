/* vk_sparse.c - sparse buffers and images: their tiling, the metadata mip
 * tails bound at creation, and mapping tiles onto heaps with
 * vkQueueBindSparse (through vk_submit_bind_sparse). */
#include "vk_internal.h"

#include <stdio.h>

VkBufferCreateFlags vk_sparse_buffer_flags(const vk_device *dev)
{
    VkBufferCreateFlags flags = VK_BUFFER_CREATE_SPARSE_BINDING_BIT |
                                VK_BUFFER_CREATE_SPARSE_RESIDENCY_BIT;
    /* tiles of several resources may map the same heap bytes */
    if (dev->supported.core.features.sparseResidencyAliased)
        flags |= VK_BUFFER_CREATE_SPARSE_ALIASED_BIT;
    return flags;
}

VkImageCreateFlags vk_sparse_image_flags(const vk_device *dev)
{
    VkImageCreateFlags flags = VK_IMAGE_CREATE_SPARSE_BINDING_BIT |
                               VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT;
    if (dev->supported.core.features.sparseResidencyAliased)
        flags |= VK_IMAGE_CREATE_SPARSE_ALIASED_BIT;
    return flags;
}

static uint32_t tiles_of(uint32_t extent, uint32_t tile)
{
    return (uint32_t)(((uint64_t)extent + tile - 1) / tile);
}

cs_status vk_sparse_setup_buffer(vk_device *dev, cs_resource *resource,
                                 const VkMemoryRequirements *req)
{
    (void)dev;
    vk_resource *impl = vk_resource_of(resource);
    cs_resource_info *info = &resource->info;
    uint64_t tiles = (req->size + req->alignment - 1) / req->alignment;
    if (req->alignment > UINT32_MAX || tiles > UINT32_MAX)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "a sparse buffer of %llu bytes in tiles of %llu bytes "
                       "is too large to describe",
                       (unsigned long long)req->size,
                       (unsigned long long)req->alignment);
    impl->memory_size = req->size;
    impl->sparse_type_bits = req->memoryTypeBits;
    resource->tile_size = req->alignment;
    info->heap_size = req->size;
    info->tile_width = (uint32_t)req->alignment;
    info->tile_height = info->tile_depth = 1;
    info->tiles_x = (uint32_t)tiles;
    info->tiles_y = info->tiles_z = 1;
    return CS_OK;
}

/* The opaque ranges of the metadata aspect (mip tails, one per layer unless
 * the format has a single one) must always be resident: bound here, once,
 * to own memory. Color mip tails were refused by the caller. */
static cs_status bind_metadata(vk_device *dev, cs_resource *resource,
                               const VkMemoryRequirements *req,
                               const VkSparseImageMemoryRequirements *metadata,
                               const char *what)
{
    vk_resource *impl = vk_resource_of(resource);
    bool single = metadata->formatProperties.flags &
                  VK_SPARSE_IMAGE_FORMAT_SINGLE_MIPTAIL_BIT;
    uint32_t layers = single ? 1 : resource->info.slices;
    if (metadata->imageMipTailSize == 0)
        return CS_OK;
    enum { MAX_LAYERS = 64 };
    VkSparseMemoryBind binds[MAX_LAYERS];
    if (layers > MAX_LAYERS)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "%s needs metadata for each of its %u slices; at most "
                       "%d are supported for sparse textures",
                       what, layers, MAX_LAYERS);
    VkDeviceSize tail = (metadata->imageMipTailSize + req->alignment - 1) /
                        req->alignment * req->alignment;
    VkMemoryRequirements tails = {
        .size = tail * layers,
        .alignment = req->alignment,
        .memoryTypeBits = req->memoryTypeBits,
    };
    uint32_t type = 0;
    cs_status status = vk_memory_allocate(dev, &tails, CS_HEAP_DEFAULT,
                                          &impl->own_memory, &type, what);
    if (status != CS_OK)
        return status;
    for (uint32_t i = 0; i < layers; i++) {
        binds[i] = (VkSparseMemoryBind){
            .resourceOffset =
                metadata->imageMipTailOffset + i * metadata->imageMipTailStride,
            .size = metadata->imageMipTailSize,
            .memory = impl->own_memory,
            .memoryOffset = i * tail,
            .flags = VK_SPARSE_MEMORY_BIND_METADATA_BIT,
        };
    }
    VkSparseImageOpaqueMemoryBindInfo opaque = {
        .image = impl->image,
        .bindCount = layers,
        .pBinds = binds,
    };
    VkBindSparseInfo bind = {
        .sType = VK_STRUCTURE_TYPE_BIND_SPARSE_INFO,
        .imageOpaqueBindCount = 1,
        .pImageOpaqueBinds = &opaque,
    };
    char context[128];
    snprintf(context, sizeof context, "binding the metadata of %s", what);
    return vk_submit_bind_sparse(dev, &bind, context);
}

cs_status vk_sparse_setup_image(vk_device *dev, cs_resource *resource,
                                const VkMemoryRequirements *req)
{
    vk_resource *impl = vk_resource_of(resource);
    cs_resource_info *info = &resource->info;
    const char *name = cs_format_name(info->format);
    char what[96];
    snprintf(what, sizeof what, "a sparse %ux%ux%u %s %s", info->width,
             info->height, info->depth, name ? name : "?",
             cs_resource_kind_name(info->kind));
    enum { MAX_ASPECTS = 4 };
    VkSparseImageMemoryRequirements aspects[MAX_ASPECTS];
    uint32_t count = MAX_ASPECTS;
    vkGetImageSparseMemoryRequirements(dev->device, impl->image, &count,
                                       aspects);
    const VkSparseImageMemoryRequirements *color = NULL, *metadata = NULL;
    for (uint32_t i = 0; i < count; i++) {
        VkImageAspectFlags aspect = aspects[i].formatProperties.aspectMask;
        if (aspect & VK_IMAGE_ASPECT_COLOR_BIT)
            color = &aspects[i];
        else if (aspect & VK_IMAGE_ASPECT_METADATA_BIT)
            metadata = &aspects[i];
    }
    if (!color)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "this device cannot make %s: the format has no sparse "
                       "tiling",
                       what);
    VkExtent3D tile = color->formatProperties.imageGranularity;
    if (tile.width == 0 || tile.height == 0 || tile.depth == 0)
        return cs_fail(CS_ERROR_BACKEND,
                       "the device gave %s a tile of %ux%ux%u", what,
                       tile.width, tile.height, tile.depth);
    /* mipLevels is 1: a mip tail from level 0 holds the whole texture,
     * which no tile could map. */
    if (color->imageMipTailFirstLod == 0)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "%s would lie entirely in the sparse mip tail of this "
                       "device (tiles of %ux%ux%u texels): make the extent "
                       "at least one tile on each axis, or a multiple of it",
                       what, tile.width, tile.height, tile.depth);
    impl->sparse_type_bits = req->memoryTypeBits;
    resource->tile_size = req->alignment;
    info->heap_size = req->size;
    info->tile_width = tile.width;
    info->tile_height = tile.height;
    info->tile_depth = tile.depth;
    info->tiles_x = tiles_of(info->width, tile.width);
    info->tiles_y = tiles_of(info->height, tile.height);
    info->tiles_z = tiles_of(info->depth, tile.depth);
    return metadata ? bind_metadata(dev, resource, req, metadata, what) : CS_OK;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

cs_status vk_resource_bind_tile(cs_resource *resource, uint32_t x, uint32_t y,
                                uint32_t z, uint32_t slice, cs_heap *heap,
                                uint64_t heap_offset)
{
    vk_device *dev;
    cs_status status = vk_device_acquire(resource->device, &dev);
    if (status != CS_OK)
        return status;
    vk_resource *impl = vk_resource_of(resource);
    const cs_resource_info *info = &resource->info;
    VkDeviceMemory memory = VK_NULL_HANDLE;
    if (heap) {
        const vk_heap *vh = heap->impl;
        if (!(impl->sparse_type_bits & (1u << vh->memory_type)))
            return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                           "bind_tile: the heap's memory type %u is not "
                           "among those this sparse %s accepts (0x%x)",
                           vh->memory_type, cs_resource_kind_name(info->kind),
                           impl->sparse_type_bits);
        memory = vh->memory;
    }
    VkBindSparseInfo bind = {.sType = VK_STRUCTURE_TYPE_BIND_SPARSE_INFO};
    VkSparseMemoryBind range;
    VkSparseBufferMemoryBindInfo buffer_bind;
    VkSparseImageMemoryBind region;
    VkSparseImageMemoryBindInfo image_bind;
    char what[128];
    if (info->kind == CS_RESOURCE_BUFFER) {
        VkDeviceSize offset = (VkDeviceSize)x * resource->tile_size;
        VkDeviceSize left = impl->memory_size - offset;
        range = (VkSparseMemoryBind){
            .resourceOffset = offset,
            .size = left < resource->tile_size ? left : resource->tile_size,
            .memory = memory,
            .memoryOffset = heap_offset,
        };
        buffer_bind = (VkSparseBufferMemoryBindInfo){
            .buffer = impl->buffer,
            .bindCount = 1,
            .pBinds = &range,
        };
        bind.bufferBindCount = 1;
        bind.pBufferBinds = &buffer_bind;
        snprintf(what, sizeof what, "%s tile %u of a sparse buffer",
                 heap ? "mapping" : "unmapping", x);
    } else {
        VkOffset3D origin = {
            .x = (int32_t)(x * info->tile_width),
            .y = (int32_t)(y * info->tile_height),
            .z = (int32_t)(z * info->tile_depth),
        };
        /* tiles on the far edges stop at the texture's extent */
        region = (VkSparseImageMemoryBind){
            .subresource = {.aspectMask = VK_IMAGE_ASPECT_COLOR_BIT,
                            .mipLevel = 0,
                            .arrayLayer = slice},
            .offset = origin,
            .extent =
                {min_u32(info->tile_width, info->width - (uint32_t)origin.x),
                 min_u32(info->tile_height, info->height - (uint32_t)origin.y),
                 min_u32(info->tile_depth, info->depth - (uint32_t)origin.z)},
            .memory = memory,
            .memoryOffset = heap_offset,
        };
        image_bind = (VkSparseImageMemoryBindInfo){
            .image = impl->image,
            .bindCount = 1,
            .pBinds = &region,
        };
        bind.imageBindCount = 1;
        bind.pImageBinds = &image_bind;
        snprintf(what, sizeof what,
                 "%s tile (%u, %u, %u) of slice %u of a sparse %s",
                 heap ? "mapping" : "unmapping", x, y, z, slice,
                 cs_resource_kind_name(info->kind));
    }
    return vk_submit_bind_sparse(dev, &bind, what);
}
