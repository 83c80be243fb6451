/* vk_command_list.c - command lists: one command pool, command buffer and
 * fence per list; global barriers between commands; timestamps in pools of
 * QUERY_CHUNK queries (query 0 at the start, query i+1 after command i). The
 * core serializes every call on one list. */
#include "vk_internal.h"

#include <stdlib.h>
#include <string.h>

enum { QUERY_CHUNK = 256 };

cs_status vk_timestamps_check(vk_device *dev)
{
    int known = atomic_load(&dev->timestamps);
    if (known == 0) {
        uint32_t count = 0;
        vkGetPhysicalDeviceQueueFamilyProperties(dev->physical, &count, NULL);
        VkQueueFamilyProperties *families = calloc(count, sizeof *families);
        if (!families)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "out of host memory while querying the queue");
        vkGetPhysicalDeviceQueueFamilyProperties(dev->physical, &count,
                                                 families);
        uint32_t bits = dev->queue_family < count
                            ? families[dev->queue_family].timestampValidBits
                            : 0;
        free(families);
        dev->timestamp_mask = bits >= 64 ? UINT64_MAX : (1ull << bits) - 1;
        known = bits > 0 && dev->properties.limits.timestampPeriod > 0 ? 1 : -1;
        atomic_store(&dev->timestamps, known);
    }
    if (known < 0)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "the compute queue of device \"%s\" has no timestamps "
                       "(timestampValidBits is 0%s)",
                       dev->properties.deviceName,
                       dev->properties.limits.timestampComputeAndGraphics
                           ? ""
                           : ", timestampComputeAndGraphics is false");
    return CS_OK;
}

uint64_t vk_timestamp_ns(const vk_device *dev, uint64_t start, uint64_t end)
{
    uint64_t ticks = (end - start) & dev->timestamp_mask;
    return (uint64_t)((double)ticks * dev->properties.limits.timestampPeriod +
                      0.5);
}

static vk_command_list *impl_of(const cs_command_list *list)
{
    return list->impl;
}

static void destroy_impl(vk_device *dev, vk_command_list *impl)
{
    for (uint32_t i = 0; i < impl->query_pool_count; i++)
        vkDestroyQueryPool(dev->device, impl->query_pools[i], NULL);
    free(impl->query_pools);
    free(impl->ticks);
    /* the pool, its buffer and the fence go back to the device's free list
     * (reset), for the next list or dispatch: made new, they cost ~0.4 ms
     * on NVIDIA's driver, more than recording a thousand dispatches */
    if (impl->context)
        vk_context_recycle(dev, impl->context);
    free(impl);
}

cs_status vk_command_list_create(cs_command_list *list)
{
    vk_device *dev;
    cs_status status = vk_device_acquire(list->device, &dev);
    if (status != CS_OK)
        return status;
    if (list->flags & CS_COMMAND_LIST_TIMESTAMPS) {
        status = vk_timestamps_check(dev);
        if (status != CS_OK)
            return status;
    }
    vk_command_list *impl = calloc(1, sizeof *impl);
    if (!impl)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while creating a command list");
    status = vk_submit_take(dev, &impl->context);
    if (status != CS_OK) {
        free(impl);
        return status;
    }
    /* contexts are given back with their last recording (a dispatch
     * resets its pool when it begins; so does a list, here) */
    VkResult result = vkResetCommandPool(dev->device, impl->context->pool, 0);
    if (result != VK_SUCCESS) {
        vk_context_destroy(dev->device, impl->context);
        free(impl);
        return vk_fail(dev, result, "vkResetCommandPool",
                       "creating a command list");
    }
    impl->pool = impl->context->pool;
    impl->commands = impl->context->commands;
    impl->fence = impl->context->fence;
    list->impl = impl;
    return CS_OK;
}

void vk_command_list_destroy(cs_command_list *list)
{
    if (!list->impl)
        return;
    destroy_impl(vk_device_of(list->device), list->impl);
    list->impl = NULL;
}

