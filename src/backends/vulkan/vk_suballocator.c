/* vk_suballocator.c - resources share large VkDeviceMemory blocks.
 *
 * Per device, per memory type and per kind (linear: buffers; optimal:
 * images, so bufferImageGranularity never separates neighbours) a pool
 * holds a list of blocks. A block is one VkDeviceMemory (mapped once,
 * whole, when its type is host-visible) with a free list of ranges, sorted
 * by offset and coalesced on free; allocation is first fit. Each pool has
 * its own mutex. Resources larger than half a block get their own memory
 * (vk_memory.c). Empty blocks are freed, except one spare per pool so a
 * create/destroy loop does not allocate memory each time; what is left is
 * freed before the logical device is destroyed.
 */
#include "vk_internal.h"

#include <stdlib.h>
#include <string.h>

/* The size of blocks, halved on small memory heaps (at most an eighth of
 * the heap, at least BLOCK_MIN) and when an allocation fails. */
#define BLOCK_SIZE ((VkDeviceSize)64 << 20)
#define BLOCK_MIN ((VkDeviceSize)1 << 20)

typedef struct free_range {
    VkDeviceSize offset, size;
} free_range;

typedef struct vk_block {
    VkDeviceMemory memory;
    VkDeviceSize size;
    void *mapped;
    struct vk_pool *pool;
    free_range *free; /* sorted by offset, never adjacent */
    uint32_t free_count, free_capacity;
    VkDeviceSize used;
    uint32_t allocations;
    struct vk_block *prev, *next;
} vk_block;

typedef struct vk_pool {
    cs_mutex lock;
    vk_block *blocks;
    uint32_t empty_blocks;
    uint32_t type;
} vk_pool;

struct vk_suballocator {
    vk_pool pools[VK_MAX_MEMORY_TYPES][2]; /* [type][optimal] */
    uint32_t pool_count;                   /* of initialised mutexes */
};

cs_status vk_suballocator_init(vk_device *dev)
{
    struct vk_suballocator *sub = calloc(1, sizeof *sub);
    if (!sub)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while opening a device");
    for (uint32_t i = 0; i < VK_MAX_MEMORY_TYPES * 2; i++) {
        vk_pool *pool = &sub->pools[i / 2][i % 2];
        if (!cs_mutex_init(&pool->lock)) {
            dev->suballocator = sub;
            vk_suballocator_destroy(dev);
            return cs_fail(CS_ERROR_BACKEND, "cannot create a memory mutex");
        }
        pool->type = i / 2;
        sub->pool_count = i + 1;
    }
    dev->suballocator = sub;
    return CS_OK;
}

static void free_block(vk_device *dev, vk_block *block)
{
    /* Freeing memory unmaps it. */
    vkFreeMemory(dev->device, block->memory, NULL);
    free(block->free);
    free(block);
}

void vk_suballocator_destroy(vk_device *dev)
{
    struct vk_suballocator *sub = dev->suballocator;
    if (!sub)
        return;
    for (uint32_t i = 0; i < sub->pool_count; i++) {
        vk_pool *pool = &sub->pools[i / 2][i % 2];
        vk_block *block = pool->blocks;
        while (block) {
            vk_block *next = block->next;
            free_block(dev, block);
            block = next;
        }
        cs_mutex_destroy(&pool->lock);
    }
    free(sub);
    dev->suballocator = NULL;
}

/* >>blocks */

static VkDeviceSize preferred_block_size(const vk_device *dev, uint32_t type)
{
    uint32_t heap = dev->memory.memoryTypes[type].heapIndex;
    VkDeviceSize heap_size = dev->memory.memoryHeaps[heap].size;
    VkDeviceSize size = BLOCK_SIZE;
    while (size > BLOCK_MIN && size > heap_size / 8)
        size /= 2;
    return size;
}

static bool is_out_of_memory(VkResult result)
{
    return result == VK_ERROR_OUT_OF_DEVICE_MEMORY ||
           result == VK_ERROR_OUT_OF_HOST_MEMORY;
}

/* A new block of `size` bytes (or smaller, down to `need`, when memory is
 * short) at the head of the pool. NULL with *out_status CS_OK when no block
 * could be had for lack of memory: the caller then tries dedicated memory,
 * which reports the failure. */
