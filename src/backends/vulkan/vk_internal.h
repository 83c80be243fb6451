/*
 * vk_internal.h - the Vulkan backend's object layouts and the helpers its
 * files share. Each core object's `impl` points to one of the vk_* structs
 * below. Where a Vulkan call lives:
 *   vk_instance.c  instance, debug messenger, physical devices, device info
 *   vk_device.c    lazy logical device, queue, features, device loss
 *   vk_memory.c    memory type choice, allocation, heaps
 *   vk_suballocator.c  resources sub-allocated in shared memory blocks
 *   vk_buffer.c    buffers, texel buffer views, flush/invalidate
 *   vk_texture.c   images, image views
 *   vk_sparse.c    sparse buffers and images: tiles, mip tails, binds
 *   vk_formats.c   DXGI format -> VkFormat
 *   vk_submit.c    command contexts, submit + wait, vkQueueBindSparse
 *   vk_copy.c      buffer/image copies
 *   vk_compute.c   pipeline, descriptor sets, dispatch (with a reusable
 *                  pre-recorded command buffer per compute), bindless
 *   vk_shader_features.c  device features a module needs (storage images
 *                  without a format)
 *   vk_command_list.c  command lists: recording, submit, timestamps
 *   vk_sampler.c   samplers
 *   vk_swapchain.c surfaces, swapchains, present (X11, Wayland)
 *   vk_errors.c    VkResult -> cs_status with a readable message
 *   vk_loader.c    libvulkan loaded at run time; vk_instance_create
 *   vk_backend.c   the cs_backend table
 * The table's entries are vk_<entry> (vk_resource_create, ...), declared
 * by CS_BACKEND_DECLARE(vk) below and documented in src/core/backend.h.
 */
#ifndef CS_VK_INTERNAL_H
#define CS_VK_INTERNAL_H

#include "../../core/backend.h"
#include "vk_loader.h"

#include <stdatomic.h>
#include <stdbool.h>

/* vk_instance_create, vk_resource_create, ...: every entry of the table */
CS_BACKEND_DECLARE(vk)

/* >>instance */

typedef struct vk_instance {
    VkInstance instance;
    VkDebugUtilsMessengerEXT messenger; /* VK_NULL_HANDLE without debug */
    /* instance extensions enabled because the loader offers them */
    bool surface, xlib_surface, wayland_surface, win32_surface;
} vk_instance;

/* >>device */

/* One command buffer with everything it needs to be reused without any
 * allocation: taken from the device's free list, recorded, submitted, waited
 * for and given back. */
typedef struct vk_command_context {
    VkCommandPool pool;
    VkCommandBuffer commands;
    VkFence fence;
    VkQueryPool timestamps; /* 2 queries, made on the first timed dispatch */
    struct vk_command_context *next;
} vk_command_context;

/* A submission whose wait ran past the device's wait timeout: its context
 * is parked here, not reused, and what it uses is kept alive, until its
 * fence signals (vk_pending_poll). */
typedef struct vk_pending {
    vk_command_context *context;
    /* NULL: a pooled context, given back to the free list; else the
     * compute whose cached context it is (cache_busy stays set) */
    cs_compute *cache_of;
    /* counted references held while the GPU may use them */
    cs_compute *compute;
    cs_resource *resources[2];
    struct vk_pending *next;
} vk_pending;

/* What the physical device supports (queried once at discovery); the same
 * structs, filtered, are what the logical device enables. */
typedef struct vk_features {
    VkPhysicalDeviceFeatures2 core;
    VkPhysicalDeviceVulkan11Features v11;
    VkPhysicalDeviceVulkan12Features v12;
} vk_features;

/* Idle command contexts a device keeps for reuse (each a command pool,
 * buffer and fence of a few KiB); more are destroyed when given back. */
#define VK_MAX_FREE_CONTEXTS 64

