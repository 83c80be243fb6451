/* vk_compute.c - compute pipelines: shader module, descriptor set layout
 * and set (written once at creation, element by element for bindless),
 * pipeline layout with push constants, and dispatch. */
#include "vk_internal.h"

#include "../../shader/shader.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_PUSH_BYTES = 4096 };

static VkDescriptorType descriptor_type_of(cs_binding_type type)
{
    switch (type) {
    case CS_BINDING_CONSTANT_BUFFER: return VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER;
    case CS_BINDING_STORAGE_BUFFER: return VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    case CS_BINDING_UNIFORM_TEXEL_BUFFER:
        return VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER;
    case CS_BINDING_STORAGE_TEXEL_BUFFER:
        return VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER;
    case CS_BINDING_SAMPLED_IMAGE: return VK_DESCRIPTOR_TYPE_SAMPLED_IMAGE;
    case CS_BINDING_STORAGE_IMAGE: return VK_DESCRIPTOR_TYPE_STORAGE_IMAGE;
    case CS_BINDING_SAMPLER: return VK_DESCRIPTOR_TYPE_SAMPLER;
    }
    return VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
}

static bool supports_update_after_bind(const vk_device *dev,
                                       VkDescriptorType type)
{
    const VkPhysicalDeviceVulkan12Features *f = &dev->supported.v12;
    switch (type) {
    case VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER:
        return f->descriptorBindingUniformBufferUpdateAfterBind;
    case VK_DESCRIPTOR_TYPE_STORAGE_BUFFER:
        return f->descriptorBindingStorageBufferUpdateAfterBind;
    case VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER:
        return f->descriptorBindingUniformTexelBufferUpdateAfterBind;
    case VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER:
        return f->descriptorBindingStorageTexelBufferUpdateAfterBind;
    case VK_DESCRIPTOR_TYPE_SAMPLED_IMAGE:
        return f->descriptorBindingSampledImageUpdateAfterBind;
    case VK_DESCRIPTOR_TYPE_STORAGE_IMAGE:
        return f->descriptorBindingStorageImageUpdateAfterBind;
    default: return false;
    }
}

static bool is_bindless_slot(const cs_compute *compute,
                             const cs_bound_slot *slot)
{
    /* Arrays get only their first element written at creation: the rest
     * must be allowed to stay empty. */
    return compute->bindless || slot->binding.array_size != 1;
}

static uint32_t descriptor_count_of(const cs_compute *compute,
                                    const cs_bound_slot *slot)
{
    if (slot->binding.array_size != 0)
        return slot->binding.array_size;
    return compute->max_bindless ? compute->max_bindless : 64;
}

static void destroy_impl(VkDevice device, vk_compute *impl)
{
    for (uint32_t i = 0; i < impl->extra_view_count; i++)
        vkDestroyImageView(device, impl->extra_views[i], NULL);
    free(impl->extra_views);
    if (impl->pool != VK_NULL_HANDLE)
        vkDestroyDescriptorPool(device, impl->pool, NULL);
    /* module, layouts and pipeline: shared, released to the cache */
    vk_pipeline_release(&impl->shared);
    cs_rwlock_destroy(&impl->set_lock);
    free(impl);
}

/* The set layout, module, pipeline layout and pipeline, shared with every
 * compute of the same SPIR-V, entry point, push size and bindings
 * (vk_pipeline_cache.c). */
