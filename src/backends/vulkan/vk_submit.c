/* vk_submit.c - command contexts (pool + command buffer + fence) reused from
 * a per-device free list, and submit + wait. Many threads may submit at
 * once: the free list and the queue each have a mutex, held only for a few
 * instructions; nothing is allocated once every thread has a context. */
#include "vk_internal.h"

#include <stdlib.h>

/* How long to poll the fence before sleeping in vkWaitForFences: short
 * dispatches finish within the busy spin, and polling avoids the wake-up
 * latency of a sleep (tens of µs, as long as a whole small dispatch).
 * Longer work is polled while yielding the CPU for a while more, as CUDA's
 * default synchronization does, before the thread really sleeps. */
enum {
    SPIN_NANOSECONDS = 50 * 1000,
    YIELD_NANOSECONDS = 4 * 1000 * 1000,
};
/* Long waits sleep in slices of this, looking at the device's lost flag
 * between two, so a loss another thread saw (or a simulated one) ends them. */
#define SLICE_NANOSECONDS (100ull * 1000 * 1000)

void vk_context_destroy(VkDevice device, vk_command_context *context)
{
    if (context->timestamps != VK_NULL_HANDLE)
        vkDestroyQueryPool(device, context->timestamps, NULL);
    if (context->fence != VK_NULL_HANDLE)
        vkDestroyFence(device, context->fence, NULL);
    if (context->pool != VK_NULL_HANDLE)
        vkDestroyCommandPool(device, context->pool, NULL);
    free(context);
}

cs_status vk_context_create(vk_device *dev, vk_command_context **out_context)
{
    vk_command_context *context = calloc(1, sizeof *context);
    if (!context)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while creating a command buffer");
    VkCommandPoolCreateInfo pool_info = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
        .flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT,
        .queueFamilyIndex = dev->queue_family,
    };
    VkResult result =
        vkCreateCommandPool(dev->device, &pool_info, NULL, &context->pool);
    const char *call = "vkCreateCommandPool";
    if (result == VK_SUCCESS) {
        VkCommandBufferAllocateInfo buffer_info = {
            .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
            .commandPool = context->pool,
            .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
            .commandBufferCount = 1,
        };
        call = "vkAllocateCommandBuffers";
        result = vkAllocateCommandBuffers(dev->device, &buffer_info,
                                          &context->commands);
    }
    if (result == VK_SUCCESS) {
        VkFenceCreateInfo fence_info = {
            .sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO,
        };
        call = "vkCreateFence";
        result = vkCreateFence(dev->device, &fence_info, NULL, &context->fence);
    }
    if (result != VK_SUCCESS) {
        vk_context_destroy(dev->device, context);
        return vk_fail(dev, result, call, "creating a command buffer");
    }
    *out_context = context;
    return CS_OK;
}

cs_status vk_submit_take(vk_device *dev, vk_command_context **out_context)
{
    vk_pending_poll(dev);
    cs_mutex_lock(&dev->context_lock);
    vk_command_context *context = dev->free_contexts;
    if (context) {
        dev->free_contexts = context->next;
        dev->free_context_count--;
    }
    cs_mutex_unlock(&dev->context_lock);
    if (context) {
        *out_context = context;
        return CS_OK;
    }
    return vk_context_create(dev, out_context);
}

void vk_submit_give_back(vk_device *dev, vk_command_context *context)
{
    cs_mutex_lock(&dev->context_lock);
    bool keep = dev->free_context_count < VK_MAX_FREE_CONTEXTS;
    if (keep) {
        context->next = dev->free_contexts;
        dev->free_contexts = context;
        dev->free_context_count++;
    }
    cs_mutex_unlock(&dev->context_lock);
    if (!keep)
        vk_context_destroy(dev->device, context);
}