typedef struct vk_device {
    VkInstance instance;
    VkPhysicalDevice physical;
    VkPhysicalDeviceProperties properties;
    VkPhysicalDeviceMemoryProperties memory;
    vk_features supported;
    uint32_t queue_family;
    bool sparse_queue; /* queue_family has VK_QUEUE_SPARSE_BINDING_BIT */
    bool bindless;     /* descriptor indexing usable for every bindless type */
    bool present_capable;     /* the instance has VK_KHR_surface */
    bool swapchain_extension; /* VK_KHR_swapchain enabled */

    /* The logical device is created on first use: `ready` is set (release)
     * once `device` and `queue` are valid; `create_lock` makes creation run
     * once. */
    cs_mutex create_lock;
    atomic_bool ready;
    /* Set once by vk_device_mark_lost(); lost_call names the Vulkan call
     * that reported VK_ERROR_DEVICE_LOST (a string literal). */
    atomic_bool lost;
    _Atomic(const char *) lost_call;
    VkDevice device;
    VkQueue queue;
    cs_mutex queue_lock; /* held only around vkQueueSubmit and
                                   vkQueueBindSparse */

    cs_mutex context_lock;
    vk_command_context *free_contexts;
    uint32_t free_context_count; /* at most VK_MAX_FREE_CONTEXTS */
    /* submissions that timed out (under context_lock); has_pending lets
     * vk_pending_poll() skip the lock when there are none */
    vk_pending *pending;
    atomic_bool has_pending;

    /* Timestamps on the queue (vk_command_list.c): 0 not yet known, 1
     * usable, -1 not; the mask of timestampValidBits. */
    atomic_int timestamps;
    uint64_t timestamp_mask;

    /* vk_suballocator.c: the memory blocks resources share; made with the
     * logical device, freed before it. */
    struct vk_suballocator *suballocator;

    /* vk_pipeline_cache.c: pipelines shared by computes and the
     * VkPipelineCache kept on disk; made on the first compute, freed
     * before the logical device. */
    _Atomic(struct vk_pipelines *) pipelines;
} vk_device;

/* >>memory and resources */

typedef struct vk_heap {
    VkDeviceMemory memory;
    uint32_t memory_type;
    bool coherent;
    void *mapped; /* UPLOAD/READBACK heaps: mapped for their whole life */
} vk_heap;

typedef struct vk_resource {
    VkBuffer buffer;
    VkBufferView texel_view; /* buffers with a format */
    VkImage image;
    VkImageView image_view; /* the texture's natural view type */
    VkFormat format;
    /* Own memory, or VK_NULL_HANDLE when the resource lives in a cs_heap. */
    VkDeviceMemory own_memory;
    VkDeviceMemory memory; /* own_memory or the heap's */
    VkDeviceSize memory_offset;
    VkDeviceSize memory_size; /* of the whole allocation, for flush clamps;
                                 sparse buffers: of the buffer's memory */
    /* Sub-allocated: the block `memory` is, and the bytes taken from it at
     * memory_offset (vk_suballocator.c); NULL otherwise. */
    struct vk_block *block;
    VkDeviceSize block_range;
    bool coherent;
    /* Sparse resources: the memory types heaps mapped to tiles must have.
     * own_memory then holds the mip tails (metadata), if any. */
    uint32_t sparse_type_bits;
} vk_resource;

/* What computes of the same SPIR-V, entry point, push size and bindings
 * share (vk_pipeline_cache.c). */
typedef struct vk_shared_pipeline {
    VkShaderModule module;
    VkDescriptorSetLayout set_layout;
    VkPipelineLayout pipeline_layout;
    VkPipeline pipeline;
} vk_shared_pipeline;

/* A counted reference to one, in the cache of owner (entry NULL: owned
 * alone, not cached). */
typedef struct vk_pipeline_ref {
    vk_shared_pipeline *shared;
    struct cs_cache_entry *entry;
    struct vk_pipelines *owner;
    VkDevice device;
} vk_pipeline_ref;

typedef struct vk_compute {
    VkShaderModule module;
    VkDescriptorSetLayout set_layout;
    VkPipelineLayout pipeline_layout;
    VkPipeline pipeline;
    VkDescriptorPool pool;
    VkDescriptorSet set; /* VK_NULL_HANDLE when the shader binds nothing */
    uint32_t push_constant_size;
    /* Views made for slots whose shader dimension (array or not) differs
     * from the texture's natural view. */
    VkImageView *extra_views;
    uint32_t extra_view_count;
    /* Dispatches hold it shared while the GPU may read the set, binds hold
     * it exclusive while they write it. */
    cs_rwlock set_lock;
    /* module, set_layout, pipeline_layout and pipeline belong to it */
    vk_pipeline_ref shared;
    /* The dispatch cache: a command buffer of this compute's own, recorded
     * for the last (groups, push) and submitted again as is while they
     * stay the same. Whoever sets cache_busy owns everything below it; a
     * dispatch that finds it set takes the device's pool instead. The
     * command buffer comes from the device's pool and goes back to it when
     * the compute is destroyed, so a new compute rarely makes one. */
    atomic_flag cache_busy;
    /* Submissions of this compute parked after a wait timeout (its cached
     * buffer, or a pooled one): binds must not rewrite the set meanwhile. */
    atomic_int parked;
    vk_command_context *cache;
    bool cache_valid;
    uint32_t cache_groups[3];
    uint64_t cache_generation;
    unsigned char *cache_push; /* compute->push_size bytes */
    /* Bumped by every bind (a descriptor update can invalidate recorded
     * command buffers). */
    atomic_uint_fast64_t bind_generation;
} vk_compute;