static cs_status acquire_pipeline(vk_device *dev, const cs_compute *compute,
                                  const uint32_t *words, size_t word_count,
                                  vk_compute *impl, bool *out_update_after_bind)
{
    uint32_t count = compute->slot_count;
    VkDescriptorSetLayoutBinding *bindings =
        calloc(count ? count : 1, sizeof *bindings);
    VkDescriptorBindingFlags *flags = calloc(count ? count : 1, sizeof *flags);
    if (!bindings || !flags) {
        free(bindings);
        free(flags);
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while creating a compute");
    }
    bool update_after_bind = false;
    for (uint32_t i = 0; i < count; i++) {
        const cs_bound_slot *slot = &compute->slots[i];
        VkDescriptorType type = descriptor_type_of(slot->binding.type);
        bindings[i] = (VkDescriptorSetLayoutBinding){
            .binding = slot->binding.binding,
            .descriptorType = type,
            .descriptorCount = descriptor_count_of(compute, slot),
            .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT,
        };
        if (is_bindless_slot(compute, slot)) {
            flags[i] = VK_DESCRIPTOR_BINDING_PARTIALLY_BOUND_BIT;
            if (supports_update_after_bind(dev, type)) {
                flags[i] |= VK_DESCRIPTOR_BINDING_UPDATE_AFTER_BIND_BIT;
                update_after_bind = true;
            }
        }
    }
    vk_pipeline_desc desc = {
        .spirv = words,
        .spirv_size = word_count * 4,
        .entry_point = compute->entry_point ? compute->entry_point : "main",
        .push_size = impl->push_constant_size,
        .bindings = bindings,
        .flags = flags,
        .binding_count = count,
        .uses_flags = dev->bindless,
        .layout_flags =
            update_after_bind
                ? VK_DESCRIPTOR_SET_LAYOUT_CREATE_UPDATE_AFTER_BIND_POOL_BIT
                : 0,
    };
    cs_status status = vk_pipeline_acquire(dev, &desc, &impl->shared);
    free(bindings);
    free(flags);
    if (status != CS_OK)
        return status;
    impl->module = impl->shared.shared->module;
    impl->set_layout = impl->shared.shared->set_layout;
    impl->pipeline_layout = impl->shared.shared->pipeline_layout;
    impl->pipeline = impl->shared.shared->pipeline;
    *out_update_after_bind = update_after_bind;
    return CS_OK;
}

static cs_status create_set(vk_device *dev, const cs_compute *compute,
                            vk_compute *impl, bool update_after_bind)
{
    /* One pool size per binding is simplest and valid: Vulkan sums equal
     * types. */
    uint32_t count = compute->slot_count;
    VkDescriptorPoolSize *sizes = calloc(count, sizeof *sizes);
    if (!sizes)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while creating a compute");
    for (uint32_t i = 0; i < count; i++) {
        sizes[i].type = descriptor_type_of(compute->slots[i].binding.type);
        sizes[i].descriptorCount =
            descriptor_count_of(compute, &compute->slots[i]);
    }
    VkDescriptorPoolCreateInfo pool_info = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
        .flags = update_after_bind
                     ? VK_DESCRIPTOR_POOL_CREATE_UPDATE_AFTER_BIND_BIT
                     : 0,
        .maxSets = 1,
        .poolSizeCount = count,
        .pPoolSizes = sizes,
    };
    VkResult result =
        vkCreateDescriptorPool(dev->device, &pool_info, NULL, &impl->pool);
    free(sizes);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkCreateDescriptorPool",
                       "creating descriptors for %u bindings", count);
    VkDescriptorSetAllocateInfo set_info = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
        .descriptorPool = impl->pool,
        .descriptorSetCount = 1,
        .pSetLayouts = &impl->set_layout,
    };
    result = vkAllocateDescriptorSets(dev->device, &set_info, &impl->set);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkAllocateDescriptorSets",
                       "creating descriptors for %u bindings", count);
    return CS_OK;
}

static VkDeviceSize visible_range(const vk_device *dev, VkDescriptorType type,
                                  uint64_t size)
{
    const VkPhysicalDeviceLimits *limits = &dev->properties.limits;
    uint64_t limit = type == VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER
                         ? limits->maxUniformBufferRange
                         : limits->maxStorageBufferRange;
    return size < limit ? size : limit;
}

/* Writes one descriptor: element `index` of `binding`, for `resource` (or
 * the sampler) with `image_view` for textures. */
