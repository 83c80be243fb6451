/* vk_pipeline_cache.c - per device: the shader module, descriptor set
 * layout, pipeline layout and pipeline of each (SPIR-V, entry point, push
 * size, bindings) kept in a bounded LRU (core/cache.h) that computes hold
 * counted references to, and a VkPipelineCache saved on disk so that later
 * runs skip the driver's compile.
 *
 * The disk file (pipelines-<vendor>-<device>-<pipelineCacheUUID>.bin in the
 * cache directory) is handed to the driver only when its header names this
 * device as Vulkan's VkPipelineCacheHeaderVersionOne says; it is written
 * atomically after pipelines were created (at most once a second, when
 * the driver's data changed; the first time at once) and when the device is
 * destroyed. Any file problem only skips the disk.
 *
 * Both are bounded (core/cache.h limits): the LRU by CS_CACHE_PIPELINE, and
 * the VkPipelineCache, which the driver grows by every pipeline made
 * through it (NVIDIA keeps each pipeline's binary there), by
 * CS_CACHE_DRIVER: past its entries (pipelines made into it) or bytes (its
 * data), it is saved and replaced by an empty one. */
#include "../../common/cache.h"
#include "vk_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    MAX_FILE_BYTES = 256 << 20,
    HEADER_BYTES = 16 + VK_UUID_SIZE,
};

struct vk_pipelines {
    VkDevice device;
    VkPipelineCache cache; /* VK_NULL_HANDLE when it could not be made */
    /* cache is used under the read side, replaced under the write side */
    cs_rwlock cache_lock;
    atomic_uint_fast64_t cache_pipelines; /* made into cache */
    cs_cache *entries;
    cs_mutex save_lock;
    size_t saved_size; /* of the data last loaded or written */
    /* pipelines were made since the last save; when it was (ns) */
    atomic_bool dirty;
    _Atomic int64_t last_save_ns;
    char file_name[128];
};

static void destroy_shared(void *value, void *context)
{
    vk_shared_pipeline *shared = value;
    VkDevice device = ((struct vk_pipelines *)context)->device;
    if (shared->pipeline != VK_NULL_HANDLE)
        vkDestroyPipeline(device, shared->pipeline, NULL);
    if (shared->pipeline_layout != VK_NULL_HANDLE)
        vkDestroyPipelineLayout(device, shared->pipeline_layout, NULL);
    if (shared->set_layout != VK_NULL_HANDLE)
        vkDestroyDescriptorSetLayout(device, shared->set_layout, NULL);
    if (shared->module != VK_NULL_HANDLE)
        vkDestroyShaderModule(device, shared->module, NULL);
    free(shared);
}

static bool header_matches(const vk_device *dev, const unsigned char *data,
                           size_t size)
{
    if (size < HEADER_BYTES)
        return false;
    uint32_t header_size, version, vendor, device_id;
    memcpy(&header_size, data, 4);
    memcpy(&version, data + 4, 4);
    memcpy(&vendor, data + 8, 4);
    memcpy(&device_id, data + 12, 4);
    return header_size >= HEADER_BYTES && header_size <= size &&
           version == VK_PIPELINE_CACHE_HEADER_VERSION_ONE &&
           vendor == dev->properties.vendorID &&
           device_id == dev->properties.deviceID &&
           memcmp(data + 16, dev->properties.pipelineCacheUUID, VK_UUID_SIZE) ==
               0;
}

/* Whether pipelines go through compushady's VkPipelineCache (and its file)
 * or only through the driver's own disk cache. NVIDIA's driver keeps one
 * and skips it for pipelines made with an application's cache: on an H100
 * a new process's Compute() of a known shader took 1.9 ms through ours,
 * 9.3 ms with an empty cache of ours in memory, and 1.1 ms with none (the
 * driver's disk cache); bench/cold_start.py. Other drivers keep ours. */
static bool uses_own_cache(const vk_device *dev)
{
    switch (cs_pipeline_cache_mode_of()) {
    case CS_PIPELINE_CACHE_OWN: return true;
    case CS_PIPELINE_CACHE_DRIVER: return false;
    case CS_PIPELINE_CACHE_AUTO: break;
    }
    VkPhysicalDeviceDriverProperties driver = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES,
    };
    VkPhysicalDeviceProperties2 properties = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
        .pNext = &driver,
    };
    vkGetPhysicalDeviceProperties2(dev->physical, &properties);
    return driver.driverID != VK_DRIVER_ID_NVIDIA_PROPRIETARY;
}

