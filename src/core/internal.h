/*
 * internal.h - the core's object layouts and the helpers every part of the
 * library (core, shader, backends) shares. Not installed; never included by
 * the Python binding.
 *
 * Each public object is a core struct that holds what the core validates
 * against (descs, infos, references) plus one `impl` pointer owned by the
 * backend. The backend never sees Python and the core never sees Vulkan.
 */
#ifndef CS_INTERNAL_H
#define CS_INTERNAL_H

#include "../common/common.h"

#include "../platform/platform.h"
#include <stdatomic.h>

typedef struct cs_backend cs_backend;

struct cs_instance {
    atomic_int refcount;
    /* the table the core calls: fork.c's guarded one (or, in a fork()ed
     * child, its inherited one) in front of own_backend, the registered
     * backend's own table (backend_registry.c) */
    const cs_backend *backend;
    const cs_backend *own_backend;
    uint32_t flags;
    void *impl;
    size_t device_count;
    cs_device *devices; /* array of device_count, owned */
    /* validation messages, pushed from any thread by the backend */
    cs_mutex debug_lock;
    char **debug_messages;
    size_t debug_count, debug_capacity;
    /* fork.c: the process that created it, its link in the list of live
     * instances, and whether this copy is a fork()ed child's */
    int creator_pid;
    cs_instance *next_live;
    bool inherited;
};

struct cs_device {
    cs_instance *instance; /* not a counted reference: devices live in it */
    size_t index;
    cs_device_info info;
    void *impl;
    /* cs_device_set_wait_timeout(): 0 = forever */
    _Atomic uint64_t wait_timeout_ns;
};

struct cs_heap {
    atomic_int refcount;
    cs_device *device;
    cs_heap_type type;
    uint64_t size;
    void *impl;
};

struct cs_resource {
    atomic_int refcount;
    cs_device *device;
    cs_resource_info info; /* size, row_pitch, ... filled by the core;
                              heap_size (and tiles) by the backend */
    cs_heap *heap;         /* counted reference, or NULL */
    uint64_t heap_offset;
    bool sparse;
    void *mapped; /* UPLOAD/READBACK buffers: set by the backend */
    void *impl;
    /* Sparse resources: bytes of one tile in a heap (set by the backend),
     * and the heap each tile is mapped to (counted references, NULL =
     * unmapped), indexed by ((slice * tiles_z + z) * tiles_y + y) *
     * tiles_x + x; allocated on the first bind. tile_lock guards tile_heaps and
     * orders the binds of this resource; it is initialized only for sparse
     * resources. */
    uint64_t tile_size;
    cs_heap **tile_heaps;
    cs_mutex tile_lock;
};

struct cs_sampler {
    atomic_int refcount;
    cs_device *device;
    cs_sampler_desc desc; /* resolved: no zero-means-default left */
    void *impl;
};

/* One descriptor the compute binds, resolved and checked by the core. */
typedef struct cs_bound_slot {
    cs_shader_binding binding;
    cs_resource *resource; /* for everything but samplers */
    cs_sampler *sampler;   /* for samplers */
} cs_bound_slot;

struct cs_compute {
    atomic_int refcount;
    cs_device *device;
    cs_shader_reflection reflection;
    /* valid during compute_create only: the checked SPIR-V module (storage
     * image formats patched to the resources bound), and the same code in
     * a format the device takes (code_format: one bit of
     * info.shader_formats; code == spirv when that is SPIR-V, else
     * nul-terminated source text of code_size bytes) */
    const void *spirv;
    size_t spirv_size;
    cs_shader_format code_format;
    const void *code;
    size_t code_size;
    const char *entry_point; /* reflection.entry_point */
    uint32_t push_size;
    bool bindless;
    uint32_t max_bindless;
    cs_bound_slot *slots; /* slot_count, every binding of the shader */
    uint32_t slot_count;
    /* counted references the compute keeps (the lists it was given) */
    cs_resource **held_resources;
    uint32_t held_resource_count;
    cs_sampler **held_samplers;
    uint32_t held_sampler_count;
    /* bindless: 3 * max_bindless references (b, t, u), the last resource
     * bound at each index, or NULL */
    cs_resource **bound;
    cs_mutex bind_lock; /* bindless: bound resources change */
    void *impl;
};