static void write_descriptor(vk_device *dev, VkDescriptorSet set,
                             const cs_shader_binding *binding, uint32_t index,
                             const cs_resource *resource,
                             const cs_sampler *sampler, VkImageView image_view)
{
    VkDescriptorType type = descriptor_type_of(binding->type);
    VkDescriptorBufferInfo buffer_info = {0};
    VkDescriptorImageInfo image_info = {0};
    VkBufferView texel_view = VK_NULL_HANDLE;
    VkWriteDescriptorSet write = {
        .sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
        .dstSet = set,
        .dstBinding = binding->binding,
        .dstArrayElement = index,
        .descriptorCount = 1,
        .descriptorType = type,
    };
    switch (type) {
    case VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER:
    case VK_DESCRIPTOR_TYPE_STORAGE_BUFFER:
        /* a binding sees at most the device's range limit of the buffer,
         * as D3D's views of large buffers do */
        buffer_info.buffer = vk_resource_of(resource)->buffer;
        buffer_info.range = visible_range(dev, type, resource->info.size);
        write.pBufferInfo = &buffer_info;
        break;
    case VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER:
    case VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER:
        texel_view = vk_resource_of(resource)->texel_view;
        write.pTexelBufferView = &texel_view;
        break;
    case VK_DESCRIPTOR_TYPE_SAMPLER:
        image_info.sampler = (VkSampler)sampler->impl;
        write.pImageInfo = &image_info;
        break;
    default:
        image_info.imageView = image_view;
        image_info.imageLayout = VK_IMAGE_LAYOUT_GENERAL;
        write.pImageInfo = &image_info;
        break;
    }
    vkUpdateDescriptorSets(dev->device, 1, &write, 0, NULL);
}

static bool is_image_binding(cs_binding_type type)
{
    return type == CS_BINDING_SAMPLED_IMAGE || type == CS_BINDING_STORAGE_IMAGE;
}

/* The view a texture slot needs: the texture's own unless the shader wants
 * the other arrayness (Texture2DArray over a one-slice texture). */
static cs_status view_for_slot(vk_device *dev, vk_compute *impl,
                               const cs_bound_slot *slot, VkImageView *out_view)
{
    const cs_resource *texture = slot->resource;
    bool arrayed =
        slot->binding.arrayed && texture->info.kind != CS_RESOURCE_TEXTURE3D;
    if (arrayed == vk_texture_view_is_arrayed(texture)) {
        *out_view = vk_resource_of(texture)->image_view;
        return CS_OK;
    }
    VkImageView view;
    cs_status status = vk_texture_create_view(dev, texture, arrayed, &view);
    if (status != CS_OK)
        return status;
    impl->extra_views[impl->extra_view_count++] = view;
    *out_view = view;
    return CS_OK;
}

static cs_status write_slots(vk_device *dev, const cs_compute *compute,
                             vk_compute *impl)
{
    impl->extra_views = calloc(compute->slot_count ? compute->slot_count : 1,
                               sizeof *impl->extra_views);
    if (!impl->extra_views)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while creating a compute");
    for (uint32_t i = 0; i < compute->slot_count; i++) {
        const cs_bound_slot *slot = &compute->slots[i];
        if (!slot->resource && !slot->sampler)
            continue; /* bindless: filled by compute_bind */
        VkImageView view = VK_NULL_HANDLE;
        /* the core checked the format's use (format_support.c) */
        if (is_image_binding(slot->binding.type) && slot->resource) {
            cs_status status = view_for_slot(dev, impl, slot, &view);
            if (status != CS_OK)
                return status;
        }
        write_descriptor(dev, impl->set, &slot->binding, 0, slot->resource,
                         slot->sampler, view);
    }
    return CS_OK;
}

static bool needs_bindless(const cs_compute *compute)
{
    if (compute->bindless)
        return true;
    for (uint32_t i = 0; i < compute->slot_count; i++) {
        if (compute->slots[i].binding.array_size != 1)
            return true;
    }
    return false;
}