/* A command list's Vulkan side (vk_command_list.c). */
typedef struct vk_command_list {
    /* taken from the device's free list of contexts; pool, commands and
     * fence are its own */
    vk_command_context *context;
    VkCommandPool pool;
    VkCommandBuffer commands;
    VkFence fence;
    bool open;  /* begun, not ended */
    bool ended; /* recorded and ended: submit runs it as is */
    /* timestamps: pools of QUERY_CHUNK queries, `queries` written */
    VkQueryPool *query_pools;
    uint32_t query_pool_count;
    uint32_t queries;
    uint64_t *ticks; /* read back, queries entries */
    uint32_t ticks_capacity;
    /* the compute whose pipeline and set the buffer has bound (held by
     * the list), so that a run of dispatches binds once */
    const cs_compute *bound;
    /* what the last recorded command was (a static description in
     * vk_command_list.c), for the barrier before the next one */
    const struct command_stage *last_stage;
} vk_command_list;

/* >>helpers */

static inline vk_device *vk_device_of(const cs_device *device)
{
    return (vk_device *)device->impl;
}
static inline vk_resource *vk_resource_of(const cs_resource *resource)
{
    return (vk_resource *)resource->impl;
}

/* vk_errors.c: records "<call> failed: <VK_ERROR_NAME> (while <context>)"
 * and returns the matching status. A VK_ERROR_DEVICE_LOST marks device lost
 * (device may be NULL). */
cs_status vk_fail(vk_device *device, VkResult result, const char *call,
                  const char *context_format, ...) CS_PRINTF_FORMAT(4, 5);
const char *vk_result_name(VkResult result);

/* vk_instance.c: the instance, once Vulkan is loaded (vk_instance_create
 * loads it first). */
cs_status vk_instance_open(cs_instance *instance);
/* vk_window_check.c: refuses window handles the driver would crash on
 * (what can be checked: docs/decisions.md). */
cs_status vk_check_window_handles(const cs_swapchain_desc *desc);

/* vk_device.c: the logical device of `device`, created on first call; fails
 * fast with CS_ERROR_DEVICE_LOST once the device was lost. */
cs_status vk_device_acquire(cs_device *device, vk_device **out_device);
void vk_device_destroy(vk_device *device);
/* Marks the device lost (call: the Vulkan call that reported it, a string
 * literal); every later call on it fails with vk_device_lost_error(). */
void vk_device_mark_lost(vk_device *device, const char *call);
static inline bool vk_device_is_lost(vk_device *device)
{
    return atomic_load_explicit(&device->lost, memory_order_relaxed);
}
/* cs_fail(CS_ERROR_DEVICE_LOST, "device '<name>' was lost (...)"). */
cs_status vk_device_lost_error(vk_device *device);

/* vk_memory.c */
/* The best memory type among type_bits for a heap type, or UINT32_MAX. */
uint32_t vk_memory_choose_type(const vk_device *device, uint32_t type_bits,
                               cs_heap_type heap_type);
/* Allocates memory for `requirements` (own memory of one resource). */
cs_status vk_memory_allocate(vk_device *device,
                             const VkMemoryRequirements *requirements,
                             cs_heap_type heap_type, VkDeviceMemory *out_memory,
                             uint32_t *out_type, const char *what);
bool vk_memory_type_is_coherent(const vk_device *device, uint32_t type);
/* Gives `resource` memory: in its cs_heap when it has one (checking type,
 * alignment and room), else a range of a shared block (vk_suballocator.c),
 * else its own. Sets memory fields and heap_size. what names the resource
 * in messages; NULL: "a N-byte <kind>", formatted only on failure. */
cs_status vk_memory_place_resource(vk_device *device, cs_resource *resource,
                                   const VkMemoryRequirements *requirements,
                                   const char *what);

/* vk_suballocator.c */
cs_status vk_suballocator_init(vk_device *device);
/* Frees every block: before vkDestroyDevice. */
void vk_suballocator_destroy(vk_device *device);
typedef struct vk_suballocation {
    struct vk_block *block; /* NULL: not sub-allocated, use own memory */
    VkDeviceMemory memory;
    VkDeviceSize offset, size; /* the range taken (size may be rounded up) */
    VkDeviceSize memory_size;  /* of the block */
    void *mapped; /* at offset in the block's mapping; NULL if not mappable */
} vk_suballocation;
/* Takes size bytes aligned to alignment from a block of memory type `type`
 * (optimal: images, kept apart from buffers). CS_OK with out->block NULL
 * when the size is for dedicated memory or no block could be had. */