/* One object a command list keeps alive (counted reference). */
typedef enum cs_held_kind {
    CS_HELD_COMPUTE,
    CS_HELD_RESOURCE,
} cs_held_kind;

typedef struct cs_held_object {
    cs_held_kind kind;
    void *object;
} cs_held_object;

struct cs_command_list {
    atomic_int refcount;
    cs_device *device;
    uint32_t flags; /* CS_COMMAND_LIST_* */
    /* Everything below is guarded by lock (held while recording, while
     * submitting and while waiting for the GPU). */
    cs_mutex lock;
    uint32_t command_count;
    bool closed;          /* submitted since the last reset: no more records */
    uint64_t submitted;   /* serial of the last submission, 0 = none */
    uint64_t completed;   /* serial of the last one known finished */
    cs_fence *last_fence; /* the fence of `submitted`, not counted: a fence
                             clears it when released */
    cs_held_object *held;
    size_t held_count, held_capacity;
    void *impl;
};

struct cs_fence {
    cs_command_list *list; /* counted reference */
    uint64_t serial;
    atomic_bool done;
    /* timestamps of the submission, read once it is done (under the list's
     * lock): total and per command, in ns; times_valid once read */
    bool times_valid;
    uint64_t total_ns;
    uint64_t *command_ns; /* command_count of the list at submit */
    uint32_t command_count;
};

/* >>checks shared by the immediate calls and the command lists: each
 * returns CS_OK or the cs_fail() of the immediate call. */
/* Group counts within the device's limits. */
cs_status cs_check_dispatch(const cs_compute *compute,
                            const uint32_t groups[3]);
/* The indirect buffer, offset and 12 bytes of group counts. */
cs_status cs_check_dispatch_indirect(const cs_compute *compute,
                                     const cs_resource *indirect_buffer,
                                     uint64_t offset);
/* Push data fits the compute's push_size. */
cs_status cs_check_push(const cs_compute *compute, const void *push,
                        size_t push_size);
/* The core is the one owner of push-constant padding: backends always get
 * exactly compute->push_size bytes. cs_push_pad() points *out_push at
 * push when it is that long, else at a zero-padded copy in buffer (free
 * buffer->heap afterwards); NULL when the compute has no push constants.
 * push_size is checked (cs_check_push). */
typedef struct cs_push_buffer {
    unsigned char stack[256];
    void *heap;
} cs_push_buffer;
cs_status cs_push_pad(const cs_compute *compute, const void *push,
                      size_t push_size, cs_push_buffer *buffer,
                      const void **out_push);
/* Checks a copy and resolves desc_in (may be NULL) into *out_desc: no
 * zero-means-whole left. *out_empty is true for a buffer copy with nothing
 * left to copy (Vulkan forbids size 0: callers skip it). */
cs_status cs_copy_resolve(const cs_resource *src, const cs_resource *dst,
                          const cs_copy_desc *desc_in, cs_copy_desc *out_desc,
                          bool *out_empty);

struct cs_swapchain {
    atomic_int refcount;
    cs_device *device;
    cs_swapchain_desc desc; /* resolved: num_buffers set */
    /* the images' size, set by the backend at creation and whenever it
     * recreates the swapchain (read without the lock) */
    atomic_uint width, height;
    /* set by the backend: the surface's modes (bit 1u << mode), and the
     * recreations after the first build */
    uint32_t present_modes;
    atomic_uint_least64_t recreate_count;
    cs_mutex present_lock; /* one present at a time */
    void *impl;
};

/* >>fork (fork.c): cs_fork_track() puts a new instance on the list whose
 * members a fork()ed child switches to a backend that refuses every
 * operation (cs_refuse_inherited()'s error) and destroys nothing;
 * cs_fork_untrack() takes it off when it is destroyed. Host access to
 * mapped memory checks `instance->inherited` itself. */