cs_status vk_compute_create(cs_compute *compute)
{
    vk_device *dev;
    cs_status status = vk_device_acquire(compute->device, &dev);
    if (status != CS_OK)
        return status;
    if (needs_bindless(compute) && !dev->bindless)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "bindless computes need descriptor indexing "
                       "(runtime arrays, partially bound, update after bind), "
                       "which the device \"%s\" lacks",
                       dev->properties.deviceName);
    /* a multiple of 4, at least what the shader declares (the core
     * checked) */
    uint32_t push_size = compute->push_size;
    if (push_size > dev->properties.limits.maxPushConstantsSize ||
        push_size > MAX_PUSH_BYTES)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "%u bytes of push constants exceed this device's "
                       "limit of %u",
                       push_size, dev->properties.limits.maxPushConstantsSize);
    vk_compute *impl = calloc(1, sizeof *impl);
    if (!impl)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while creating a compute");
    if (!cs_rwlock_init(&impl->set_lock, false)) {
        free(impl);
        return cs_fail(CS_ERROR_BACKEND, "cannot create a compute's lock");
    }
    impl->push_constant_size = push_size;
    bool update_after_bind = false;
    /* the module with the storage image formats bound, validated, and the
     * device features it needs */
    cs_storage_binding *storage = NULL;
    size_t storage_count = 0;
    const uint32_t *words = NULL;
    size_t word_count = 0;
    cs_prepared_module *prepared = NULL;
    status = cs_compute_storage_bindings(compute, &storage, &storage_count);
    if (status == CS_OK)
        status = cs_spirv_prepare_storage_formats(
            compute->spirv, compute->spirv_size / 4, storage, storage_count,
            &words, &word_count, &prepared);
    if (status == CS_OK)
        status = vk_check_storage_without_format(
            compute, storage, storage_count, words, word_count);
    free(storage);
    if (status == CS_OK)
        status = acquire_pipeline(dev, compute, words, word_count, impl,
                                  &update_after_bind);
    cs_prepared_module_free(prepared);
    if (status == CS_OK && compute->slot_count > 0)
        status = create_set(dev, compute, impl, update_after_bind);
    if (status == CS_OK && compute->slot_count > 0)
        status = write_slots(dev, compute, impl);
    if (status != CS_OK) {
        destroy_impl(dev->device, impl);
        return status;
    }
    compute->impl = impl;
    return CS_OK;
}

void vk_compute_destroy(cs_compute *compute)
{
    if (!compute->impl)
        return;
    vk_compute *impl = compute->impl;
    if (impl->cache) /* the dispatch cache's command buffer */
        vk_context_recycle(vk_device_of(compute->device), impl->cache);
    free(impl->cache_push);
    destroy_impl(vk_device_of(compute->device)->device, compute->impl);
    compute->impl = NULL;
}

void vk_compute_record(const cs_compute *compute, VkCommandBuffer commands,
                       bool bind, const uint32_t groups[3],
                       const cs_resource *indirect, uint64_t indirect_offset,
                       const void *push, uint32_t push_size)
{
    const vk_compute *impl = compute->impl;
    if (bind) {
        vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_COMPUTE,
                          impl->pipeline);
        if (impl->set != VK_NULL_HANDLE)
            vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_COMPUTE,
                                    impl->pipeline_layout, 0, 1, &impl->set, 0,
                                    NULL);
    }
    /* the core padded push to compute->push_size, the range's size */
    (void)push_size;
    if (impl->push_constant_size > 0)
        vkCmdPushConstants(commands, impl->pipeline_layout,
                           VK_SHADER_STAGE_COMPUTE_BIT, 0,
                           impl->push_constant_size, push);
    if (indirect)
        vkCmdDispatchIndirect(commands, vk_resource_of(indirect)->buffer,
                              indirect_offset);
    else
        vkCmdDispatch(commands, groups[0], groups[1], groups[2]);
}

/* The cache holds a buffer recorded for exactly these groups and push
 * bytes, with the descriptors as they are now. */
static bool cache_matches(const cs_compute *compute, const vk_compute *impl,
                          const uint32_t groups[3], const void *push,
                          uint64_t generation)
{
    return impl->cache_valid && impl->cache_generation == generation &&
           impl->cache_groups[0] == groups[0] &&
           impl->cache_groups[1] == groups[1] &&
           impl->cache_groups[2] == groups[2] &&
           (compute->push_size == 0 ||
            memcmp(impl->cache_push, push, compute->push_size) == 0);
}