cs_status vk_suballocate(vk_device *device, uint32_t type, bool optimal,
                         VkDeviceSize size, VkDeviceSize alignment,
                         vk_suballocation *out);
void vk_suballocation_free(vk_device *device, struct vk_block *block,
                           VkDeviceSize offset, VkDeviceSize size);
typedef struct vk_memory_stats {
    uint32_t blocks, allocations;
    VkDeviceSize block_bytes, used_bytes;
} vk_memory_stats;
/* Totals over every pool of the device (tests). */
void vk_suballocator_stats(const vk_device *device, vk_memory_stats *stats);

/* vk_formats.c: VK_FORMAT_UNDEFINED for an unknown format. */
VkFormat vk_format_from_cs(cs_format format);

/* vk_buffer.c */
cs_status vk_buffer_create(vk_device *device, cs_resource *resource);

/* vk_texture.c */
cs_status vk_texture_create(vk_device *device, cs_resource *resource);
/* A view of the whole texture; arrayed picks the *_ARRAY view type. */
cs_status vk_texture_create_view(vk_device *device, const cs_resource *resource,
                                 bool arrayed, VkImageView *out_view);
bool vk_texture_view_is_arrayed(const cs_resource *resource);

/* vk_sparse.c: after vkCreateBuffer / vkCreateImage of a sparse resource,
 * fill the tiling (info.tiles_*, info.tile_*, tile_size, heap_size) and
 * bind what must always be resident (metadata mip tails). */
cs_status vk_sparse_setup_buffer(vk_device *device, cs_resource *resource,
                                 const VkMemoryRequirements *requirements);
cs_status vk_sparse_setup_image(vk_device *device, cs_resource *resource,
                                const VkMemoryRequirements *requirements);
/* The create flags of sparse buffers / images on this device. */
VkBufferCreateFlags vk_sparse_buffer_flags(const vk_device *device);
VkImageCreateFlags vk_sparse_image_flags(const vk_device *device);

/* vk_resource.c */
/* Destroys what exists of a vk_resource (also a half-made one) and frees it. */
void vk_resource_free(vk_device *device, vk_resource *impl);

/* vk_submit.c: one context made or destroyed (not from the pool) ... */
cs_status vk_context_create(vk_device *device,
                            vk_command_context **out_context);
void vk_context_destroy(VkDevice device, vk_command_context *context);
/* Gives back a compute's dispatch-cache context (vk_submit_take), idle,
 * with its recording dropped (it names the compute's pipeline and set).
 * Reusing contexts matters beyond speed: creating and destroying a
 * command pool per compute leaves ~3 KiB behind in the validation layer
 * each time (issue 12, item 7). */
void vk_context_recycle(vk_device *device, vk_command_context *context);
/* ... reset and begun (one_time: for a single submission), with the
 * leading global barrier; ended with the barrier to HOST; submitted (fence
 * reset first) and waited for. */
cs_status vk_context_begin(vk_device *device, vk_command_context *context,
                           bool one_time);
cs_status vk_context_end(vk_device *device, vk_command_context *context);
/* Waits up to timeout_ns (UINT64_MAX: forever); CS_TIMEOUT, with a
 * message naming `what`, when the work is still running then. */
cs_status vk_context_run(vk_device *device, vk_command_context *context,
                         const char *what, uint64_t timeout_ns);
/* The device's wait timeout for waits the library does itself (0 in the
 * cs_device: UINT64_MAX, forever). */
uint64_t vk_wait_timeout(const cs_device *device);
/* All earlier writes visible to dst / dst_access. */
void vk_global_barrier(VkCommandBuffer commands, VkPipelineStageFlags dst,
                       VkAccessFlags dst_access);
/* Polls the fence for a short while, then sleeps in vkWaitForFences, up
 * to timeout_ns in all (UINT64_MAX: forever; VK_TIMEOUT when it ran out),
 * in slices, returning VK_ERROR_DEVICE_LOST once the device is marked
 * lost (by another thread, or simulated). */
VkResult vk_wait_for_fence(vk_device *device, VkFence fence,
                           uint64_t timeout_ns);
/* vk_submit.c: take a context and start recording (begins with a global
 * barrier that makes earlier submissions' writes visible) ... */
cs_status vk_submit_begin(vk_device *device, vk_command_context **out_context);
/* Takes a context from the device's pool (made when the pool is empty),
 * not begun: for a holder that keeps it (a compute's dispatch cache) and
 * gives it back with vk_submit_give_back once it is idle. */
