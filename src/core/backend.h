/*
 * backend.h - the table of functions a backend implements.
 *
 * The core validates every argument before it calls through this table, so a
 * backend may assume: sizes, offsets and boxes are in bounds; formats are
 * known (cs_format_texel_size() > 0) and only the device's support of them is
 * left to check; heaps match the resource's type and have room; a compute's
 * slots match its shader's bindings in type. A backend reports failures with
 * cs_fail() and leaves no half-made object behind.
 *
 * Objects arrive filled by the core (device, info, heap, ...) with impl NULL;
 * create functions set impl, destroy functions free it. Destroy functions are
 * called once, when the last reference goes, and never for an object whose
 * create failed.
 *
 * Thread safety: every function may be called concurrently from several
 * threads, on the same device too; the backend synchronizes its own shared
 * state (queues, pools).
 */
#ifndef CS_BACKEND_H
#define CS_BACKEND_H

#include "internal.h"

/* >>the entries: one list, from which everything else is made.
 *
 * CS_BACKEND_ENTRIES(X, with) calls X once per entry, in table order:
 *
 *     X(with, returns, name, params, args, object, capability)
 *
 *   with        passed through (the backend prefix of CS_BACKEND_DECLARE)
 *   returns     the return type: cs_status or void
 *   name        the member of struct cs_backend; a backend's function is
 *               <prefix>_<name> (vk_resource_create, in vk_resource.c)
 *   params      the parameter list, as in a prototype
 *   args        the parameters' names, to forward a call (fork.c)
 *   object      the parameter the call is about, which leads to the
 *               instance (fork.c: its own backend, its creator's pid)
 *   capability  cs_status entries: what a backend without it lacks
 *               ("<capability>: not supported by the <name> backend");
 *               "" for the others
 *
 * Generated from it: the members of struct cs_backend, each backend's
 * prototypes (CS_BACKEND_DECLARE(vk) -> cs_status vk_resource_create(
 * cs_resource *resource); ...) and table (CS_BACKEND_TABLE(vk)), and
 * fork.c's guarded and inherited tables.
 *
 * Every backend defines every entry: CS_BACKEND_TABLE names them all, so
 * one missing is a link error naming it, one with the wrong signature a
 * compile error. A capability the backend lacks is an entry that fails
 * with CS_ERROR_UNSUPPORTED and "<what>: not supported by the <name>
 * backend" (the OpenGL backend's swapchains), a destroy that does nothing.
 * (A table written by hand, as tests do, may leave an entry NULL: fork.c's
 * guarded table then gives that message itself, or does nothing for a
 * void entry.)
 *
 * Adding an entry: one X(...) below, with its doc comment; then each
 * backend defines <prefix>_<name>. fork.c follows by itself for cs_status
 * and void entries; another return type needs its guarded_ and inherited_
 * functions written there (the build says so). */