/* A direct dispatch through the compute's own command buffer: recorded
 * again only when groups, push bytes or descriptors changed, so the
 * common case is fence reset + submit + wait. cache_busy and the set lock
 * (shared) are held. */
static cs_status dispatch_cached(vk_device *dev, const cs_compute *compute,
                                 vk_compute *impl, const uint32_t groups[3],
                                 const void *push)
{
    cs_status status;
    if (!impl->cache) {
        status = vk_submit_take(dev, &impl->cache);
        if (status != CS_OK)
            return status;
    }
    if (compute->push_size && !impl->cache_push) {
        impl->cache_push = malloc(compute->push_size);
        if (!impl->cache_push)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "out of host memory for push constants");
    }
    uint64_t generation = atomic_load(&impl->bind_generation);
    if (!cache_matches(compute, impl, groups, push, generation)) {
        impl->cache_valid = false;
        status = vk_context_begin(dev, impl->cache, false);
        if (status != CS_OK)
            return status;
        vk_compute_record(compute, impl->cache->commands, true, groups, NULL, 0,
                          push, compute->push_size);
        status = vk_context_end(dev, impl->cache);
        if (status != CS_OK)
            return status;
        memcpy(impl->cache_groups, groups, sizeof impl->cache_groups);
        if (compute->push_size)
            memcpy(impl->cache_push, push, compute->push_size);
        impl->cache_generation = generation;
        impl->cache_valid = true;
    }
    status = vk_context_run(dev, impl->cache, "running a compute dispatch",
                            vk_wait_timeout(compute->device));
    if (status != CS_OK)
        impl->cache_valid = false;
    return status;
}

/* A dispatch between two timestamps, through a pooled context. */
static cs_status dispatch_timed(vk_device *dev, const cs_compute *compute,
                                vk_command_context *context,
                                const uint32_t groups[3], const void *push,
                                uint64_t *out_gpu_ns)
{
    if (context->timestamps == VK_NULL_HANDLE) {
        VkQueryPoolCreateInfo info = {
            .sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
            .queryType = VK_QUERY_TYPE_TIMESTAMP,
            .queryCount = 2,
        };
        VkResult result =
            vkCreateQueryPool(dev->device, &info, NULL, &context->timestamps);
        if (result != VK_SUCCESS) {
            context->timestamps = VK_NULL_HANDLE;
            vk_submit_abandon(dev, context);
            return vk_fail(dev, result, "vkCreateQueryPool",
                           "creating timestamp queries");
        }
    }
    VkCommandBuffer commands = context->commands;
    vkCmdResetQueryPool(commands, context->timestamps, 0, 2);
    vkCmdWriteTimestamp(commands, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT,
                        context->timestamps, 0);
    vk_compute_record(compute, commands, true, groups, NULL, 0, push,
                      compute->push_size);
    vkCmdWriteTimestamp(commands, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT,
                        context->timestamps, 1);
    cs_status status = vk_context_end(dev, context);
    if (status == CS_OK)
        status = vk_context_run(dev, context, "running a timed dispatch",
                                vk_wait_timeout(compute->device));
    if (status == CS_TIMEOUT) {
        vk_holds holds = {.compute = (cs_compute *)compute};
        vk_park(dev, context, NULL, &holds);
        return status;
    }
    /* read before the context goes back to the pool */
    uint64_t ticks[2] = {0, 0};
    if (status == CS_OK) {
        VkResult result = vkGetQueryPoolResults(
            dev->device, context->timestamps, 0, 2, sizeof ticks, ticks,
            sizeof ticks[0], VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT);
        if (result != VK_SUCCESS)
            status = vk_fail(dev, result, "vkGetQueryPoolResults",
                             "reading the timestamps of a dispatch");
    }
    vk_submit_give_back(dev, context);
    if (status != CS_OK)
        return status;
    *out_gpu_ns = vk_timestamp_ns(dev, ticks[0], ticks[1]);
    return CS_OK;
}