void vk_context_recycle(vk_device *dev, vk_command_context *context)
{
    /* drop the recording: it names the compute's pipeline and set, about
     * to be destroyed */
    if (vk_device_is_lost(dev) ||
        vkResetCommandPool(dev->device, context->pool, 0) != VK_SUCCESS) {
        vk_context_destroy(dev->device, context);
        return;
    }
    vk_submit_give_back(dev, context);
}

void vk_global_barrier(VkCommandBuffer commands, VkPipelineStageFlags dst,
                       VkAccessFlags dst_access)
{
    VkMemoryBarrier barrier = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_MEMORY_WRITE_BIT,
        .dstAccessMask = dst_access,
    };
    vkCmdPipelineBarrier(commands, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, dst, 0,
                         1, &barrier, 0, NULL, 0, NULL);
}

cs_status vk_context_begin(vk_device *dev, vk_command_context *context,
                           bool one_time)
{
    VkResult result = vkResetCommandPool(dev->device, context->pool, 0);
    const char *call = "vkResetCommandPool";
    if (result == VK_SUCCESS) {
        VkCommandBufferBeginInfo begin = {
            .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
            .flags = one_time ? VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT : 0,
        };
        call = "vkBeginCommandBuffer";
        result = vkBeginCommandBuffer(context->commands, &begin);
    }
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, call, "starting a command buffer");
    /* Work of earlier submissions (other threads' included) is visible to
     * this one; queue submission order makes the barrier cover it. */
    vk_global_barrier(context->commands, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT,
                      VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT);
    return CS_OK;
}

cs_status vk_submit_begin(vk_device *dev, vk_command_context **out_context)
{
    vk_command_context *context = NULL;
    cs_status status = vk_submit_take(dev, &context);
    if (status != CS_OK)
        return status;
    status = vk_context_begin(dev, context, true);
    if (status != CS_OK) {
        vk_submit_give_back(dev, context);
        return status;
    }
    *out_context = context;
    return CS_OK;
}

void vk_submit_abandon(vk_device *dev, vk_command_context *context)
{
    vkEndCommandBuffer(context->commands);
    vk_submit_give_back(dev, context);
}

static double elapsed_ns(const uint64_t *start)
{
    return (double)(cs_time_monotonic_ns() - *start);
}

VkResult vk_wait_for_fence(vk_device *dev, VkFence fence, uint64_t timeout_ns)
{
    uint64_t start = cs_time_monotonic_ns();
    double spin =
        timeout_ns < SPIN_NANOSECONDS ? (double)timeout_ns : SPIN_NANOSECONDS;
    double polling =
        timeout_ns < YIELD_NANOSECONDS ? (double)timeout_ns : YIELD_NANOSECONDS;
    double spent;
    do {
        VkResult status = vkGetFenceStatus(dev->device, fence);
        if (status != VK_NOT_READY)
            return status;
        spent = elapsed_ns(&start);
        if (spent >= spin)
            cs_thread_yield();
    } while (spent < polling);
    if (timeout_ns == 0)
        return VK_TIMEOUT;
    for (;;) {
        if (vk_device_is_lost(dev))
            return VK_ERROR_DEVICE_LOST;
        uint64_t left = UINT64_MAX;
        if (timeout_ns != UINT64_MAX) {
            spent = elapsed_ns(&start);
            if (spent >= (double)timeout_ns)
                return VK_TIMEOUT;
            left = timeout_ns - (uint64_t)spent;
        }
        VkResult result = vkWaitForFences(
            dev->device, 1, &fence, VK_TRUE,
            left < SLICE_NANOSECONDS ? left : SLICE_NANOSECONDS);
        if (result != VK_TIMEOUT)
            return result;
    }
}

uint64_t vk_wait_timeout(const cs_device *device)
{
    uint64_t timeout =
        atomic_load_explicit(&device->wait_timeout_ns, memory_order_relaxed);
    return timeout ? timeout : UINT64_MAX;
}

