/* vk_memory.c - which memory type each heap type uses, allocation, placing
 * resources in memory (a cs_heap's, a shared block's from
 * vk_suballocator.c, or their own for large ones), and cs_heap's
 * VkDeviceMemory. */
#include "vk_internal.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct memory_wish {
    VkMemoryPropertyFlags required, preferred, avoided;
} memory_wish;

static memory_wish wish_of(cs_heap_type heap_type)
{
    memory_wish wish = {0, 0, 0};
    switch (heap_type) {
    case CS_HEAP_DEFAULT:
        /* Plain VRAM, not the small host-visible BAR window. */
        wish.required = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
        wish.avoided = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
        break;
    case CS_HEAP_UPLOAD:
        /* System memory, not DEVICE_LOCAL|HOST_VISIBLE: without resizable
         * BAR that heap is 256 MiB and shared with the driver, and uploads
         * go through a GPU copy anyway, as in the original. */
        wish.required = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                        VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
        wish.avoided = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
        break;
    case CS_HEAP_READBACK:
        /* Cached so CPU reads are fast; coherent spares invalidations. */
        wish.required = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
        wish.preferred = VK_MEMORY_PROPERTY_HOST_CACHED_BIT |
                         VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
        wish.avoided = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
        break;
    }
    return wish;
}

static int count_bits(uint32_t bits)
{
    int count = 0;
    for (; bits; bits &= bits - 1)
        count++;
    return count;
}

uint32_t vk_memory_choose_type(const vk_device *dev, uint32_t type_bits,
                               cs_heap_type heap_type)
{
    memory_wish wish = wish_of(heap_type);
    uint32_t best = UINT32_MAX;
    int best_score = 0;
    for (uint32_t i = 0; i < dev->memory.memoryTypeCount; i++) {
        VkMemoryPropertyFlags flags = dev->memory.memoryTypes[i].propertyFlags;
        if (!(type_bits & (1u << i)) ||
            (flags & wish.required) != wish.required)
            continue;
        /* A preferred property outweighs an avoided one. */
        int score = 2 * count_bits(flags & wish.preferred) -
                    count_bits(flags & wish.avoided);
        if (best == UINT32_MAX || score > best_score) {
            best = i;
            best_score = score;
        }
    }
    /* CPU implementations may have no DEVICE_LOCAL type: any type will do
     * for device memory. */
    if (best == UINT32_MAX && heap_type == CS_HEAP_DEFAULT) {
        for (uint32_t i = 0; i < dev->memory.memoryTypeCount; i++) {
            if (type_bits & (1u << i))
                return i;
        }
    }
    return best;
}

bool vk_memory_type_is_coherent(const vk_device *dev, uint32_t type)
{
    return dev->memory.memoryTypes[type].propertyFlags &
           VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
}

static const char *heap_type_name(cs_heap_type heap_type)
{
    switch (heap_type) {
    case CS_HEAP_DEFAULT: return "HEAP_DEFAULT";
    case CS_HEAP_UPLOAD: return "HEAP_UPLOAD";
    case CS_HEAP_READBACK: return "HEAP_READBACK";
    }
    return "unknown heap";
}

cs_status vk_memory_allocate(vk_device *dev,
                             const VkMemoryRequirements *requirements,
                             cs_heap_type heap_type, VkDeviceMemory *out_memory,
                             uint32_t *out_type, const char *what)
{
    uint32_t type =
        vk_memory_choose_type(dev, requirements->memoryTypeBits, heap_type);
    if (type == UINT32_MAX)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "the device has no memory type suitable for %s in "
                       "%s (allowed types 0x%x)",
                       what, heap_type_name(heap_type),
                       requirements->memoryTypeBits);
    /* More than the whole memory heap is invalid usage for Vulkan
     * (VUID-vkAllocateMemory-pAllocateInfo-01713), not an allocation
     * failure: refuse it before the driver sees it. */
    uint32_t heap_index = dev->memory.memoryTypes[type].heapIndex;
    VkDeviceSize heap_size = dev->memory.memoryHeaps[heap_index].size;
    if (requirements->size > heap_size)
        return cs_fail(CS_ERROR_OUT_OF_DEVICE_MEMORY,
                       "out of device memory creating %s: %llu bytes in %s "
                       "exceed the %llu-byte memory heap of the device",
                       what, (unsigned long long)requirements->size,
                       heap_type_name(heap_type),
                       (unsigned long long)heap_size);
    VkMemoryAllocateInfo info = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
        .allocationSize = requirements->size,
        .memoryTypeIndex = type,
    };
    VkResult result = vkAllocateMemory(dev->device, &info, NULL, out_memory);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkAllocateMemory",
                       "creating %s (%llu bytes in %s)", what,
                       (unsigned long long)requirements->size,
                       heap_type_name(heap_type));
    *out_type = type;
    return CS_OK;
}