cs_status vk_compute_dispatch(cs_compute *compute, const uint32_t groups[3],
                              cs_resource *indirect, uint64_t indirect_offset,
                              const void *push, uint64_t *out_gpu_ns)
{
    vk_device *dev;
    cs_status status = vk_device_acquire(compute->device, &dev);
    if (status != CS_OK)
        return status;
    vk_compute *impl = compute->impl;
    if (out_gpu_ns) {
        status = vk_timestamps_check(dev);
        if (status != CS_OK)
            return status;
    }
    vk_pending_poll(dev); /* this compute's cached buffer may be parked */
    cs_rwlock_read_lock(&impl->set_lock);
    if (!indirect && !out_gpu_ns &&
        !atomic_flag_test_and_set_explicit(&impl->cache_busy,
                                           memory_order_acquire)) {
        status = dispatch_cached(dev, compute, impl, groups, push);
        if (status == CS_TIMEOUT) /* cache_busy stays set until reclaimed */
            vk_park(dev, impl->cache, compute, NULL);
        else
            atomic_flag_clear_explicit(&impl->cache_busy, memory_order_release);
        cs_rwlock_read_unlock(&impl->set_lock);
        if (status == CS_OK)
            vk_pending_poll(dev);
        return status;
    }
    /* indirect, timed, or another thread is using the cached buffer */
    vk_command_context *context;
    status = vk_submit_begin(dev, &context);
    if (status == CS_OK && out_gpu_ns) {
        status =
            dispatch_timed(dev, compute, context, groups, push, out_gpu_ns);
    } else if (status == CS_OK) {
        vk_compute_record(compute, context->commands, true, groups, indirect,
                          indirect_offset, push, compute->push_size);
        vk_holds holds = {.compute = compute, .resources = {indirect, NULL}};
        status = vk_submit_and_wait(dev, context, "running a compute dispatch",
                                    &holds);
    }
    cs_rwlock_read_unlock(&impl->set_lock);
    if (status == CS_OK)
        vk_pending_poll(dev); /* earlier work is likely done now */
    return status;
}

cs_status vk_compute_bind(cs_compute *compute, const cs_shader_binding *binding,
                          uint32_t index, cs_resource *resource)
{
    vk_device *dev;
    cs_status status = vk_device_acquire(compute->device, &dev);
    if (status != CS_OK)
        return status;
    vk_compute *impl = compute->impl;
    if (impl->set == VK_NULL_HANDLE)
        return cs_fail(CS_ERROR_INVALID_OPERATION,
                       "this compute has no descriptors to bind");
    uint32_t count =
        binding->array_size ? binding->array_size : compute->max_bindless;
    if (index >= count)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "index %u is past the %u descriptors of binding %u",
                       index, count, binding->binding);
    VkImageView view = VK_NULL_HANDLE;
    if (is_image_binding(binding->type))
        view = vk_resource_of(resource)->image_view;
    /* Exclusive: no dispatch of this compute is in flight while a
     * descriptor changes (nor parked after a wait timeout). */
    cs_rwlock_write_lock(&impl->set_lock);
    if (atomic_load(&impl->parked) > 0) {
        cs_rwlock_write_unlock(&impl->set_lock);
        uint64_t timeout = vk_wait_timeout(compute->device);
        vk_pending_wait(dev, &impl->parked, timeout);
        cs_rwlock_write_lock(&impl->set_lock);
        if (atomic_load(&impl->parked) > 0) {
            cs_rwlock_write_unlock(&impl->set_lock);
            if (vk_device_is_lost(dev))
                return vk_device_lost_error(dev);
            return cs_fail(CS_TIMEOUT,
                           "bind: a dispatch of this compute that timed out "
                           "is still running on the GPU (waited %.3f s "
                           "more); its descriptors cannot change until it "
                           "ends",
                           (double)timeout / 1e9);
        }
    }
    write_descriptor(dev, impl->set, binding, index, resource, NULL, view);
    atomic_fetch_add(&impl->bind_generation, 1);
    cs_rwlock_write_unlock(&impl->set_lock);
    return CS_OK;
}