cs_status cs_fork_guard(cs_instance *instance); /* before instance_create:
    the backend's calls become readers of the lock fork() writes */
cs_status cs_fork_track(cs_instance *instance);
void cs_fork_untrack(cs_instance *instance);
cs_status cs_refuse_inherited(const cs_instance *instance);
/* True in a process made by fork() from one that had instances (and in its
 * own forked children): some drivers refuse a new device there. */
bool cs_fork_inherited_any(void);
/* Whether fork.c's guarded and inherited tables have every entry of real
 * (a test's check). */
bool cs_fork_tables_cover(const cs_backend *real);

/* Adds a validation message to the instance's list (thread safe). */
void cs_instance_push_debug_message(cs_instance *instance, const char *message);

/* >>shader formats (shader_format.c) */
/* Compiles code of a source format (GLSL, HLSL, WGSL) to SPIR-V with
 * cs_shader_compile (*out_spirv malloc'd); CS_ERROR_UNSUPPORTED for a
 * format the library cannot compile (MSL), CS_ERROR_INVALID_ARGUMENT for an
 * unknown one. Not for SPIR-V itself. */
cs_status cs_shader_to_spirv(cs_shader_format format, const void *code,
                             size_t size, const char *entry_point,
                             void **out_spirv, size_t *out_size);
/* Picks the best format of the `taken` bits that SPIR-V can become (SPIR-V
 * itself first: *out_code NULL, *out_size module->spirv_size) and converts
 * module (its spirv, entry point and storage formats; language unused) to
 * it with cs_shader_cross_compile (*out_code malloc'd, nul-terminated).
 * None: CS_ERROR_UNSUPPORTED naming taker ("device 'X' (the opengl
 * backend)") and the formats it takes. */
cs_status cs_shader_from_spirv(const cs_shader_cross_desc *module,
                               uint32_t taken, const char *taker,
                               cs_shader_format *out_format, char **out_code,
                               size_t *out_size);
/* "SPIR-V, GLSL" for a set of CS_SHADER_FORMAT_* bits ("none": 0). */
void cs_shader_format_list(uint32_t formats, char *text, size_t size);

/* sparse.c: set up / tear down a sparse resource's tile bookkeeping (after
 * the backend created it / after the backend destroyed it). */
cs_status cs_sparse_init(cs_resource *resource);
void cs_sparse_destroy(cs_resource *resource);

/* >>host copies (host_copy.c): copies of CS_HOST_COPY_SPLIT_BYTES and more
 * are split over a few threads; cs_host_copy_threads() says how many a
 * large copy uses (1: plain memcpy). */
enum { CS_HOST_COPY_SPLIT_BYTES = 4 << 20 };
void cs_host_copy(void *dst, const void *src, size_t size);
size_t cs_host_copy_threads(void);

/* Names for messages: "HEAP_UPLOAD", "Texture2D". */
const char *cs_heap_type_name(cs_heap_type type);
const char *cs_resource_kind_name(cs_resource_kind kind);

/* What a format's texels are to a shader: FLOAT for float, UNORM, SNORM
 * and sRGB formats, SINT/UINT for integer ones (NONE when unknown), and
 * how many components it has (R32G32_UINT: 2). */
cs_component_type cs_format_component_type(cs_format format);
uint32_t cs_format_component_count(cs_format format);

/* >>format support (format_support.c) */
/* What one cs_format_support bit is, for messages. */
const char *cs_format_support_name(uint32_t bit);
/* A resource (info filled, format known) may be created: its format can
 * be read or written (a texture: TEXTURE_SRV or _UAV, a typed buffer:
 * BUFFER_SRV or _UAV); else the failure naming the format, the use, the
 * device and what to do. */
cs_status cs_format_check_resource(const cs_device *device,
                                   const cs_resource_info *info);
/* resource's format has the cs_format_support bit on device; else the
 * failure, what naming where it is used ("register u0"). */
cs_status cs_format_check_use(const cs_device *device,
                              const cs_resource *resource, uint32_t bit,
                              const char *what);
const char *cs_component_type_name(cs_component_type type);

#endif