static vk_block *new_block(vk_device *dev, vk_pool *pool, VkDeviceSize size,
                           VkDeviceSize need, cs_status *out_status)
{
    *out_status = CS_OK;
    vk_block *block = calloc(1, sizeof *block);
    free_range *ranges = calloc(16, sizeof *ranges);
    if (!block || !ranges) {
        free(block);
        free(ranges);
        *out_status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                              "out of host memory while allocating memory");
        return NULL;
    }
    VkResult result = VK_ERROR_OUT_OF_DEVICE_MEMORY;
    for (; size >= need; size /= 2) {
        VkMemoryAllocateInfo info = {
            .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
            .allocationSize = size,
            .memoryTypeIndex = pool->type,
        };
        result = vkAllocateMemory(dev->device, &info, NULL, &block->memory);
        if (result == VK_SUCCESS || !is_out_of_memory(result))
            break;
    }
    if (result == VK_SUCCESS &&
        (dev->memory.memoryTypes[pool->type].propertyFlags &
         VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)) {
        result = vkMapMemory(dev->device, block->memory, 0, VK_WHOLE_SIZE, 0,
                             &block->mapped);
        if (result != VK_SUCCESS) {
            vkFreeMemory(dev->device, block->memory, NULL);
            *out_status = vk_fail(dev, result, "vkMapMemory",
                                  "mapping a %llu-byte memory block",
                                  (unsigned long long)size);
            free(block);
            free(ranges);
            return NULL;
        }
    }
    if (result != VK_SUCCESS) {
        if (!is_out_of_memory(result))
            *out_status = vk_fail(dev, result, "vkAllocateMemory",
                                  "allocating a %llu-byte memory block",
                                  (unsigned long long)size);
        free(block);
        free(ranges);
        return NULL;
    }
    block->size = size;
    block->pool = pool;
    block->free = ranges;
    block->free_capacity = 16;
    block->free[0] = (free_range){0, size};
    block->free_count = 1;
    block->next = pool->blocks;
    if (pool->blocks)
        pool->blocks->prev = block;
    pool->blocks = block;
    pool->empty_blocks++;
    return block;
}

static void unlink_block(vk_pool *pool, vk_block *block)
{
    if (block->prev)
        block->prev->next = block->next;
    else
        pool->blocks = block->next;
    if (block->next)
        block->next->prev = block->prev;
}

/* >>ranges */

static bool grow_ranges(vk_block *block)
{
    if (block->free_count < block->free_capacity)
        return true;
    uint32_t capacity = block->free_capacity * 2;
    free_range *ranges = realloc(block->free, capacity * sizeof *ranges);
    if (!ranges)
        return false;
    block->free = ranges;
    block->free_capacity = capacity;
    return true;
}

/* First fit in block; the offset, or UINT64_MAX. */
static VkDeviceSize take_range(vk_block *block, VkDeviceSize size,
                               VkDeviceSize alignment)
{
    if (block->size - block->used < size)
        return UINT64_MAX;
    for (uint32_t i = 0; i < block->free_count; i++) {
        free_range *range = &block->free[i];
        VkDeviceSize start =
            (range->offset + alignment - 1) / alignment * alignment;
        VkDeviceSize end = range->offset + range->size;
        if (start > end || end - start < size)
            continue;
        VkDeviceSize before = start - range->offset;
        VkDeviceSize after = end - (start + size);
        if (before && after) {
            /* split in two: one more range */
            if (!grow_ranges(block))
                return UINT64_MAX;
            range = &block->free[i];
            memmove(range + 1, range, (block->free_count - i) * sizeof *range);
            block->free_count++;
            range[0].size = before;
            range[1] = (free_range){start + size, after};
        } else if (before) {
            range->size = before;
        } else if (after) {
            *range = (free_range){start + size, after};
        } else {
            memmove(range, range + 1,
                    (block->free_count - i - 1) * sizeof *range);
            block->free_count--;
        }
        block->used += size;
        return start;
    }
    return UINT64_MAX;
}