static struct vk_pipelines *create_pipelines(vk_device *dev)
{
    struct vk_pipelines *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->device = dev->device;
    p->entries = cs_cache_create_for(CS_CACHE_PIPELINE, destroy_shared, p);
    if (!p->entries || !cs_mutex_init(&p->save_lock)) {
        cs_cache_destroy(p->entries);
        free(p);
        return NULL;
    }
    if (!cs_rwlock_init(&p->cache_lock, false)) {
        cs_mutex_destroy(&p->save_lock);
        cs_cache_destroy(p->entries);
        free(p);
        return NULL;
    }
    int at = snprintf(p->file_name, sizeof p->file_name, "pipelines-%04x-%04x-",
                      dev->properties.vendorID, dev->properties.deviceID);
    for (unsigned i = 0; i < VK_UUID_SIZE; i++)
        at += snprintf(p->file_name + at, sizeof p->file_name - at, "%02x",
                       dev->properties.pipelineCacheUUID[i]);
    snprintf(p->file_name + at, sizeof p->file_name - at, ".bin");

    if (!uses_own_cache(dev)) {
        p->cache = VK_NULL_HANDLE; /* the driver's disk cache alone */
        return p;
    }
    void *data = NULL;
    size_t size = 0;
    if (cs_cache_read_file(p->file_name, MAX_FILE_BYTES, &data, &size)) {
        if (header_matches(dev, data, size)) {
            cs_cache_count_event(CS_COUNT_PIPELINE_CACHE_LOAD);
        } else {
            cs_cache_count_event(CS_COUNT_PIPELINE_CACHE_REJECTED);
            free(data);
            data = NULL;
            size = 0;
        }
    }
    VkPipelineCacheCreateInfo info = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO,
        .initialDataSize = size,
        .pInitialData = data,
    };
    if (vkCreatePipelineCache(dev->device, &info, NULL, &p->cache) !=
        VK_SUCCESS) {
        /* the driver refused the data: start empty */
        info.initialDataSize = 0;
        info.pInitialData = NULL;
        size = 0;
        if (vkCreatePipelineCache(dev->device, &info, NULL, &p->cache) !=
            VK_SUCCESS)
            p->cache = VK_NULL_HANDLE;
    }
    p->saved_size = size;
    free(data);
    return p;
}

static struct vk_pipelines *pipelines_of(vk_device *dev)
{
    struct vk_pipelines *p = atomic_load(&dev->pipelines);
    if (p)
        return p;
    struct vk_pipelines *made = create_pipelines(dev);
    if (!made)
        return NULL;
    struct vk_pipelines *expected = NULL;
    if (atomic_compare_exchange_strong(&dev->pipelines, &expected, made))
        return made;
    /* another thread made them first */
    cs_cache_destroy(made->entries);
    if (made->cache != VK_NULL_HANDLE)
        vkDestroyPipelineCache(dev->device, made->cache, NULL);
    cs_mutex_destroy(&made->save_lock);
    cs_rwlock_destroy(&made->cache_lock);
    free(made);
    return expected;
}

/* Writes the driver's data when it changed since the last load or save.
 * The caller holds cache_lock (either side). */
static void save_locked(struct vk_pipelines *p)
{
    if (p->cache == VK_NULL_HANDLE)
        return;
    char path[2048];
    if (!cs_cache_dir(path, sizeof path))
        return;
    cs_mutex_lock(&p->save_lock);
    size_t size = 0;
    if (vkGetPipelineCacheData(p->device, p->cache, &size, NULL) ==
            VK_SUCCESS &&
        size != p->saved_size && size > 0) {
        void *data = malloc(size);
        if (data && vkGetPipelineCacheData(p->device, p->cache, &size, data) ==
                        VK_SUCCESS) {
            cs_cache_write_file(p->file_name, data, size, NULL, 0);
            cs_cache_count_event(CS_COUNT_PIPELINE_CACHE_SAVE);
            p->saved_size = size;
        }
        free(data);
    }
    cs_mutex_unlock(&p->save_lock);
}

static void save(struct vk_pipelines *p)
{
    cs_rwlock_read_lock(&p->cache_lock);
    save_locked(p);
    cs_rwlock_read_unlock(&p->cache_lock);
}

/* Past the CS_CACHE_DRIVER limits, the VkPipelineCache is saved and
 * replaced by an empty one (the driver frees what it held). */