static cs_status timeout_error(uint64_t timeout_ns, const char *what)
{
    return cs_fail(CS_TIMEOUT,
                   "%s: the GPU work did not finish within the wait timeout "
                   "of %.3f s and is still running (it cannot be "
                   "preempted); its command buffer and resources are kept "
                   "until it ends",
                   what, (double)timeout_ns / 1e9);
}

cs_status vk_context_end(vk_device *dev, vk_command_context *context)
{
    /* Results are visible to the CPU (mapped readback buffers) once the
     * fence signals. */
    vk_global_barrier(context->commands, VK_PIPELINE_STAGE_HOST_BIT,
                      VK_ACCESS_HOST_READ_BIT);
    VkResult result = vkEndCommandBuffer(context->commands);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkEndCommandBuffer",
                       "ending a command buffer");
    return CS_OK;
}

cs_status vk_context_run(vk_device *dev, vk_command_context *context,
                         const char *what, uint64_t timeout_ns)
{
    VkResult result = vkResetFences(dev->device, 1, &context->fence);
    const char *call = "vkResetFences";
    if (result == VK_SUCCESS) {
        VkSubmitInfo submit = {
            .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
            .commandBufferCount = 1,
            .pCommandBuffers = &context->commands,
        };
        cs_mutex_lock(&dev->queue_lock);
        result = vkQueueSubmit(dev->queue, 1, &submit, context->fence);
        cs_mutex_unlock(&dev->queue_lock);
        call = "vkQueueSubmit";
        if (result == VK_SUCCESS) {
            result = vk_wait_for_fence(dev, context->fence, timeout_ns);
            call = "vkWaitForFences";
        }
    }
    if (result == VK_TIMEOUT)
        return timeout_error(timeout_ns, what);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, call, "%s", what);
    return CS_OK;
}

/* The wait timeout of the device the held objects belong to. */
static uint64_t holds_timeout(const vk_holds *holds)
{
    if (!holds)
        return UINT64_MAX;
    if (holds->compute)
        return vk_wait_timeout(holds->compute->device);
    if (holds->resources[0])
        return vk_wait_timeout(holds->resources[0]->device);
    return UINT64_MAX;
}

cs_status vk_submit_and_wait(vk_device *dev, vk_command_context *context,
                             const char *what, const vk_holds *holds)
{
    cs_status status = vk_context_end(dev, context);
    if (status == CS_OK)
        status = vk_context_run(dev, context, what, holds_timeout(holds));
    if (status == CS_TIMEOUT) {
        vk_park(dev, context, NULL, holds);
        return status;
    }
    /* Given back on failure too, so that teardown finds it: failures here
     * are device loss in practice, after which nothing is submitted. */
    vk_submit_give_back(dev, context);
    return status;
}

void vk_park(vk_device *dev, vk_command_context *context, cs_compute *cache_of,
             const vk_holds *holds)
{
    if (cache_of) {
        cs_compute_retain(cache_of);
        atomic_fetch_add(&((vk_compute *)cache_of->impl)->parked, 1);
    }
    if (holds) {
        if (holds->compute) {
            cs_compute_retain(holds->compute);
            atomic_fetch_add(&((vk_compute *)holds->compute->impl)->parked, 1);
        }
        for (int i = 0; i < 2; i++)
            cs_resource_retain(holds->resources[i]);
    }
    vk_pending *entry = calloc(1, sizeof *entry);
    if (!entry) /* out of host memory: the context and what it uses leak
                   rather than being reused while the GPU runs them */
        return;
    entry->context = context;
    entry->cache_of = cache_of;
    if (holds) {
        entry->compute = holds->compute;
        for (int i = 0; i < 2; i++)
            entry->resources[i] = holds->resources[i];
    }
    cs_mutex_lock(&dev->context_lock);
    entry->next = dev->pending;
    dev->pending = entry;
    atomic_store(&dev->has_pending, true);
    cs_mutex_unlock(&dev->context_lock);
}