/* Gives [offset, offset+size) back, merging it with its neighbours. */
static bool give_range(vk_block *block, VkDeviceSize offset, VkDeviceSize size)
{
    uint32_t lo = 0, hi = block->free_count;
    while (lo < hi) { /* the first range after offset */
        uint32_t mid = (lo + hi) / 2;
        if (block->free[mid].offset < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    free_range *ranges = block->free;
    bool merge_prev =
        lo > 0 && ranges[lo - 1].offset + ranges[lo - 1].size == offset;
    bool merge_next =
        lo < block->free_count && offset + size == ranges[lo].offset;
    if (merge_prev && merge_next) {
        ranges[lo - 1].size += size + ranges[lo].size;
        memmove(&ranges[lo], &ranges[lo + 1],
                (block->free_count - lo - 1) * sizeof *ranges);
        block->free_count--;
    } else if (merge_prev) {
        ranges[lo - 1].size += size;
    } else if (merge_next) {
        ranges[lo].offset = offset;
        ranges[lo].size += size;
    } else {
        if (!grow_ranges(block))
            return false;
        ranges = block->free;
        memmove(&ranges[lo + 1], &ranges[lo],
                (block->free_count - lo) * sizeof *ranges);
        ranges[lo] = (free_range){offset, size};
        block->free_count++;
    }
    block->used -= size;
    return true;
}

/* >>allocation */

cs_status vk_suballocate(vk_device *dev, uint32_t type, bool optimal,
                         VkDeviceSize size, VkDeviceSize alignment,
                         vk_suballocation *out)
{
    memset(out, 0, sizeof *out);
    VkMemoryPropertyFlags flags = dev->memory.memoryTypes[type].propertyFlags;
    /* Non-coherent memory: whole atoms, so that flushes and invalidations
     * widened to atoms never touch a neighbour. */
    if ((flags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) &&
        !(flags & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT)) {
        VkDeviceSize atom = dev->properties.limits.nonCoherentAtomSize;
        if (atom > alignment)
            alignment = atom;
        if (atom > 1)
            size = (size + atom - 1) / atom * atom;
    }
    if (alignment == 0)
        alignment = 1;
    VkDeviceSize block_size = preferred_block_size(dev, type);
    if (size > block_size / 2 || alignment > block_size / 2)
        return CS_OK; /* dedicated memory */

    vk_pool *pool = &dev->suballocator->pools[type][optimal ? 1 : 0];
    cs_mutex_lock(&pool->lock);
    VkDeviceSize offset = UINT64_MAX;
    vk_block *block = pool->blocks;
    for (; block; block = block->next) {
        offset = take_range(block, size, alignment);
        if (offset != UINT64_MAX)
            break;
    }
    if (!block) {
        cs_status status = CS_OK;
        block = new_block(dev, pool, block_size, size + alignment, &status);
        if (block)
            offset = take_range(block, size, alignment);
        if (offset == UINT64_MAX) {
            cs_mutex_unlock(&pool->lock);
            return status; /* CS_OK: try dedicated memory */
        }
    }
    if (block->allocations++ == 0)
        pool->empty_blocks--;
    cs_mutex_unlock(&pool->lock);

    out->block = block;
    out->memory = block->memory;
    out->offset = offset;
    out->size = size;
    out->memory_size = block->size;
    out->mapped = block->mapped ? (char *)block->mapped + offset : NULL;
    return CS_OK;
}

void vk_suballocation_free(vk_device *dev, vk_block *block, VkDeviceSize offset,
                           VkDeviceSize size)
{
    vk_pool *pool = block->pool;
    vk_block *release = NULL;
    cs_mutex_lock(&pool->lock);
    if (!give_range(block, offset, size)) {
        /* No room to record the range (out of host memory): it stays lost
         * until the block is freed with the device. */
        block->used -= size;
    }
    if (--block->allocations == 0) {
        if (pool->empty_blocks > 0) {
            unlink_block(pool, block);
            release = block;
        } else {
            pool->empty_blocks++;
        }
    }
    cs_mutex_unlock(&pool->lock);
    if (release)
        free_block(dev, release);
}

void vk_suballocator_stats(const vk_device *dev, vk_memory_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    struct vk_suballocator *sub = dev->suballocator;
    if (!sub)
        return;
    for (uint32_t i = 0; i < sub->pool_count; i++) {
        vk_pool *pool = &sub->pools[i / 2][i % 2];
        cs_mutex_lock(&pool->lock);
        for (vk_block *block = pool->blocks; block; block = block->next) {
            stats->blocks++;
            stats->block_bytes += block->size;
            stats->used_bytes += block->used;
            stats->allocations += block->allocations;
        }
        cs_mutex_unlock(&pool->lock);
    }
}
