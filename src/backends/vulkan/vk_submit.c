/* vk_submit.c - command contexts (pool + command buffer + fence) reused from
 * a per-device free list, and submit + wait. Many threads may submit at
 * once: the free list and the queue each have a mutex, held only for a few
 * instructions; nothing is allocated once every thread has a context. */
#include "vk_internal.h"

#include <stdlib.h>
#include <time.h>

/* How long to poll the fence before sleeping in vkWaitForFences: short
 * dispatches finish within it, and polling avoids the wake-up latency. */
enum { SPIN_NANOSECONDS = 50 * 1000 };

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

static cs_status take_context(vk_device *dev, vk_command_context **out_context)
{
    pthread_mutex_lock(&dev->context_lock);
    vk_command_context *context = dev->free_contexts;
    if (context)
        dev->free_contexts = context->next;
    pthread_mutex_unlock(&dev->context_lock);
    if (context) {
        *out_context = context;
        return CS_OK;
    }
    return vk_context_create(dev, out_context);
}

void vk_submit_give_back(vk_device *dev, vk_command_context *context)
{
    pthread_mutex_lock(&dev->context_lock);
    context->next = dev->free_contexts;
    dev->free_contexts = context;
    pthread_mutex_unlock(&dev->context_lock);
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
    cs_status status = take_context(dev, &context);
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

static double elapsed_ns(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) * 1e9 +
           (double)(now.tv_nsec - start->tv_nsec);
}

VkResult vk_wait_for_fence(vk_device *dev, VkFence fence, uint64_t timeout_ns)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    double spin =
        timeout_ns < SPIN_NANOSECONDS ? (double)timeout_ns : SPIN_NANOSECONDS;
    double spent;
    do {
        VkResult status = vkGetFenceStatus(dev->device, fence);
        if (status != VK_NOT_READY)
            return status;
        spent = elapsed_ns(&start);
    } while (spent < spin);
    if (timeout_ns == 0)
        return VK_TIMEOUT;
    uint64_t left = timeout_ns;
    if (timeout_ns != UINT64_MAX)
        left = spent < (double)timeout_ns ? timeout_ns - (uint64_t)spent : 0;
    return vkWaitForFences(dev->device, 1, &fence, VK_TRUE, left);
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
                         const char *what)
{
    VkResult result = vkResetFences(dev->device, 1, &context->fence);
    const char *call = "vkResetFences";
    if (result == VK_SUCCESS) {
        VkSubmitInfo submit = {
            .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
            .commandBufferCount = 1,
            .pCommandBuffers = &context->commands,
        };
        pthread_mutex_lock(&dev->queue_lock);
        result = vkQueueSubmit(dev->queue, 1, &submit, context->fence);
        pthread_mutex_unlock(&dev->queue_lock);
        call = "vkQueueSubmit";
        if (result == VK_SUCCESS) {
            result = vk_wait_for_fence(dev, context->fence, UINT64_MAX);
            call = "vkWaitForFences";
        }
    }
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, call, "%s", what);
    return CS_OK;
}

cs_status vk_submit_and_wait(vk_device *dev, vk_command_context *context,
                             const char *what)
{
    cs_status status = vk_context_end(dev, context);
    if (status == CS_OK)
        status = vk_context_run(dev, context, what);
    /* Given back on failure too, so that teardown finds it: failures here
     * are device loss in practice, after which nothing is submitted. */
    vk_submit_give_back(dev, context);
    return status;
}

cs_status vk_submit_bind_sparse(vk_device *dev, const VkBindSparseInfo *info,
                                const char *what)
{
    /* a context only for its fence: binds record no commands */
    vk_command_context *context = NULL;
    cs_status status = take_context(dev, &context);
    if (status != CS_OK)
        return status;
    VkResult result = vkResetFences(dev->device, 1, &context->fence);
    const char *call = "vkResetFences";
    if (result == VK_SUCCESS) {
        pthread_mutex_lock(&dev->queue_lock);
        result = vkQueueBindSparse(dev->queue, 1, info, context->fence);
        pthread_mutex_unlock(&dev->queue_lock);
        call = "vkQueueBindSparse";
        if (result == VK_SUCCESS) {
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
    vk_command_context *context = dev->free_contexts;
    while (context) {
        vk_command_context *next = context->next;
        vk_context_destroy(dev->device, context);
        context = next;
    }
    dev->free_contexts = NULL;
}