/* clang-format off */
#define CS_BACKEND_ENTRIES(X, with)                                            \
    /* Starts the API and fills instance->devices / device_count (array        \
     * allocated with calloc, each device's info and impl set; instance and    \
     * index set). Logical devices may be created lazily on first use. */      \
    X(with, cs_status, instance_create, (cs_instance *instance), (instance),   \
      instance, "starting an instance")                                        \
    /* Waits for the GPU to go idle and frees everything, devices included     \
     * (the core frees the devices array itself afterwards). */                \
    X(with, void, instance_destroy, (cs_instance *instance), (instance),       \
      instance, "")                                                            \
                                                                               \
    X(with, cs_status, heap_create, (cs_heap *heap), (heap), heap, "heaps")    \
    X(with, void, heap_destroy, (cs_heap *heap), (heap), heap, "")             \
                                                                               \
    /* Buffers and textures. Must set resource->info.heap_size and, for        \
     * UPLOAD/READBACK buffers, resource->mapped (persistently mapped).        \
     * Sparse resources also set info.tiles_*, info.tile_* and tile_size;      \
     * they get no memory here (heap is NULL): resource_bind_tile maps it. */  \
    X(with, cs_status, resource_create, (cs_resource *resource), (resource),   \
      resource, "creating resources")                                          \
    X(with, void, resource_destroy, (cs_resource *resource), (resource),       \
      resource, "")                                                            \
    /* Sparse resources: maps one tile (in tile units; x only for buffers)     \
     * onto heap at heap_offset, or unmaps it when heap is NULL; in effect     \
     * when it returns. Everything is checked: the resource is sparse, the     \
     * tile and slice are in range, the heap is a DEFAULT heap of the same     \
     * device with tile_size bytes at the tile-aligned heap_offset. Calls      \
     * for one resource never overlap (the core holds its tile_lock). */       \
    X(with, cs_status, resource_bind_tile,                                     \
      (cs_resource *resource, uint32_t x, uint32_t y, uint32_t z,              \
       uint32_t slice, cs_heap *heap, uint64_t heap_offset),                   \
      (resource, x, y, z, slice, heap, heap_offset),                           \
      resource, "sparse resources (tile mapping)")                             \
                                                                               \
    /* Make CPU writes of [offset, offset+size) in a mapped buffer visible     \
     * to the device / device writes visible to the CPU. No-ops on             \
     * coherent memory. */                                                     \
    X(with, cs_status, buffer_flush,                                           \
      (cs_resource *buffer, uint64_t offset, uint64_t size),                   \
      (buffer, offset, size), buffer, "flushing mapped buffers")               \
    X(with, cs_status, buffer_invalidate,                                      \
      (cs_resource *buffer, uint64_t offset, uint64_t size),                   \
      (buffer, offset, size), buffer, "invalidating mapped buffers")           \
                                                                               \
    /* A GPU copy, waited for. desc is resolved: no zero-means-whole left      \
     * (size, width, height, depth are the real amounts). */                   \
    X(with, cs_status, copy,                                                   \
      (cs_resource *src, cs_resource *dst, const cs_copy_desc *desc),          \
      (src, dst, desc), src, "GPU copies")                                     \
                                                                               \
    /* *out_support = what the device can do with format, as                  \
     * cs_format_support bits (Vulkan: its format features; OpenGL: what      \
     * 4.5 allows and the driver says). format is known. Cheap and            \
     * thread-safe; needs no logical device. The core's one check of          \
     * formats asks it (format_support.c). */                                 \
    X(with, cs_status, format_support,                                         \
      (const cs_device *device, cs_format format, uint32_t *out_support),      \
      (device, format, out_support), device, "format support queries")        \
                                                                               \
    X(with, cs_status, sampler_create, (cs_sampler *sampler), (sampler),       \
      sampler, "samplers")                                                     \
    X(with, void, sampler_destroy, (cs_sampler *sampler), (sampler), sampler,  \
      "")                                                                      \
                                                                               \
    /* compute->spirv/spirv_size (the module as given, 4-aligned and           \
     * reflected), code/code_size/code_format (the same in a format of the     \
     * device's info.shader_formats), reflection, slots, push_size,            \
     * bindless and max_bindless are set; the backend builds the pipeline      \
     * and writes the descriptors of every slot. A backend taking SPIR-V       \
     * hands its driver cs_spirv_prepare_storage_formats() of the module       \
     * (storage images declare the formats bound, validated;                   \
     * src/shader/shader.h, over cs_compute_storage_bindings()) and checks     \
     * the device features that module needs. */                               \
    X(with, cs_status, compute_create, (cs_compute *compute), (compute),       \
      compute, "computes")                                                     \
    X(with, void, compute_destroy, (cs_compute *compute), (compute), compute,  \
      "")                                                                      \
    /* Records and runs one dispatch, waits for it. indirect is NULL for a     \
     * direct dispatch (groups used), else the groups are read at              \
     * indirect_offset. push holds exactly compute->push_size bytes (NULL      \
     * when push_size is 0), zero-padded by the core (the one owner of         \
     * padding). out_gpu_ns NULL: no timing; else the dispatch is timed        \
     * with timestamps (CS_ERROR_UNSUPPORTED without them) and its GPU time    \
     * in ns written there. */                                                 \
    X(with, cs_status, compute_dispatch,                                       \
      (cs_compute *compute, const uint32_t groups[3], cs_resource *indirect,   \
       uint64_t indirect_offset, const void *push, uint64_t *out_gpu_ns),      \
      (compute, groups, indirect, indirect_offset, push, out_gpu_ns),          \
      compute, "dispatches")                                                   \
    /* Bindless: write one descriptor of the array at binding. */              \
    X(with, cs_status, compute_bind,                                           \
      (cs_compute *compute, const cs_shader_binding *binding, uint32_t index,  \
       cs_resource *resource),                                                 \
      (compute, binding, index, resource), compute, "bindless descriptors")    \
                                                                               \
    /* Tests of device-loss handling: let the device go idle, then behave      \
     * as if it had reported a loss. */                                        \
    X(with, void, device_simulate_lost, (cs_device *device), (device),         \
      device, "")                                                              \
                                                                               \
    /* Command lists. The core holds list->lock around every call below        \
     * but command_list_destroy (called once, nothing else running), has       \
     * checked every argument (objects of the list's device) and keeps the     \
     * references. create: flags are set; CS_COMMAND_LIST_TIMESTAMPS fails     \
     * with CS_ERROR_UNSUPPORTED on devices without them. */                   \
    X(with, cs_status, command_list_create, (cs_command_list *list), (list),   \
      list, "command lists")                                                   \
    X(with, void, command_list_destroy, (cs_command_list *list), (list),       \
      list, "")                                                                \
    /* Record one command (after a global barrier when not the first);         \
     * push holds push_size == compute->push_size bytes (NULL when 0),         \
     * zero-padded by the core (the one owner of padding), valid during the    \
     * call only: the backend copies what it needs later. */                   \
    X(with, cs_status, command_list_dispatch,                                  \
      (cs_command_list *list, cs_compute *compute, const uint32_t groups[3],   \
       cs_resource *indirect, uint64_t indirect_offset, const void *push,      \
       size_t push_size),                                                      \
      (list, compute, groups, indirect, indirect_offset, push, push_size),     \
      list, "dispatches in command lists")                                     \
    X(with, cs_status, command_list_copy,                                      \
      (cs_command_list *list, cs_resource *src, cs_resource *dst,              \
       const cs_copy_desc *desc),                                              \
      (list, src, dst, desc), list, "copies in command lists")                 \
    /* Ends the recording when still open and submits. The previous            \
     * submission is finished (the core waited for it). */                     \
    X(with, cs_status, command_list_submit, (cs_command_list *list), (list),   \
      list, "submitting command lists")                                        \
    /* Waits up to timeout_ns for the last submission: CS_OK, CS_TIMEOUT     \
     * (bare: the core words it) or a failure. timeout 0 only looks;          \
     * UINT64_MAX waits forever (the core has put the device's wait timeout   \
     * in its place where there is one). */                                  \
    X(with, cs_status, command_list_wait,                                      \
      (cs_command_list *list, uint64_t timeout_ns), (list, timeout_ns), list,  \
      "waiting for command lists")                                             \
    /* After the last submission finished: the total GPU time and, for         \
     * count commands (<= command_count), each command's, in ns. */            \
    X(with, cs_status, command_list_read_times,                                \
      (cs_command_list *list, uint64_t *out_total_ns,                          \
       uint64_t *out_command_ns, uint32_t count),                              \
      (list, out_total_ns, out_command_ns, count), list,                       \
      "command list timestamps")                                               \
    /* Nothing submitted is running: forget the commands, record again. */     \
    X(with, cs_status, command_list_reset, (cs_command_list *list), (list),    \
      list, "resetting command lists")                                         \
                                                                               \
    /* Swapchains. desc is checked (platform known, handles not NULL,          \
     * format known, 1 <= num_buffers <= 16); create sets width/height. */     \
    X(with, cs_status, swapchain_create, (cs_swapchain *swapchain),            \
      (swapchain), swapchain, "presenting to windows (swapchains)")            \
    X(with, void, swapchain_destroy, (cs_swapchain *swapchain), (swapchain),   \
      swapchain, "")                                                           \
    /* texture is a 2D texture of the swapchain's device; calls for one        \
     * swapchain never overlap (the core holds its present_lock). */           \
    X(with, cs_status, swapchain_present,                                      \
      (cs_swapchain *swapchain, cs_resource *texture, uint32_t x, uint32_t y), \
      (swapchain, texture, x, y), swapchain,                                   \
      "presenting to windows (swapchains)")                                    \
    /* Rebuilds the images for the window's size now (desc.width/height        \
     * already updated); under the present_lock too. */                        \
    X(with, cs_status, swapchain_recreate, (cs_swapchain *swapchain),          \
      (swapchain), swapchain, "recreating swapchains")