cs_status vk_submit_take(vk_device *device, vk_command_context **out_context);
/* What a submission uses and must outlive it when its wait times out. */
typedef struct vk_holds {
    cs_compute *compute;
    cs_resource *resources[2];
} vk_holds;
/* ... then end it (with a barrier to HOST), submit, wait, give it back. The
 * context is given back also on failure. holds NULL: wait forever (work
 * that cannot be parked: texture layout transitions); else wait up to the
 * device's wait timeout and, on CS_TIMEOUT, park the context with holds
 * retained (vk_park). */
cs_status vk_submit_and_wait(vk_device *device, vk_command_context *context,
                             const char *what, const vk_holds *holds);
/* Parks a context whose wait timed out: retains what holds names (may be
 * NULL); cache_of: the compute whose cached context it is (NULL: pooled). */
void vk_park(vk_device *device, vk_command_context *context,
             cs_compute *cache_of, const vk_holds *holds);
/* Reclaims the parked contexts whose fence signaled (cheap when none).
 * Call with no lock of the library held: it may release computes and
 * resources. */
void vk_pending_poll(vk_device *device);
/* Polls until *parked (a compute's count of parked submissions) is 0:
 * true then, false after timeout_ns or a device loss. */
bool vk_pending_wait(vk_device *device, atomic_int *parked,
                     uint64_t timeout_ns);
/* Runs one vkQueueBindSparse on the device's queue and waits for it. */
cs_status vk_submit_bind_sparse(vk_device *device, const VkBindSparseInfo *info,
                                const char *what);
/* Gives back a context taken with vk_submit_begin, ended and waited for;
 * destroyed instead when the free list already holds VK_MAX_FREE_CONTEXTS
 * (the list is bounded: a burst of threads or computes does not keep its
 * contexts forever). */
void vk_submit_give_back(vk_device *device, vk_command_context *context);
/* Gives back a context whose recording was abandoned. */
void vk_submit_abandon(vk_device *device, vk_command_context *context);
void vk_submit_destroy_contexts(vk_device *device);

/* vk_copy.c */
/* Records the copy (no barriers) into commands. */
cs_status vk_copy_record(VkCommandBuffer commands, const cs_resource *src,
                         const cs_resource *dst, const cs_copy_desc *desc);

/* vk_pipeline_cache.c: the shared pipeline for desc, from the device's
 * cache or made (with the device's VkPipelineCache) and cached. */
typedef struct vk_pipeline_desc {
    const uint32_t *spirv;
    size_t spirv_size; /* bytes */
    const char *entry_point;
    uint32_t push_size;
    const VkDescriptorSetLayoutBinding *bindings;
    const VkDescriptorBindingFlags *flags; /* used when uses_flags */
    uint32_t binding_count;
    uint32_t uses_flags;
    VkDescriptorSetLayoutCreateFlags layout_flags;
} vk_pipeline_desc;
cs_status vk_pipeline_acquire(vk_device *device, const vk_pipeline_desc *desc,
                              vk_pipeline_ref *out_ref);
void vk_pipeline_release(vk_pipeline_ref *ref);
/* Saves the VkPipelineCache and frees every pipeline: before
 * vkDestroyDevice, once no compute is left. */
void vk_pipelines_destroy(vk_device *device);

/* vk_compute.c */
/* Records bind (pipeline and set, unless the caller knows they are
 * bound) + push constants (compute->push_size bytes, padded by the core)
 * + dispatch into commands, no barriers. */
/* vk_shader_features.c: CS_ERROR_UNSUPPORTED when the prepared module
 * (words) uses storage images without a format and the device lacks the
 * feature; storage: the compute's storage bindings, to name the culprit. */
cs_status vk_check_storage_without_format(const cs_compute *compute,
                                          const cs_storage_binding *storage,
                                          size_t storage_count,
                                          const uint32_t *words,
                                          size_t word_count);
void vk_compute_record(const cs_compute *compute, VkCommandBuffer commands,
                       bool bind, const uint32_t groups[3],
                       const cs_resource *indirect, uint64_t indirect_offset,
                       const void *push, uint32_t push_size);

/* vk_command_list.c */
/* CS_OK when the device's queue writes timestamps, else
 * CS_ERROR_UNSUPPORTED naming the device. */
cs_status vk_timestamps_check(vk_device *device);
/* Ticks between two timestamps in ns. */
uint64_t vk_timestamp_ns(const vk_device *device, uint64_t start, uint64_t end);

#endif