static cs_status place_in_heap(cs_resource *resource,
                               const VkMemoryRequirements *requirements,
                               const char *what)
{
    const cs_heap *heap = resource->heap;
    const vk_heap *vh = heap->impl;
    vk_resource *impl = vk_resource_of(resource);
    if (!(requirements->memoryTypeBits & (1u << vh->memory_type)))
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "%s cannot live in this %s heap: its memory type %u is "
                       "not among the types it accepts (0x%x)",
                       what, heap_type_name(heap->type), vh->memory_type,
                       requirements->memoryTypeBits);
    if (resource->heap_offset % requirements->alignment != 0 ||
        resource->heap_offset + requirements->size > heap->size)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "%s needs %llu bytes aligned to %llu in its heap, but "
                       "heap_offset is %llu in a heap of %llu bytes",
                       what, (unsigned long long)requirements->size,
                       (unsigned long long)requirements->alignment,
                       (unsigned long long)resource->heap_offset,
                       (unsigned long long)heap->size);
    impl->memory = vh->memory;
    impl->memory_offset = resource->heap_offset;
    impl->memory_size = heap->size;
    impl->coherent = vh->coherent;
    if (vh->mapped)
        resource->mapped = (char *)vh->mapped + resource->heap_offset;
    return CS_OK;
}

/* Sub-allocates in a shared block (vk_suballocator.c); out->block stays
 * NULL when the resource should get its own memory. */
static cs_status place_in_block(vk_device *dev, cs_resource *resource,
                                const VkMemoryRequirements *requirements,
                                vk_suballocation *out)
{
    out->block = NULL;
    uint32_t type = vk_memory_choose_type(dev, requirements->memoryTypeBits,
                                          resource->info.heap_type);
    if (type == UINT32_MAX)
        return CS_OK; /* vk_memory_allocate says why */
    bool optimal = resource->info.kind != CS_RESOURCE_BUFFER;
    cs_status status = vk_suballocate(dev, type, optimal, requirements->size,
                                      requirements->alignment, out);
    if (status != CS_OK || !out->block)
        return status;
    vk_resource *impl = vk_resource_of(resource);
    impl->block = out->block;
    impl->block_range = out->size;
    impl->memory = out->memory;
    impl->memory_offset = out->offset;
    impl->memory_size = out->memory_size;
    impl->coherent = vk_memory_type_is_coherent(dev, type);
    /* DEFAULT resources are never mapped, even in host-visible memory */
    if (resource->info.heap_type != CS_HEAP_DEFAULT)
        resource->mapped = out->mapped;
    return CS_OK;
}

cs_status vk_memory_place_resource(vk_device *dev, cs_resource *resource,
                                   const VkMemoryRequirements *requirements,
                                   const char *what)
{
    vk_resource *impl = vk_resource_of(resource);
    resource->info.heap_size = requirements->size;
    cs_status status = CS_OK;
    if (!resource->heap) {
        vk_suballocation sub;
        status = place_in_block(dev, resource, requirements, &sub);
        if (status != CS_OK || sub.block)
            return status;
    }
    char name[64];
    if (!what) {
        snprintf(name, sizeof name, "a %llu-byte %s",
                 (unsigned long long)resource->info.size,
                 cs_resource_kind_name(resource->info.kind));
        what = name;
    }
    if (resource->heap)
        return place_in_heap(resource, requirements, what);
    uint32_t type = 0;
    status = vk_memory_allocate(dev, requirements, resource->info.heap_type,
                                &impl->own_memory, &type, what);
    if (status != CS_OK)
        return status;
    impl->memory = impl->own_memory;
    impl->memory_offset = 0;
    impl->memory_size = requirements->size;
    impl->coherent = vk_memory_type_is_coherent(dev, type);
    if (resource->info.heap_type == CS_HEAP_DEFAULT)
        return CS_OK;
    VkResult result = vkMapMemory(dev->device, impl->own_memory, 0,
                                  VK_WHOLE_SIZE, 0, &resource->mapped);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkMapMemory", "mapping %s", what);
    return CS_OK;
}