static cs_status write_timestamp(vk_device *dev, vk_command_list *impl,
                                 VkPipelineStageFlagBits stage)
{
    uint32_t chunk = impl->queries / QUERY_CHUNK;
    uint32_t index = impl->queries % QUERY_CHUNK;
    if (chunk == impl->query_pool_count) {
        VkQueryPool *pools =
            realloc(impl->query_pools, (chunk + 1) * sizeof *impl->query_pools);
        if (!pools)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "out of host memory for timestamps");
        impl->query_pools = pools;
        VkQueryPoolCreateInfo info = {
            .sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
            .queryType = VK_QUERY_TYPE_TIMESTAMP,
            .queryCount = QUERY_CHUNK,
        };
        VkResult result =
            vkCreateQueryPool(dev->device, &info, NULL, &pools[chunk]);
        if (result != VK_SUCCESS)
            return vk_fail(dev, result, "vkCreateQueryPool",
                           "creating timestamp queries");
        impl->query_pool_count++;
    }
    if (index == 0)
        vkCmdResetQueryPool(impl->commands, impl->query_pools[chunk], 0,
                            QUERY_CHUNK);
    vkCmdWriteTimestamp(impl->commands, stage, impl->query_pools[chunk], index);
    impl->queries++;
    return CS_OK;
}

/* What a command does to memory, for the barrier between two commands: a
 * dispatch after a dispatch waits on the compute stage only, not on all
 * commands, which lets the GPU overlap less of nothing and costs it less. */
typedef struct command_stage {
    VkPipelineStageFlags stages;
    VkAccessFlags writes;   /* what later commands must see */
    VkAccessFlags accesses; /* how this command touches memory */
} command_stage;

static const command_stage dispatch_stage = {
    VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_DRAW_INDIRECT_BIT,
    VK_ACCESS_SHADER_WRITE_BIT,
    VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
        VK_ACCESS_UNIFORM_READ_BIT | VK_ACCESS_INDIRECT_COMMAND_READ_BIT,
};
static const command_stage copy_stage = {
    VK_PIPELINE_STAGE_TRANSFER_BIT,
    VK_ACCESS_TRANSFER_WRITE_BIT,
    VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
};

/* Begins the buffer at the first command: leading barrier (earlier
 * submissions' writes visible), first timestamp. Otherwise puts the
 * barrier between the previous command and `next` (NULL: none follows). */
static cs_status before_command(vk_device *dev, cs_command_list *list,
                                const command_stage *next)
{
    vk_command_list *impl = impl_of(list);
    if (impl->open) {
        const command_stage *last = impl->last_stage;
        VkMemoryBarrier barrier = {
            .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
            .srcAccessMask = last->writes,
            .dstAccessMask = next->accesses,
        };
        vkCmdPipelineBarrier(impl->commands, last->stages, next->stages, 0, 1,
                             &barrier, 0, NULL, 0, NULL);
        impl->last_stage = next;
        return CS_OK;
    }
    VkCommandBufferBeginInfo begin = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
    };
    VkResult result = vkBeginCommandBuffer(impl->commands, &begin);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkBeginCommandBuffer",
                       "starting a command list");
    impl->open = true;
    impl->last_stage = next;
    vk_global_barrier(impl->commands, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT,
                      VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT);
    if (list->flags & CS_COMMAND_LIST_TIMESTAMPS)
        return write_timestamp(dev, impl, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT);
    return CS_OK;
}

static cs_status after_command(vk_device *dev, cs_command_list *list)
{
    if (list->flags & CS_COMMAND_LIST_TIMESTAMPS)
        return write_timestamp(dev, impl_of(list),
                               VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT);
    return CS_OK;
}

cs_status vk_command_list_dispatch(cs_command_list *list, cs_compute *compute,
                                   const uint32_t groups[3],
                                   cs_resource *indirect,
                                   uint64_t indirect_offset, const void *push,
                                   size_t push_size)
{
    vk_device *dev = vk_device_of(list->device);
    if (vk_device_is_lost(dev))
        return vk_device_lost_error(dev);
    cs_status status = before_command(dev, list, &dispatch_stage);
    if (status != CS_OK)
        return status;
    vk_command_list *impl = impl_of(list);
    bool bind = impl->bound != compute;
    impl->bound = compute;
    vk_compute_record(compute, impl->commands, bind, groups, indirect,
                      indirect_offset, push, (uint32_t)push_size);
    return after_command(dev, list);
}

cs_status vk_command_list_copy(cs_command_list *list, cs_resource *src,
                               cs_resource *dst, const cs_copy_desc *desc)
{
    vk_device *dev = vk_device_of(list->device);
    if (vk_device_is_lost(dev))
        return vk_device_lost_error(dev);
    cs_status status = before_command(dev, list, &copy_stage);
    if (status == CS_OK)
        status = vk_copy_record(impl_of(list)->commands, src, dst, desc);
    if (status != CS_OK)
        return status;
    return after_command(dev, list);
}