static void bound_driver_cache(struct vk_pipelines *p)
{
    size_t max_entries, max_bytes;
    cs_cache_limits_of(CS_CACHE_DRIVER, &max_entries, &max_bytes);
    size_t size = 0;
    cs_rwlock_read_lock(&p->cache_lock);
    bool over = false;
    if (p->cache != VK_NULL_HANDLE) {
        over = atomic_load(&p->cache_pipelines) > max_entries;
        if (!over && vkGetPipelineCacheData(p->device, p->cache, &size, NULL) ==
                         VK_SUCCESS)
            over = size > max_bytes;
    }
    cs_rwlock_read_unlock(&p->cache_lock);
    if (!over)
        return;
    cs_rwlock_write_lock(&p->cache_lock);
    if (p->cache != VK_NULL_HANDLE &&
        atomic_load(&p->cache_pipelines) > 0) { /* not replaced meanwhile */
        save_locked(p);
        VkPipelineCacheCreateInfo info = {
            .sType = VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO,
        };
        VkPipelineCache fresh = VK_NULL_HANDLE;
        if (vkCreatePipelineCache(p->device, &info, NULL, &fresh) != VK_SUCCESS)
            fresh = VK_NULL_HANDLE; /* go on without one */
        vkDestroyPipelineCache(p->device, p->cache, NULL);
        p->cache = fresh;
        p->saved_size = 0;
        atomic_store(&p->cache_pipelines, 0);
        cs_cache_count_event(CS_COUNT_PIPELINE_CACHE_RECYCLED);
    }
    cs_rwlock_write_unlock(&p->cache_lock);
}

static int64_t now_ns(void)
{
    return (int64_t)cs_time_monotonic_ns();
}

/* Saves when pipelines were made since the last save, at most once a
 * second (the whole data is written each time). */
static void save_if_due(struct vk_pipelines *p)
{
    if (!atomic_load_explicit(&p->dirty, memory_order_relaxed))
        return;
    int64_t now = now_ns();
    int64_t last = atomic_load(&p->last_save_ns);
    if (last && now - last < 1000000000)
        return;
    if (!atomic_compare_exchange_strong(&p->last_save_ns, &last, now))
        return; /* another thread saves */
    atomic_store(&p->dirty, false);
    save(p);
}

void vk_pipelines_destroy(vk_device *dev)
{
    struct vk_pipelines *p = atomic_exchange(&dev->pipelines, NULL);
    if (!p)
        return;
    save(p);
    cs_cache_destroy(p->entries);
    if (p->cache != VK_NULL_HANDLE)
        vkDestroyPipelineCache(dev->device, p->cache, NULL);
    cs_mutex_destroy(&p->save_lock);
    cs_rwlock_destroy(&p->cache_lock);
    free(p);
}

static unsigned char *make_key(const vk_pipeline_desc *desc, size_t *out_size)
{
    size_t entry_size = strlen(desc->entry_point) + 1;
    size_t bindings_size = desc->binding_count * sizeof(uint32_t) * 4;
    size_t size =
        4 * sizeof(uint32_t) + entry_size + bindings_size + desc->spirv_size;
    unsigned char *key = malloc(size);
    if (!key)
        return NULL;
    uint32_t head[4] = {desc->push_size, desc->binding_count,
                        (uint32_t)desc->layout_flags, desc->uses_flags};
    unsigned char *at = key;
    memcpy(at, head, sizeof head);
    at += sizeof head;
    memcpy(at, desc->entry_point, entry_size);
    at += entry_size;
    for (uint32_t i = 0; i < desc->binding_count; i++) {
        const VkDescriptorSetLayoutBinding *b = &desc->bindings[i];
        uint32_t fields[4] = {b->binding, (uint32_t)b->descriptorType,
                              b->descriptorCount,
                              desc->uses_flags ? desc->flags[i] : 0};
        memcpy(at, fields, sizeof fields);
        at += sizeof fields;
    }
    memcpy(at, desc->spirv, desc->spirv_size);
    *out_size = size;
    return key;
}