/* Gives the context back and drops what the entry held. */
static void reclaim(vk_device *dev, vk_pending *entry)
{
    if (entry->cache_of) {
        vk_compute *impl = entry->cache_of->impl;
        atomic_fetch_sub(&impl->parked, 1);
        atomic_flag_clear_explicit(&impl->cache_busy, memory_order_release);
        cs_compute_release(entry->cache_of);
    } else {
        vk_submit_give_back(dev, entry->context);
    }
    if (entry->compute) {
        atomic_fetch_sub(&((vk_compute *)entry->compute->impl)->parked, 1);
        cs_compute_release(entry->compute);
    }
    for (int i = 0; i < 2; i++)
        cs_resource_release(entry->resources[i]);
    free(entry);
}

void vk_pending_poll(vk_device *dev)
{
    if (!atomic_load_explicit(&dev->has_pending, memory_order_relaxed))
        return;
    vk_pending *done = NULL;
    cs_mutex_lock(&dev->context_lock);
    vk_pending **link = &dev->pending;
    while (*link) {
        vk_pending *entry = *link;
        /* signaled, or the device is lost (nothing runs any more) */
        if (vkGetFenceStatus(dev->device, entry->context->fence) !=
            VK_NOT_READY) {
            *link = entry->next;
            entry->next = done;
            done = entry;
        } else {
            link = &entry->next;
        }
    }
    atomic_store(&dev->has_pending, dev->pending != NULL);
    cs_mutex_unlock(&dev->context_lock);
    while (done) {
        vk_pending *next = done->next;
        reclaim(dev, done);
        done = next;
    }
}

bool vk_pending_wait(vk_device *dev, atomic_int *parked, uint64_t timeout_ns)
{
    uint64_t start = cs_time_monotonic_ns();
    for (;;) {
        vk_pending_poll(dev);
        if (atomic_load(parked) == 0)
            return true;
        if (vk_device_is_lost(dev) ||
            (timeout_ns != UINT64_MAX &&
             elapsed_ns(&start) >= (double)timeout_ns))
            return false;
        /* not vkWaitForFences: another thread's poll may reclaim (and
         * reuse or destroy) a parked context at any time */
        cs_sleep_ns(1000 * 1000);
    }
}

cs_status vk_submit_bind_sparse(vk_device *dev, const VkBindSparseInfo *info,
                                const char *what)
{
    /* a context only for its fence: binds record no commands */
    vk_command_context *context = NULL;
    cs_status status = vk_submit_take(dev, &context);
    if (status != CS_OK)
        return status;
    VkResult result = vkResetFences(dev->device, 1, &context->fence);
    const char *call = "vkResetFences";
    if (result == VK_SUCCESS) {
        cs_mutex_lock(&dev->queue_lock);
        result = vkQueueBindSparse(dev->queue, 1, info, context->fence);
        cs_mutex_unlock(&dev->queue_lock);
        call = "vkQueueBindSparse";
        if (result == VK_SUCCESS) {
            /* binds are not parked: wait for them (after earlier work) */
            result = vk_wait_for_fence(dev, context->fence, UINT64_MAX);
            call = "vkWaitForFences";
        }
    }
    vk_submit_give_back(dev, context);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, call, "%s", what);
    return CS_OK;
}

void vk_submit_destroy_contexts(vk_device *dev)
{
    /* Parked entries hold references that keep the instance alive, so
     * none is left at teardown but those of leaks (out of host memory);
     * after vkDeviceWaitIdle their contexts are idle. */
    while (dev->pending) {
        vk_pending *entry = dev->pending;
        dev->pending = entry->next;
        if (!entry->cache_of)
            vk_context_destroy(dev->device, entry->context);
        free(entry);
    }
    vk_command_context *context = dev->free_contexts;
    while (context) {
        vk_command_context *next = context->next;
        vk_context_destroy(dev->device, context);
        context = next;
    }
    dev->free_contexts = NULL;
    dev->free_context_count = 0;
}