cs_status vk_command_list_submit(cs_command_list *list)
{
    vk_device *dev;
    cs_status status = vk_device_acquire(list->device, &dev);
    if (status != CS_OK)
        return status;
    vk_command_list *impl = impl_of(list);
    if (!impl->ended) {
        if (!impl->open) {
            status = before_command(dev, list, NULL); /* an empty list */
            if (status != CS_OK)
                return status;
        }
        vk_global_barrier(impl->commands, VK_PIPELINE_STAGE_HOST_BIT,
                          VK_ACCESS_HOST_READ_BIT);
        VkResult result = vkEndCommandBuffer(impl->commands);
        impl->open = false;
        if (result != VK_SUCCESS)
            return vk_fail(dev, result, "vkEndCommandBuffer",
                           "ending a command list");
        impl->ended = true;
    }
    VkResult result = vkResetFences(dev->device, 1, &impl->fence);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkResetFences", "submitting a list");
    VkSubmitInfo submit = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
        .commandBufferCount = 1,
        .pCommandBuffers = &impl->commands,
    };
    cs_mutex_lock(&dev->queue_lock);
    result = vkQueueSubmit(dev->queue, 1, &submit, impl->fence);
    cs_mutex_unlock(&dev->queue_lock);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkQueueSubmit",
                       "submitting a command list of %u commands",
                       list->command_count);
    return CS_OK;
}

cs_status vk_command_list_wait(cs_command_list *list, uint64_t timeout_ns)
{
    vk_device *dev = vk_device_of(list->device);
    if (vk_device_is_lost(dev))
        return vk_device_lost_error(dev);
    VkResult result = vk_wait_for_fence(dev, impl_of(list)->fence, timeout_ns);
    if (result == VK_TIMEOUT || result == VK_NOT_READY)
        return CS_TIMEOUT;
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkWaitForFences",
                       "waiting for a command list");
    vk_pending_poll(dev);
    return CS_OK;
}

cs_status vk_command_list_read_times(cs_command_list *list,
                                     uint64_t *out_total_ns,
                                     uint64_t *out_command_ns, uint32_t count)
{
    vk_device *dev = vk_device_of(list->device);
    if (vk_device_is_lost(dev))
        return vk_device_lost_error(dev);
    vk_command_list *impl = impl_of(list);
    uint32_t queries = impl->queries;
    if (queries > impl->ticks_capacity) {
        uint64_t *ticks = realloc(impl->ticks, queries * sizeof *ticks);
        if (!ticks)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "out of host memory for timestamps");
        impl->ticks = ticks;
        impl->ticks_capacity = queries;
    }
    for (uint32_t first = 0; first < queries; first += QUERY_CHUNK) {
        uint32_t n =
            queries - first < QUERY_CHUNK ? queries - first : QUERY_CHUNK;
        VkResult result = vkGetQueryPoolResults(
            dev->device, impl->query_pools[first / QUERY_CHUNK], 0, n,
            n * sizeof(uint64_t), impl->ticks + first, sizeof(uint64_t),
            VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT);
        if (result != VK_SUCCESS)
            return vk_fail(dev, result, "vkGetQueryPoolResults",
                           "reading the timestamps of a command list");
    }
    *out_total_ns = queries > 1 ? vk_timestamp_ns(dev, impl->ticks[0],
                                                  impl->ticks[queries - 1])
                                : 0;
    for (uint32_t i = 0; out_command_ns && i < count && i + 1 < queries; i++)
        out_command_ns[i] =
            vk_timestamp_ns(dev, impl->ticks[i], impl->ticks[i + 1]);
    return CS_OK;
}

cs_status vk_command_list_reset(cs_command_list *list)
{
    vk_device *dev = vk_device_of(list->device);
    if (vk_device_is_lost(dev))
        return vk_device_lost_error(dev);
    vk_command_list *impl = impl_of(list);
    if (impl->open)
        vkEndCommandBuffer(impl->commands);
    VkResult result = vkResetCommandPool(dev->device, impl->pool, 0);
    impl->open = false;
    impl->ended = false;
    impl->queries = 0;
    impl->bound = NULL;
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkResetCommandPool",
                       "resetting a command list");
    return CS_OK;
}