/* >>heaps */

/* The memory types a heap of this type must offer: DEFAULT heaps take
 * buffers and textures, so they need a type both accept. */
static cs_status heap_type_bits(vk_device *dev, cs_heap_type heap_type,
                                uint32_t *out_bits)
{
    VkBufferCreateInfo buffer_info = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
        .size = 4096,
        .usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                 VK_BUFFER_USAGE_TRANSFER_DST_BIT |
                 VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
                 VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT,
    };
    VkMemoryRequirements buffer_req, image_req;
    VkBuffer buffer;
    VkResult result = vkCreateBuffer(dev->device, &buffer_info, NULL, &buffer);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkCreateBuffer",
                       "probing memory types for a heap");
    vkGetBufferMemoryRequirements(dev->device, buffer, &buffer_req);
    vkDestroyBuffer(dev->device, buffer, NULL);
    *out_bits = buffer_req.memoryTypeBits;
    if (heap_type != CS_HEAP_DEFAULT)
        return CS_OK;

    VkImageCreateInfo image_info = {
        .sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
        .imageType = VK_IMAGE_TYPE_2D,
        .format = VK_FORMAT_R8G8B8A8_UNORM,
        .extent = {64, 64, 1},
        .mipLevels = 1,
        .arrayLayers = 1,
        .samples = VK_SAMPLE_COUNT_1_BIT,
        .tiling = VK_IMAGE_TILING_OPTIMAL,
        .usage = VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_STORAGE_BIT |
                 VK_IMAGE_USAGE_TRANSFER_SRC_BIT |
                 VK_IMAGE_USAGE_TRANSFER_DST_BIT,
        .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
    };
    VkImage image;
    result = vkCreateImage(dev->device, &image_info, NULL, &image);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkCreateImage",
                       "probing memory types for a heap");
    vkGetImageMemoryRequirements(dev->device, image, &image_req);
    vkDestroyImage(dev->device, image, NULL);
    *out_bits &= image_req.memoryTypeBits;
    return CS_OK;
}

cs_status vk_heap_create(cs_heap *heap)
{
    vk_device *dev;
    cs_status status = vk_device_acquire(heap->device, &dev);
    if (status != CS_OK)
        return status;
    uint32_t bits = 0;
    status = heap_type_bits(dev, heap->type, &bits);
    if (status != CS_OK)
        return status;
    vk_heap *vh = calloc(1, sizeof *vh);
    if (!vh)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while creating a heap");
    VkMemoryRequirements requirements = {
        .size = heap->size,
        .alignment = 1,
        .memoryTypeBits = bits,
    };
    status = vk_memory_allocate(dev, &requirements, heap->type, &vh->memory,
                                &vh->memory_type, "a heap");
    if (status != CS_OK) {
        free(vh);
        return status;
    }
    vh->coherent = vk_memory_type_is_coherent(dev, vh->memory_type);
    if (heap->type != CS_HEAP_DEFAULT) {
        VkResult result = vkMapMemory(dev->device, vh->memory, 0, VK_WHOLE_SIZE,
                                      0, &vh->mapped);
        if (result != VK_SUCCESS) {
            vkFreeMemory(dev->device, vh->memory, NULL);
            free(vh);
            return vk_fail(dev, result, "vkMapMemory",
                           "mapping a %llu-byte heap",
                           (unsigned long long)heap->size);
        }
    }
    heap->impl = vh;
    return CS_OK;
}

void vk_heap_destroy(cs_heap *heap)
{
    vk_heap *vh = heap->impl;
    if (!vh)
        return;
    vkFreeMemory(vk_device_of(heap->device)->device, vh->memory, NULL);
    free(vh);
    heap->impl = NULL;
}