/* clang-format on */

#define CS_BACKEND_MEMBER(with, returns, name, params, args, object, what)     \
    returns(*name) params;
#define CS_BACKEND_PROTOTYPE(prefix, returns, name, params, args, object,      \
                             what)                                             \
    returns prefix##_##name params;
#define CS_BACKEND_INITIALIZER(prefix, returns, name, params, args, object,    \
                               what)                                           \
    .name = prefix##_##name,

/* The prototypes of a backend's entries: CS_BACKEND_DECLARE(vk) declares
 * vk_instance_create, vk_instance_destroy, ... (in its internal header, so
 * a definition of another signature does not compile). */
#define CS_BACKEND_DECLARE(prefix)                                             \
    CS_BACKEND_ENTRIES(CS_BACKEND_PROTOTYPE, prefix)
/* The initializers of a backend's table, every entry prefix_<entry>:
 *     const cs_backend cs_vulkan_backend = {.name = "vulkan",
 *                                           CS_BACKEND_TABLE(vk)};       */
#define CS_BACKEND_TABLE(prefix)                                               \
    CS_BACKEND_ENTRIES(CS_BACKEND_INITIALIZER, prefix)

struct cs_backend {
    const char *name;
    CS_BACKEND_ENTRIES(CS_BACKEND_MEMBER, )
};

/* >>helpers for backends (compute.c) */

/* The storage images and texel buffers of a compute that have a resource
 * bound, for cs_spirv_prepare_storage_formats(): *out_bindings malloc'd
 * (free it; NULL when there are none). */
cs_status cs_compute_storage_bindings(const cs_compute *compute,
                                      cs_storage_binding **out_bindings,
                                      size_t *out_count);

/* >>registry (backend_registry.c): the backends compiled in, from the one
 * list src/backends/backends.def, in order of preference. Each backend
 * folder defines `const cs_backend cs_<name>_backend`. */
/* The index-th backend compiled in, or NULL past the last. */
const cs_backend *cs_backend_registered(size_t index);
/* The backend compiled in named name (NULL or "": the first); else
 * CS_ERROR_INVALID_ARGUMENT whose message lists the ones compiled in and
 * tells an unknown name from a backend this build left out. */
cs_status cs_backend_find(const char *name, const cs_backend **out_backend);

#endif