static cs_status create_shared(vk_device *dev, struct vk_pipelines *p,
                               const vk_pipeline_desc *desc,
                               vk_shared_pipeline *shared)
{
    VkDescriptorSetLayoutBindingFlagsCreateInfo flags_info = {
        .sType =
            VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_BINDING_FLAGS_CREATE_INFO,
        .bindingCount = desc->binding_count,
        .pBindingFlags = desc->flags,
    };
    VkDescriptorSetLayoutCreateInfo set_info = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
        .pNext = desc->uses_flags ? &flags_info : NULL,
        .flags = desc->layout_flags,
        .bindingCount = desc->binding_count,
        .pBindings = desc->bindings,
    };
    VkResult result = vkCreateDescriptorSetLayout(dev->device, &set_info, NULL,
                                                  &shared->set_layout);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkCreateDescriptorSetLayout",
                       "creating the layout of %u bindings",
                       desc->binding_count);
    VkShaderModuleCreateInfo module_info = {
        .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
        .codeSize = desc->spirv_size,
        .pCode = desc->spirv,
    };
    result =
        vkCreateShaderModule(dev->device, &module_info, NULL, &shared->module);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkCreateShaderModule",
                       "loading %zu bytes of SPIR-V", desc->spirv_size);
    VkPushConstantRange push_range = {
        .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT,
        .offset = 0,
        .size = desc->push_size,
    };
    VkPipelineLayoutCreateInfo layout_info = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
        .setLayoutCount = 1,
        .pSetLayouts = &shared->set_layout,
        .pushConstantRangeCount = desc->push_size > 0 ? 1 : 0,
        .pPushConstantRanges = &push_range,
    };
    result = vkCreatePipelineLayout(dev->device, &layout_info, NULL,
                                    &shared->pipeline_layout);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkCreatePipelineLayout",
                       "creating a compute pipeline layout");
    VkComputePipelineCreateInfo pipeline_info = {
        .sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
        .stage =
            {
                .sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
                .stage = VK_SHADER_STAGE_COMPUTE_BIT,
                .module = shared->module,
                .pName = desc->entry_point,
            },
        .layout = shared->pipeline_layout,
    };
    if (p)
        cs_rwlock_read_lock(&p->cache_lock);
    result =
        vkCreateComputePipelines(dev->device, p ? p->cache : VK_NULL_HANDLE, 1,
                                 &pipeline_info, NULL, &shared->pipeline);
    if (p) {
        atomic_fetch_add(&p->cache_pipelines, 1);
        cs_rwlock_read_unlock(&p->cache_lock);
    }
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkCreateComputePipelines",
                       "creating the pipeline of entry point \"%s\"",
                       desc->entry_point);
    return CS_OK;
}

cs_status vk_pipeline_acquire(vk_device *dev, const vk_pipeline_desc *desc,
                              vk_pipeline_ref *out_ref)
{
    struct vk_pipelines *p = pipelines_of(dev);
    size_t key_size = 0;
    unsigned char *key = p ? make_key(desc, &key_size) : NULL;
    cs_cache_entry *entry =
        key ? cs_cache_find(p->entries, key, key_size) : NULL;
    if (entry) {
        free(key);
        cs_cache_count_event(CS_COUNT_PIPELINE_HIT);
        out_ref->shared = cs_cache_value(entry);
        out_ref->entry = entry;
        out_ref->owner = p;
        out_ref->device = dev->device;
        save_if_due(p);
        return CS_OK;
    }
    cs_cache_count_event(CS_COUNT_PIPELINE_MISS);
    vk_shared_pipeline *shared = calloc(1, sizeof *shared);
    if (!shared) {
        free(key);
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while creating a compute");
    }
    cs_status status = create_shared(dev, p, desc, shared);
    if (status != CS_OK || !key) {
        free(key);
        if (status != CS_OK) {
            struct vk_pipelines stand_in = {.device = dev->device};
            destroy_shared(shared, &stand_in);
            return status;
        }
        /* not cached (out of memory): owned by the compute alone */
        out_ref->shared = shared;
        out_ref->entry = NULL;
        out_ref->owner = p;
        out_ref->device = dev->device;
        return CS_OK;
    }
    /* bytes: what is known of it, the key (with the SPIR-V) and the
     * record; the driver's share is bounded by the entry count */
    entry = cs_cache_insert(p->entries, key, key_size, shared,
                            key_size + sizeof *shared);
    free(key);
    if (!entry) /* the cache destroyed the pipeline */
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while creating a compute");
    atomic_store(&p->dirty, true);
    bound_driver_cache(p);
    save_if_due(p);
    out_ref->shared = cs_cache_value(entry);
    out_ref->entry = entry;
    out_ref->owner = p;
    out_ref->device = dev->device;
    return CS_OK;
}

void vk_pipeline_release(vk_pipeline_ref *ref)
{
    if (!ref->shared)
        return;
    if (ref->entry) {
        cs_cache_release(ref->owner->entries, ref->entry);
    } else {
        struct vk_pipelines stand_in = {.device = ref->device};
        destroy_shared(ref->shared, &stand_in);
    }
    ref->shared = NULL;
    ref->entry = NULL;
}
