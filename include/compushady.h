/*
 * compushady.h - run GPU compute shaders from C.
 *
 * The whole public C API of the compushady core library. The Python module
 * is built on this header alone.
 *
 * Conventions, for every function below:
 * - Functions that can fail return a cs_status. CS_OK (0) is success; on any
 *   other value nothing was created or changed, and cs_last_error() returns
 *   a readable message describing the failure (what was wrong, and what was
 *   expected). The message is per thread and is overwritten by the next
 *   failing call on that thread.
 * - Out-parameters are written only on success.
 * - Objects (cs_instance, cs_resource, cs_sampler, cs_heap, cs_compute,
 *   cs_swapchain) are reference counted. A create function gives the
 *   caller one reference; cs_*_release() drops it. Objects that use other
 *   objects keep their own
 *   references (a compute keeps its resources, a resource keeps its heap,
 *   every object keeps its device's instance), so the release order never
 *   matters. Releasing NULL does nothing.
 * - Devices (cs_device) belong to their instance and live as long as it.
 * - Thread safety: every function may be called from any thread at the same
 *   time, on the same or different objects, except that one object must not
 *   be released while another thread is still using it through the same
 *   reference. Functions that wait for the GPU block only the calling thread.
 * - Zero means "default" in every desc struct; each struct says its defaults.
 * - Sizes and offsets are in bytes, as uint64_t.
 *
 * The library never prints, except the debug messages of the validation
 * layer, and only when asked (CS_INSTANCE_DEBUG) and never to stdout: they are
 * collected and returned by cs_device_take_debug_messages().
 *
 * SPIR-V binding convention (for people who bring their own SPIR-V):
 * descriptor set 0; HLSL register bN -> binding N, tN -> 1024+N,
 * uN -> 2048+N, sN -> 3072+N. Push constants: one block, offset 0.
 */
#ifndef COMPUSHADY_H
#define COMPUSHADY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compushady_formats.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(CS_BUILD_DLL)
#define CS_API __declspec(dllexport) /* building compushady.dll */
#elif defined(_WIN32)
#define CS_API /* the import library resolves the calls */
#elif defined(__GNUC__)
#define CS_API __attribute__((visibility("default")))
#else
#define CS_API
#endif

#define CS_VERSION_MAJOR 0
#define CS_VERSION_MINOR 17
#define CS_VERSION_PATCH 6

/* >>status ---------------------------------------------------------------- */

typedef enum cs_status {
    CS_OK = 0,
    /* An argument is out of range, inconsistent or of the wrong kind
     * (zero size, unknown heap type, offset past the end, ...). */
    CS_ERROR_INVALID_ARGUMENT,
    /* The device or this build lacks a capability the call needs (a format
     * for a usage, sparse binding, a shader language, ...). */
    CS_ERROR_UNSUPPORTED,
    /* The shader's declared bindings and the given resources disagree. */
    CS_ERROR_BINDING_MISMATCH,
    /* A shader failed to compile; the message holds the diagnostics. */
    CS_ERROR_SHADER_COMPILE,
    /* A SPIR-V blob is malformed or uses something the library cannot use. */
    CS_ERROR_INVALID_SHADER,
    /* Host memory could not be allocated. */
    CS_ERROR_OUT_OF_HOST_MEMORY,
    /* Device memory could not be allocated. */
    CS_ERROR_OUT_OF_DEVICE_MEMORY,
    /* The device was lost (VK_ERROR_DEVICE_LOST, a driver watchdog...);
     * every later call on it fails with this, uploads and readbacks
     * included; releases, cs_device_get_info() and debug messages still
     * work. Create a new instance to use the GPU again. */
    CS_ERROR_DEVICE_LOST,
    /* No usable backend, driver or device. */
    CS_ERROR_NO_DEVICE,
    /* The operation is not valid for this object (upload to a device-local
     * buffer, binding a texture where a buffer is needed, ...). */
    CS_ERROR_INVALID_OPERATION,
    /* The backend API failed in a way not listed above. */
    CS_ERROR_BACKEND,
    /* Not a failure of the object: a wait gave up after its timeout and
     * the GPU work is still running (cs_last_error() says so):
     * cs_fence_wait()'s own timeout, or the device's wait timeout
     * (cs_device_set_wait_timeout()) in a call that waits for the GPU. */
    CS_TIMEOUT,
    /* A swapchain made with CS_SWAPCHAIN_MANUAL_RECREATE no longer matches
     * its window (resized, VK_ERROR_OUT_OF_DATE_KHR or VK_SUBOPTIMAL_KHR):
     * nothing was shown; call cs_swapchain_recreate(), then present again. */
    CS_ERROR_OUT_OF_DATE,
} cs_status;

/* The message of the last failure on this thread ("" when none). The string
 * stays valid until the next failing call on this thread. */
CS_API const char *cs_last_error(void);

/* A short constant name for a status ("CS_ERROR_INVALID_ARGUMENT"). */
CS_API const char *cs_status_name(cs_status status);

/* >>constants ------------------------------------------------------------- */

/* Heap types; the values match the Python module's HEAP_* constants. */
typedef enum cs_heap_type {
    CS_HEAP_DEFAULT = 0,  /* device-local memory, not visible to the CPU */
    CS_HEAP_UPLOAD = 1,   /* host-visible memory the CPU writes */
    CS_HEAP_READBACK = 2, /* host-visible, host-cached memory the CPU reads */
} cs_heap_type;

/* Texel formats use the DXGI numbering of compushady.formats (e.g.
 * R32G32B32A32_FLOAT = 2, R8G8B8A8_UNORM = 28, R32_UINT = 42), named
 * CS_FORMAT_<name> by compushady_formats.h, the one list of formats; 0 is
 * "no format". cs_format_texel_size() gives 0 for an unknown format. */
typedef uint32_t cs_format;
/* Bytes per texel of a format (4 for R8G8B8A8_UNORM); 0 when unknown. */
CS_API uint32_t cs_format_texel_size(cs_format format);
/* The DXGI name without prefix ("R8G8B8A8_UNORM"), or NULL when unknown. */
CS_API const char *cs_format_name(cs_format format);

typedef enum cs_resource_kind {
    CS_RESOURCE_BUFFER = 0,
    CS_RESOURCE_TEXTURE1D,
    CS_RESOURCE_TEXTURE2D,
    CS_RESOURCE_TEXTURE3D,
} cs_resource_kind;

typedef enum cs_filter {
    CS_FILTER_POINT = 0,
    CS_FILTER_LINEAR = 1,
} cs_filter;

typedef enum cs_address_mode {
    CS_ADDRESS_MODE_WRAP = 0,
    CS_ADDRESS_MODE_MIRROR = 1,
    CS_ADDRESS_MODE_CLAMP = 2,
} cs_address_mode;

/* >>instance and devices -------------------------------------------------- */

typedef struct cs_instance cs_instance;
typedef struct cs_device cs_device;

enum {
    /* Enable the Vulkan validation layer (when installed) and collect its
     * messages; see cs_device_take_debug_messages(). */
    CS_INSTANCE_DEBUG = 1u << 0,
};

/* The number of backends compiled into this library
 * (src/backends/backends.def and the build's choice); at least 1. */
CS_API size_t cs_backend_count(void);
/* The index-th backend compiled in, in order of preference ("vulkan",
 * ...), for index < cs_backend_count(); NULL past the last. The first is
 * the default of cs_instance_create(). */
CS_API const char *cs_backend_name(size_t index);

typedef struct cs_instance_desc {
    uint32_t flags;      /* CS_INSTANCE_*; default 0 */
    const char *backend; /* backend name, one of cs_backend_name()'s; NULL or
                            "" (default) = the first compiled in */
    /* The wait timeout of every device of the instance (see
     * cs_device_set_wait_timeout()); 0 (default) = wait forever. */
    uint64_t wait_timeout_ns;
} cs_instance_desc;

/* Creates an instance and discovers its devices. desc may be NULL (all
 * defaults). Fails with CS_ERROR_NO_DEVICE when no backend can start (the
 * Vulkan loader libvulkan.so.1, opened here the first time, or a driver is
 * missing: the message names the package to install; the environment
 * variable COMPUSHADY_VULKAN_LIBRARY names another loader file), and
 * CS_ERROR_INVALID_ARGUMENT for a backend name not compiled in (the message
 * lists those that are). An instance with
 * zero devices is not an error.
 * fork(): in a child, every object of an instance created before the fork
 * fails with CS_ERROR_BACKEND ("inherited through fork()") and its releases
 * reach no driver; create a new instance in the child (where the driver
 * allows). Such a child's exit() ends with _exit(status) once the handlers
 * registered since the fork have run. fork() waits for the calls into the
 * driver in flight on other threads (docs/decisions.md, "fork()"). */
CS_API cs_status cs_instance_create(const cs_instance_desc *desc,
                                    cs_instance **out_instance);
CS_API void cs_instance_retain(cs_instance *instance);
CS_API void cs_instance_release(cs_instance *instance);
/* The backend's name ("vulkan"). */
CS_API const char *cs_instance_backend_name(const cs_instance *instance);
/* True when the instance collects validation messages: CS_INSTANCE_DEBUG
 * was asked and the validation layer is installed. Without the layer the
 * instance runs as if CS_INSTANCE_DEBUG had not been given; this says so,
 * so that the caller can warn. */
CS_API bool cs_instance_debug_enabled(const cs_instance *instance);
/* The number of devices the instance discovered (may be 0). */
CS_API size_t cs_instance_device_count(const cs_instance *instance);
/* The index-th device, or NULL when index >= cs_instance_device_count(). */
CS_API cs_device *cs_instance_get_device(cs_instance *instance, size_t index);

typedef struct cs_device_info {
    char name[256];
    uint64_t dedicated_video_memory;  /* device-local heaps, discrete GPUs */
    uint64_t dedicated_system_memory; /* always 0 on Vulkan */
    uint64_t shared_system_memory;    /* host memory the device can use */
    uint32_t vendor_id;
    uint32_t device_id;
    bool is_hardware; /* false for CPU implementations (lavapipe) */
    bool is_discrete;
    /* capabilities that change what the library accepts */
    bool supports_sparse;
    bool supports_bindless;
    bool supports_float16;
    bool supports_storage_image_without_format;       /* read and write */
    bool supports_storage_image_write_without_format; /* write only */
    uint32_t max_push_constants_size;
    uint32_t max_compute_workgroup_count[3];
    uint32_t max_compute_workgroup_size[3];
    uint64_t max_buffer_size;
    uint32_t max_image_dimension_1d, max_image_dimension_2d;
    uint32_t max_image_dimension_3d, max_image_array_layers;
    uint32_t max_texel_buffer_elements;
    uint32_t max_uniform_buffer_range; /* bytes a cbuffer binding sees */
    /* threads of one workgroup (x*y*z) and bytes of its groupshared
     * memory; cs_compute_create refuses shaders over them */
    uint32_t max_compute_workgroup_invocations;
    uint32_t max_compute_shared_memory_size;
    /* the CS_SHADER_FORMAT_* bits the device's backend takes (Vulkan:
     * SPIR-V); cs_compute_create converts the code it is given to one of
     * them */
    uint32_t shader_formats;
    /* resources can be placed in heaps (cs_heap_create, aliasing); the
     * OpenGL backend cannot */
    bool supports_heaps;
} cs_device_info;

/* How long a call that waits for the GPU on its own (dispatch, copy,
 * command list submit without a fence, reset and release, cs_fence_wait()
 * with UINT64_MAX) waits before it returns CS_TIMEOUT; 0 = forever (the
 * default). The GPU work is not stopped (no preemption): it goes on, and
 * the library keeps its command buffer and the objects it uses alive until
 * it ends. Creating a texture and binding sparse tiles (work queued behind
 * the rest) always wait. Any thread, any time; applies to waits that start
 * afterwards. */
CS_API void cs_device_set_wait_timeout(cs_device *device, uint64_t timeout_ns);
CS_API uint64_t cs_device_get_wait_timeout(const cs_device *device);

/* For tests of device-loss handling: waits for the device to go idle, then
 * marks it lost as if Vulkan had reported VK_ERROR_DEVICE_LOST; every later
 * call on it fails with CS_ERROR_DEVICE_LOST. There is no way back: create
 * a new instance. */
CS_API void cs_debug_simulate_device_lost(cs_device *device);

/* Fills *out_info. Cheap: nothing is queried from the driver. */
CS_API void cs_device_get_info(const cs_device *device,
                               cs_device_info *out_info);

/* What a device can do with a texel format, as bits (cs_device_format_support;
 * as SDL3's SDL_GPUTextureSupportsFormat and Vulkan's format features). A
 * texture is created when its format has TEXTURE_SRV or TEXTURE_UAV, a typed
 * buffer when it has BUFFER_SRV or BUFFER_UAV; binding one for a use its
 * format lacks fails (CS_ERROR_UNSUPPORTED, naming the format and use). */
typedef enum cs_format_support {
    /* Texture1D/2D/3D<T> (srv): Load, [] and sampling with POINT filters */
    CS_FORMAT_SUPPORT_TEXTURE_SRV = 1u << 0,
    /* RWTexture1D/2D/3D<T> (uav): storage images, written, and read too
     * unless the format has no SPIR-V image format and the device lacks
     * supports_storage_image_without_format (B8G8R8A8, sRGB) */
    CS_FORMAT_SUPPORT_TEXTURE_UAV = 1u << 1,
    /* sampled with a LINEAR sampler (never integer formats) */
    CS_FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR = 1u << 2,
    /* Buffer<T> (srv): uniform texel buffers */
    CS_FORMAT_SUPPORT_BUFFER_SRV = 1u << 3,
    /* RWBuffer<T> (uav): storage texel buffers */
    CS_FORMAT_SUPPORT_BUFFER_UAV = 1u << 4,
} cs_format_support;

/* *out_support = the cs_format_support bits of format on device (0: none).
 * Cheap and thread-safe (answers are read from the driver once, or its
 * format table). CS_ERROR_INVALID_ARGUMENT for an unknown format, NULL
 * device or out_support. */
CS_API cs_status cs_device_format_support(cs_device *device, cs_format format,
                                          uint32_t *out_support);

/* Moves the validation messages collected for this device's instance into a
 * new NULL-terminated array of strings (*out_messages) and returns their
 * count. The caller frees the array with cs_free_strings(). When there are
 * no messages, *out_messages is NULL and 0 is returned. */
CS_API size_t cs_device_take_debug_messages(cs_device *device,
                                            char ***out_messages);
/* Frees an array from cs_device_take_debug_messages(); NULL does nothing. */
CS_API void cs_free_strings(char **strings);

/* >>heaps ----------------------------------------------------------------- */

typedef struct cs_heap cs_heap;

/* A block of device memory that resources can be placed in (aliasing). */
CS_API cs_status cs_heap_create(cs_device *device, cs_heap_type type,
                                uint64_t size, cs_heap **out_heap);
CS_API void cs_heap_retain(cs_heap *heap);
CS_API void cs_heap_release(cs_heap *heap);
/* The heap's size in bytes and its type, as created. */
CS_API uint64_t cs_heap_size(const cs_heap *heap);
CS_API cs_heap_type cs_heap_get_type(const cs_heap *heap);

/* >>resources ------------------------------------------------------------- */

typedef struct cs_resource cs_resource;

typedef struct cs_resource_desc {
    cs_resource_kind kind; /* default CS_RESOURCE_BUFFER */
    cs_heap_type
        heap_type; /* default CS_HEAP_DEFAULT; textures: DEFAULT only */
    /* Buffers: size in bytes (required, > 0). */
    uint64_t size;
    /* Buffers: > 0 makes a structured buffer of this element size. */
    uint32_t stride;
    /* Buffers: a typed (texel) buffer viewed with this format; textures:
     * the texel format (required). 0 = none. */
    cs_format format;
    /* Textures: extent in texels (required, > 0 where the kind has it). */
    uint32_t width, height, depth;
    /* Textures 1D and 2D: array layers; default 1. */
    uint32_t slices;
    /* Place the resource in this heap at heap_offset instead of giving it
     * memory of its own. The heap's type must equal heap_type. */
    cs_heap *heap;
    uint64_t heap_offset;
    /* Sparse (tiled) resource; needs cs_device_info.supports_sparse. */
    bool sparse;
} cs_resource_desc;

typedef struct cs_resource_info {
    cs_resource_kind kind;
    cs_heap_type heap_type;
    uint64_t size;      /* bytes of the linear, packed representation */
    uint64_t heap_size; /* bytes of memory the resource really takes */
    uint32_t stride;
    cs_format format;
    uint32_t width, height, depth, slices; /* buffers: size,1,1,1 */
    uint32_t row_pitch; /* textures: bytes between rows, linear layout */
    /* sparse resources: tiles and tile extent (texels; bytes for buffers) */
    uint32_t tiles_x, tiles_y, tiles_z;
    uint32_t tile_width, tile_height, tile_depth;
} cs_resource_info;

CS_API cs_status cs_resource_create(cs_device *device,
                                    const cs_resource_desc *desc,
                                    cs_resource **out_resource);
CS_API void cs_resource_retain(cs_resource *resource);
CS_API void cs_resource_release(cs_resource *resource);
/* Fills *out_info with what the resource is (sizes, format, tiling). */
CS_API void cs_resource_get_info(const cs_resource *resource,
                                 cs_resource_info *out_info);
/* The device the resource was created on. */
CS_API cs_device *cs_resource_device(const cs_resource *resource);

/* Sparse resources (desc.sparse) start with no memory: each tile is mapped
 * onto a cs_heap here, or unmapped. A tile is tile_width x tile_height x
 * tile_depth texels of cs_resource_info (for buffers: tile_width bytes, and
 * only x counts: y, z and slice must be 0); the resource has tiles_x x
 * tiles_y x tiles_z tiles in each of its slices. Its bytes in a heap, the
 * tile size, are tile_width for buffers and tile_width * tile_height *
 * tile_depth * texel size for textures (64 KiB on most devices).
 *
 * Maps the tile at (x, y, z), in tile units, of `slice` onto heap at
 * heap_offset, replacing any earlier mapping of that tile; heap NULL unmaps
 * it (heap_offset is then ignored). The heap must be a CS_HEAP_DEFAULT heap
 * of the resource's device, heap_offset a multiple of the tile size and the
 * tile must fit in the heap. Tiles of one or several resources may map the
 * same heap bytes (aliasing). The resource keeps a reference to every heap
 * one of its tiles is mapped to, until the tile is unmapped or remapped or
 * the resource is destroyed. The mapping is in effect when the call
 * returns; GPU work that uses the resource must not run meanwhile. Reads of
 * unmapped tiles are undefined (zero only on devices with strict
 * non-resident behaviour), writes to them are discarded.
 *
 * Fails with CS_ERROR_INVALID_OPERATION for a resource that is not sparse,
 * CS_ERROR_INVALID_ARGUMENT (naming the values) for a tile or slice out of
 * range, a heap of another device or type, a misaligned heap_offset or a
 * heap too small, and CS_ERROR_DEVICE_LOST / CS_ERROR_BACKEND when the
 * device fails to bind. */
CS_API cs_status cs_resource_bind_tile(cs_resource *resource, uint32_t x,
                                       uint32_t y, uint32_t z, uint32_t slice,
                                       cs_heap *heap, uint64_t heap_offset);

/* Buffers in an UPLOAD or READBACK heap are mapped for their whole life.
 * Returns the CPU address of byte 0, or NULL (with the reason in
 * cs_last_error()) for a buffer that is not host-visible. Writes through it
 * reach the GPU at the next GPU operation; reads see the results of every
 * GPU operation that has returned. */
CS_API void *cs_buffer_mapped(cs_resource *buffer);

/* Copies size bytes from data into an UPLOAD buffer at offset. */
CS_API cs_status cs_buffer_upload(cs_resource *buffer, uint64_t offset,
                                  const void *data, uint64_t size);
/* Copies height rows of width*bytes_per_pixel bytes from tightly packed
 * data (data_size bytes at least) into rows pitch bytes apart. */
CS_API cs_status cs_buffer_upload2d(cs_resource *buffer, const void *data,
                                    uint64_t data_size, uint32_t pitch,
                                    uint32_t width, uint32_t height,
                                    uint32_t bytes_per_pixel);
/* Copies data into the buffer inserting the filler bytes after every stride
 * bytes of data (RGB -> RGBA). */
CS_API cs_status cs_buffer_upload_chunked(cs_resource *buffer, const void *data,
                                          uint64_t data_size, uint32_t stride,
                                          const void *filler,
                                          uint32_t filler_size);
/* Copies size bytes at offset of a READBACK buffer into data. */
CS_API cs_status cs_buffer_readback(cs_resource *buffer, uint64_t offset,
                                    void *data, uint64_t size);
/* The inverse of cs_buffer_upload2d: packs height rows of
 * width*bytes_per_pixel bytes, pitch bytes apart, into data. */
CS_API cs_status cs_buffer_readback2d(cs_resource *buffer, void *data,
                                      uint64_t data_size, uint32_t pitch,
                                      uint32_t width, uint32_t height,
                                      uint32_t bytes_per_pixel);

/* What cs_resource_copy() copies. All zero = everything. */
typedef struct cs_copy_desc {
    uint64_t size;       /* buffer->buffer bytes; 0 = whole source */
    uint64_t src_offset; /* buffer source: first byte */
    uint64_t dst_offset; /* buffer destination: first byte */
    /* texture side: a box of width x height x depth texels, 0 = the whole
     * extent of the source texture (or of the destination when the source
     * is a buffer) */
    uint32_t width, height, depth;
    uint32_t src_x, src_y, src_z;
    uint32_t dst_x, dst_y, dst_z;
    uint32_t src_slice, dst_slice;
} cs_copy_desc;

/* A GPU copy between two resources of the same device, finished when the
 * call returns. Every range is bounds-checked: CS_ERROR_INVALID_ARGUMENT
 * names the side and the sizes. desc may be NULL (all zero). */
CS_API cs_status cs_resource_copy(cs_resource *src, cs_resource *dst,
                                  const cs_copy_desc *desc);

/* >>samplers -------------------------------------------------------------- */

typedef struct cs_sampler cs_sampler;

typedef struct cs_sampler_desc {
    cs_address_mode address_u, address_v, address_w; /* default WRAP */
    cs_filter filter_min, filter_mag;                /* default POINT */
} cs_sampler_desc;

/* Creates a sampler; desc may be NULL (all defaults). An unknown filter or
 * address mode fails with CS_ERROR_INVALID_ARGUMENT. */
CS_API cs_status cs_sampler_create(cs_device *device,
                                   const cs_sampler_desc *desc,
                                   cs_sampler **out_sampler);
CS_API void cs_sampler_retain(cs_sampler *sampler);
CS_API void cs_sampler_release(cs_sampler *sampler);

/* >>shaders --------------------------------------------------------------- */

typedef enum cs_shader_language {
    CS_SHADER_HLSL = 0,
    CS_SHADER_GLSL = 1,
    /* WGSL compute shaders, compiled by the library's own front end
     * (src/shader/wgsl, docs/wgsl.md): @group(g) @binding(n) resources are
     * numbered per kind in (group, binding) order into the b/t/u/s
     * registers, as the original compushady's naga path did. */
    CS_SHADER_WGSL = 2,
} cs_shader_language;

/* Which compiler turns HLSL into SPIR-V. Both follow the same binding
 * convention and D3D buffer layouts (docs/hlsl-differences.md lists where
 * they differ). DXC is not part of the library: it is loaded at first use
 * from COMPUSHADY_DXC (a path to libdxcompiler.so), $VULKAN_SDK/lib, or the
 * dynamic loader's search path; without it a DXC compile fails with
 * CS_ERROR_UNSUPPORTED. */
typedef enum cs_hlsl_compiler {
    CS_HLSL_COMPILER_DEFAULT = 0, /* glslang (through shaderc), built in */
    CS_HLSL_COMPILER_GLSLANG = CS_HLSL_COMPILER_DEFAULT,
    CS_HLSL_COMPILER_DXC = 1, /* DXC's libdxcompiler.so, when found */
} cs_hlsl_compiler;

/* A value for a WGSL `override` declaration, named by the override's name
 * or by its @id written in decimal ("7"); converted to the override's type
 * (bool: 0 or 1; i32, u32: integers in range; f32: finite). */
typedef struct cs_shader_constant {
    const char *name;
    double value;
} cs_shader_constant;

typedef struct cs_shader_compile_desc {
    cs_shader_language language; /* default HLSL */
    const char *source;          /* required */
    size_t source_size;          /* 0 = strlen(source) */
    const char *entry_point;     /* default "main" */
    const char *target;          /* HLSL profile, default "cs_6_0" */
    const char *file_name;       /* used in diagnostics; default "shader" */
    cs_hlsl_compiler compiler;   /* HLSL only; default glslang */
    /* WGSL only: values for `override` declarations (the others keep their
     * defaults); each must name an override of the shader */
    const cs_shader_constant *constants;
    uint32_t constant_count;
} cs_shader_compile_desc;

/* Compiles a compute shader to SPIR-V following the binding convention at
 * the top of this file, with HLSL (D3D) buffer layouts: structured buffers
 * tightly packed, cbuffers with HLSL packing. On success *out_spirv is a
 * malloc'd array of *out_size bytes that the caller frees with cs_free().
 * CS_ERROR_SHADER_COMPILE's message carries the compiler's diagnostics with
 * line numbers. Needs no instance or device.
 * GLSL with a #version line uses its binding numbers as written; GLSL
 * without one is read as the original compushady read it (through naga):
 * compiled as GLSL 450, loose uniforms (`uniform float m;`) allowed, and its
 * bindings, one sequence across kinds, renumbered kind by kind in binding
 * order onto bN (uniform buffers), tN (textures), uN (storage buffers and
 * images) and sN (samplers) (docs/conventions.md). */
CS_API cs_status cs_shader_compile(const cs_shader_compile_desc *desc,
                                   void **out_spirv, size_t *out_size);

/* Builds the compiler's tables for a language now: the first compile of a
 * process pays for glslang's built-in symbol tables (20-40 ms, against ~1 ms
 * for the next compiles). Call it early, from a thread of your own, to hide
 * that behind other start-up work (the Python module does so when
 * compushady.shaders.hlsl or .glsl is imported; COMPUSHADY_PREWARM=0 turns
 * that off). Compiles running meanwhile wait for the tables, as they would
 * have built them; nothing is cached or written. WGSL uses GLSL's. */
CS_API cs_status cs_shader_prewarm(cs_shader_language language);

/* Whether a DXC library can be loaded (CS_HLSL_COMPILER_DXC works); loads
 * it when it can. A failed search is retried by the next call. */
CS_API bool cs_shader_dxc_available(void);

/* What cs_shader_cross_compile() writes. */
typedef enum cs_cross_language {
    CS_CROSS_GLSL = 1, /* GLSL 450 (not Vulkan GLSL), as SPIRV-Cross emits */
    CS_CROSS_MSL = 2,  /* Metal Shading Language 2.3 */
    CS_CROSS_HLSL = 3, /* HLSL, shader model 5.0 */
} cs_cross_language;

typedef struct cs_shader_cross_desc {
    cs_cross_language language; /* required */
    const void *spirv;          /* required: a SPIR-V module */
    size_t spirv_size;          /* bytes */
    const char *entry_point;    /* default: the first GLCompute one */
    /* optional: the texel formats of the resources bound to storage images
     * and texel buffers (storage_formats[i] at binding
     * storage_bindings[i]), declared instead of the module's own (a float4
     * image bound to R8G8B8A8_UNORM texels: rgba8, not rgba32f) */
    const uint32_t *storage_bindings;
    const cs_format *storage_formats;
    uint32_t storage_count;
} cs_shader_cross_desc;

/* Translates a compute shader's SPIR-V into GLSL, MSL or HLSL source with
 * SPIRV-Cross, keeping the binding convention at the top of this file:
 * - GLSL: `layout(binding = N)` with N the SPIR-V binding (t0 -> 1024).
 * - MSL: as the original compushady gave Metal: the bindings in register
 *   order b, t, u, s (each by binding); buffers (uniform and storage) take
 *   [[buffer(0)]], [[buffer(1)]]... in that order, textures and texel
 *   buffers [[texture(0)]]..., samplers [[sampler(0)]]...
 * - HLSL: registers bN, tN, uN, sN again (binding minus the class base).
 * Storage images the shader only writes become writeonly (only reads:
 * readonly). Names come from the module's OpName (cs_shader_compile keeps
 * them); without them SPIRV-Cross makes up _12-style names.
 * On success *out_source is a malloc'd, nul-terminated text of *out_size
 * bytes (free with cs_free()), and out_workgroup_size, when not NULL, gets
 * the entry point's workgroup size. CS_ERROR_INVALID_SHADER for a module
 * that is not SPIR-V, CS_ERROR_UNSUPPORTED (SPIRV-Cross's words) for one it
 * cannot translate, CS_ERROR_INVALID_ARGUMENT for an unknown language. */
CS_API cs_status cs_shader_cross_compile(const cs_shader_cross_desc *desc,
                                         char **out_source, size_t *out_size,
                                         uint32_t out_workgroup_size[3]);

/* Frees memory the library handed to the caller. */
CS_API void cs_free(void *memory);

/* What a shader declares, read from its SPIR-V. */
typedef enum cs_binding_type {
    CS_BINDING_CONSTANT_BUFFER = 0,  /* cbuffer: uniform buffer */
    CS_BINDING_STORAGE_BUFFER,       /* (RW)StructuredBuffer, ByteAddress */
    CS_BINDING_UNIFORM_TEXEL_BUFFER, /* Buffer<T> */
    CS_BINDING_STORAGE_TEXEL_BUFFER, /* RWBuffer<T> */
    CS_BINDING_SAMPLED_IMAGE,        /* Texture*<T> */
    CS_BINDING_STORAGE_IMAGE,        /* RWTexture*<T> */
    CS_BINDING_SAMPLER,
} cs_binding_type;

typedef enum cs_image_dim {
    CS_IMAGE_DIM_NONE = 0,
    CS_IMAGE_DIM_1D,
    CS_IMAGE_DIM_2D,
    CS_IMAGE_DIM_3D,
    CS_IMAGE_DIM_CUBE,
    CS_IMAGE_DIM_BUFFER,
} cs_image_dim;

/* The numeric type of the texels an image or texel buffer binding reads or
 * writes (HLSL Texture2D<float4> -> FLOAT, RWBuffer<uint> -> UINT). */
typedef enum cs_component_type {
    CS_COMPONENT_NONE = 0, /* not an image or texel buffer */
    CS_COMPONENT_FLOAT,    /* float, and UNORM/SNORM formats read as float */
    CS_COMPONENT_SINT,
    CS_COMPONENT_UINT,
} cs_component_type;

typedef struct cs_shader_binding {
    uint32_t set;
    uint32_t binding;
    cs_binding_type type;
    bool read_only;        /* storage buffers/images declared non-writable */
    cs_image_dim dim;      /* images and texel buffers */
    bool arrayed;          /* image arrays (Texture2DArray) */
    uint32_t image_format; /* SPIR-V ImageFormat; 0 = Unknown */
    uint32_t array_size;   /* descriptors; 0 = runtime-sized (bindless) */
    char name[64];         /* the variable's name when the SPIR-V has it */
    cs_component_type component_type; /* images and texel buffers */
    /* images and texel buffers: the fewest components an OpImageWrite of
     * the shader gives it (0 = never written) */
    uint32_t written_components;
} cs_shader_binding;

/* A texture sampled with a sampler (an OpSampledImage of the two); a
 * binding that reflection cannot trace to one variable is CS_ANY_BINDING. */
#define CS_ANY_BINDING UINT32_MAX
typedef struct cs_shader_sampling {
    uint32_t image_binding, sampler_binding;
} cs_shader_sampling;

typedef struct cs_shader_reflection {
    uint32_t workgroup_size[3];
    uint32_t push_constant_size; /* bytes; 0 = no push constants */
    uint32_t binding_count;
    cs_shader_binding *bindings; /* sorted by (set, binding) */
    char entry_point[64];
    /* bytes of the Workgroup (groupshared) variables, packed; saturates at
     * UINT32_MAX */
    uint32_t workgroup_memory_size;
    uint32_t sampling_count;
    cs_shader_sampling *samplings; /* which texture meets which sampler */
} cs_shader_reflection;

/* Reads a SPIR-V module (size in bytes). Fails with CS_ERROR_INVALID_SHADER
 * for anything malformed, never crashes. Free with
 * cs_shader_reflection_free(). */
CS_API cs_status cs_shader_reflect(const void *spirv, size_t size,
                                   cs_shader_reflection *out_reflection);
/* Frees what cs_shader_reflect() allocated in *reflection. */
CS_API void cs_shader_reflection_free(cs_shader_reflection *reflection);

/* Validates a whole SPIR-V module (size in bytes) with SPIRV-Tools, under
 * the Vulkan rules of its SPIR-V version: CS_ERROR_INVALID_SHADER with the
 * validator's message. A module found valid once is remembered (cheap
 * again). cs_compute_create validates every module it is given. */
CS_API cs_status cs_shader_validate(const void *spirv, size_t size);

/* >>caches ---------------------------------------------------------------- */

/* The library keeps what it derives from bytes it is given again and again
 * in bounded LRU caches; each kind is bounded by a number of entries AND a
 * number of bytes (whichever is reached first evicts the least recently
 * used entries; an entry still in use lives on until released). */
typedef enum cs_cache_kind {
    CS_CACHE_COMPILE = 0,  /* compiled SPIR-V in memory (process-wide);
                              default 256 entries, 64 MiB */
    CS_CACHE_MODULE = 1,   /* reflected and validated SPIR-V modules
                              (process-wide); default 512, 64 MiB */
    CS_CACHE_PIPELINE = 2, /* per device: Vulkan pipelines with their shader
                              module and layouts; bytes count the SPIR-V
                              and keys (the driver's own memory per
                              pipeline is not visible: ~370 KiB on
                              lavapipe); default 256, 64 MiB */
    CS_CACHE_DRIVER = 3,   /* per device: the driver's VkPipelineCache,
                              entries = pipelines made into it, bytes = its
                              data; over either it is saved to disk and
                              started afresh; default 1024, 64 MiB */
    CS_CACHE_KIND_COUNT
} cs_cache_kind;

/* Sets the limits of a kind of cache (both >= 1; CS_ERROR_INVALID_ARGUMENT
 * otherwise). The process-wide caches are trimmed at once, the per-device
 * ones at their next insert. The defaults come from the environment, read
 * once: COMPUSHADY_<KIND>_CACHE_ENTRIES and COMPUSHADY_<KIND>_CACHE_BYTES
 * (KIND: COMPILE, MODULE, PIPELINE, DRIVER; bytes may end in K, M or G);
 * a malformed value is ignored and makes cs_instance_create fail with a
 * message naming the variable. */
CS_API cs_status cs_cache_set_limits(cs_cache_kind kind, uint64_t max_entries,
                                     uint64_t max_bytes);
CS_API cs_status cs_cache_get_limits(cs_cache_kind kind,
                                     uint64_t *out_max_entries,
                                     uint64_t *out_max_bytes);
/* CS_OK, or CS_ERROR_INVALID_ARGUMENT naming the first malformed
 * COMPUSHADY_*_CACHE_* variable (cs_instance_create checks it too). */
CS_API cs_status cs_cache_check_environment(void);

/* >>compute --------------------------------------------------------------- */

typedef struct cs_compute cs_compute;

/* What a compute's code is (cs_compute_desc.format), and, as bits, what a
 * device's backend takes (cs_device_info.shader_formats), as SDL's GPU API
 * does. cs_compute_create brings the code to SPIR-V (what the library
 * reflects and checks: SPIR-V as is, GLSL, HLSL and WGSL source compiled as
 * cs_shader_compile does, entry_point naming the function) and from there to a
 * format the backend takes (SPIR-V as is; GLSL, MSL, HLSL through
 * cs_shader_cross_compile); a format no path reaches fails with
 * CS_ERROR_UNSUPPORTED naming both ends. */
typedef enum cs_shader_format {
    CS_SHADER_FORMAT_NONE = 0,
    CS_SHADER_FORMAT_SPIRV = 1u << 0, /* a SPIR-V module */
    /* GLSL compute source: given, as cs_shader_compile reads it; taken by a
     * backend, GLSL 450 as SPIRV-Cross writes it (CS_CROSS_GLSL) */
    CS_SHADER_FORMAT_GLSL = 1u << 1,
    CS_SHADER_FORMAT_HLSL = 1u << 2, /* HLSL source (cs_shader_compile) */
    /* Metal Shading Language source: a backend may take it (CS_CROSS_MSL);
     * the library cannot compile it */
    CS_SHADER_FORMAT_MSL = 1u << 3,
    CS_SHADER_FORMAT_WGSL = 1u << 4, /* WGSL source (cs_shader_compile) */
} cs_shader_format;

/* "SPIR-V", "GLSL", "HLSL", "MSL", "WGSL"; "unknown" for anything else. */
CS_API const char *cs_shader_format_name(cs_shader_format format);

typedef struct cs_compute_desc {
    /* the code, either as spirv/spirv_size (a SPIR-V module, as before
     * format existed) or as format/code/code_size; not both */
    const void *spirv;       /* a SPIR-V module */
    size_t spirv_size;       /* bytes */
    const char *entry_point; /* default: the module's only/first GLCompute
                                entry point */
    /* the i-th element binds to register bi / ti / ui / si */
    cs_resource *const *cbv;
    uint32_t cbv_count;
    cs_resource *const *srv;
    uint32_t srv_count;
    cs_resource *const *uav;
    uint32_t uav_count;
    cs_sampler *const *samplers;
    uint32_t sampler_count;
    uint32_t push_size;      /* bytes of push constants, multiple of 4 */
    bool bindless;           /* descriptor arrays filled by cs_compute_bind */
    uint32_t max_bindless;   /* entries per array; default 64 */
    cs_shader_format format; /* what code holds; default SPIR-V */
    const void *code;        /* the code, when spirv is NULL */
    size_t code_size;        /* bytes; source text: 0 = strlen(code) */
} cs_compute_desc;

/* Builds a compute pipeline and binds the given resources to the registers
 * the shader declares. Fails with CS_ERROR_BINDING_MISMATCH, naming the
 * register and both sides, when a declared register has no resource or a
 * resource of the wrong kind. The compute keeps references to every
 * resource and sampler. */
CS_API cs_status cs_compute_create(cs_device *device,
                                   const cs_compute_desc *desc,
                                   cs_compute **out_compute);
CS_API void cs_compute_retain(cs_compute *compute);
CS_API void cs_compute_release(cs_compute *compute);

/* Runs x*y*z workgroups and waits for them. push: push_size bytes at most
 * (NULL/0 for none; shorter data is zero-padded). */
CS_API cs_status cs_compute_dispatch(cs_compute *compute, uint32_t x,
                                     uint32_t y, uint32_t z, const void *push,
                                     size_t push_size);
/* Like cs_compute_dispatch, the group counts read as three uint32 at offset
 * of a buffer of the same device. */
CS_API cs_status cs_compute_dispatch_indirect(cs_compute *compute,
                                              cs_resource *indirect_buffer,
                                              uint64_t offset, const void *push,
                                              size_t push_size);

/* Like cs_compute_dispatch, and also measures the GPU time of the dispatch
 * with timestamp queries, in nanoseconds (*out_gpu_ns, written on success;
 * timestampPeriod applied). Fails with CS_ERROR_UNSUPPORTED when the
 * device's compute queue has no timestamps (timestampValidBits == 0 or no
 * timestampComputeAndGraphics). Costs two timestamp writes more than
 * cs_compute_dispatch. */
CS_API cs_status cs_compute_dispatch_timed(cs_compute *compute, uint32_t x,
                                           uint32_t y, uint32_t z,
                                           const void *push, size_t push_size,
                                           uint64_t *out_gpu_ns);

typedef enum cs_bind_kind {
    CS_BIND_CBV = 0,
    CS_BIND_SRV,
    CS_BIND_UAV,
} cs_bind_kind;

/* Bindless computes: puts a resource at index of the cbv/srv/uav array. */
CS_API cs_status cs_compute_bind(cs_compute *compute, cs_bind_kind kind,
                                 uint32_t index, cs_resource *resource);

/* >>command lists --------------------------------------------------------- */

/* A command list records dispatches and copies to run on the GPU together,
 * in one submission, in the order recorded. Between two consecutive commands
 * the list puts a global memory barrier, so a command sees every write of
 * the commands before it (dependent steps are correct without any user
 * barrier). Nothing runs until cs_command_list_submit().
 *
 * Every record call checks its arguments exactly as the immediate call does
 * (cs_compute_dispatch, cs_compute_dispatch_indirect, cs_resource_copy), with
 * the same messages, and fails without recording anything. Objects of
 * another device than the list's fail with CS_ERROR_INVALID_ARGUMENT.
 *
 * Lifetimes: the list keeps a reference to every compute and resource it
 * records (computes keep their bound resources) until it is reset or
 * destroyed; both first wait for submitted work, so nothing is freed while
 * the GPU may use it. A fence keeps its list alive. Releasing the last
 * reference to a list whose work is in flight waits for that work.
 *
 * States: recording (after create or reset) -> submitted. After the first
 * submit the recorded commands are closed: recording more fails with
 * CS_ERROR_INVALID_OPERATION until cs_command_list_reset(); submitting
 * again runs the same commands again (after the previous submission of the
 * list has finished: submit waits for it).
 *
 * Thread safety: as everywhere, any thread may call any function; calls on
 * one list are serialized by the list (a submit waits for another thread's
 * recording to finish, and so on).
 *
 * Host transfers (cs_buffer_upload, cs_buffer_readback, mapped memory) are
 * never part of a list: they happen on the host when called. Read back
 * after the list's fence is done.
 *
 * Bindless computes: descriptors bound with cs_compute_bind() are read when
 * the GPU runs the command; do not rebind a slot of a compute while a
 * submitted list that uses it runs. */

typedef struct cs_command_list cs_command_list;
typedef struct cs_fence cs_fence;

enum {
    /* Write GPU timestamps at the start of the list and after every
     * command, for cs_fence_gpu_time_ns(). Fails at creation with
     * CS_ERROR_UNSUPPORTED on devices without compute-queue timestamps. */
    CS_COMMAND_LIST_TIMESTAMPS = 1u << 0,
};

/* Creates an empty list on device. flags: CS_COMMAND_LIST_*. */
CS_API cs_status cs_command_list_create(cs_device *device, uint32_t flags,
                                        cs_command_list **out_list);
CS_API void cs_command_list_retain(cs_command_list *list);
CS_API void cs_command_list_release(cs_command_list *list);
/* Commands recorded since the last reset. */
CS_API uint32_t cs_command_list_count(const cs_command_list *list);

/* Records cs_compute_dispatch(compute, x, y, z, push, push_size). push is
 * copied: the caller may reuse it when the call returns. */
CS_API cs_status cs_command_list_dispatch(cs_command_list *list,
                                          cs_compute *compute, uint32_t x,
                                          uint32_t y, uint32_t z,
                                          const void *push, size_t push_size);
/* Records cs_compute_dispatch_indirect(); the group counts are read from the
 * buffer when the GPU runs the command (an earlier command may write them). */
CS_API cs_status cs_command_list_dispatch_indirect(
    cs_command_list *list, cs_compute *compute, cs_resource *indirect_buffer,
    uint64_t offset, const void *push, size_t push_size);
/* Records cs_resource_copy(src, dst, desc); desc may be NULL. */
CS_API cs_status cs_command_list_copy(cs_command_list *list, cs_resource *src,
                                      cs_resource *dst,
                                      const cs_copy_desc *desc);

/* Submits the recorded commands. out_fence NULL: waits until they are done
 * (spinning briefly, then sleeping). Otherwise returns at once with a new
 * fence in *out_fence that the caller releases with cs_fence_release().
 * Waits first for the list's previous submission, if still running.
 * CS_ERROR_DEVICE_LOST / CS_ERROR_BACKEND when the device fails. */
CS_API cs_status cs_command_list_submit(cs_command_list *list,
                                        cs_fence **out_fence);
/* Waits for the list's work, drops every reference the list holds and
 * empties it: recording starts again. */
CS_API cs_status cs_command_list_reset(cs_command_list *list);

/* Waits up to timeout_ns nanoseconds (UINT64_MAX: forever, 0: just look)
 * for the fence's submission to finish. Returns CS_OK when it has,
 * CS_TIMEOUT when the time ran out first (the work goes on; wait again),
 * CS_ERROR_DEVICE_LOST when the device was lost. */
CS_API cs_status cs_fence_wait(cs_fence *fence, uint64_t timeout_ns);
/* True once the submission has finished (never blocks). */
CS_API bool cs_fence_is_done(cs_fence *fence);
/* GPU time of the submission, in nanoseconds, from the timestamps of a list
 * created with CS_COMMAND_LIST_TIMESTAMPS: *out_total_ns for the whole list
 * (first command's start to last command's end); when out_command_ns is
 * not NULL, the time of each of the first command_count commands (from the
 * end of the one before, barrier included) goes there. Waits for the fence
 * first. CS_ERROR_INVALID_OPERATION for a list without timestamps. */
CS_API cs_status cs_fence_gpu_time_ns(cs_fence *fence, uint64_t *out_total_ns,
                                      uint64_t *out_command_ns,
                                      size_t command_count);
/* The number of commands the fence's submission ran. */
CS_API uint32_t cs_fence_command_count(const cs_fence *fence);
/* Drops the fence (never waits itself; its list may, see above). */
CS_API void cs_fence_release(cs_fence *fence);

/* >>swapchains ------------------------------------------------------------ */

typedef struct cs_swapchain cs_swapchain;

/* The windowing system a swapchain presents to. */
typedef enum cs_window_platform {
    CS_WINDOW_XLIB = 1,    /* display: an Xlib Display*; window: a Window */
    CS_WINDOW_WAYLAND = 2, /* display: a wl_display*; window: the address
                              of a wl_surface */
    CS_WINDOW_WIN32 = 3,   /* Windows. display: the window's HINSTANCE (NULL:
                              the program's); window: its HWND */
} cs_window_platform;

/* How presented images reach the screen (Vulkan's present modes). */
typedef enum cs_present_mode {
    /* Default, supported everywhere: images are shown one per vertical
     * blank, in order; a present waits while every image is queued. */
    CS_PRESENT_MODE_FIFO = 0,
    /* Shown at the next vertical blank, never torn, without waiting: a
     * newer image replaces one still queued. */
    CS_PRESENT_MODE_MAILBOX = 1,
    /* Shown at once, without waiting; the picture may tear. */
    CS_PRESENT_MODE_IMMEDIATE = 2,
} cs_present_mode;

enum {
    /* cs_swapchain_present() does not recreate a swapchain that no longer
     * matches its window: it fails with CS_ERROR_OUT_OF_DATE, and the
     * program calls cs_swapchain_recreate() (after resizing what it draws,
     * for instance). Without it, presents recreate it themselves. */
    CS_SWAPCHAIN_MANUAL_RECREATE = 1u << 0,
};

typedef struct cs_swapchain_desc {
    cs_window_platform platform; /* required */
    void *display;               /* required */
    uint64_t window;             /* required (not 0) */
    /* The format of the swapchain's images (required): one the window's
     * surface supports, B8G8R8A8_UNORM (87) and B8G8R8A8_UNORM_SRGB (91)
     * nearly everywhere. */
    cs_format format;
    /* Images in the swapchain; default 3, clamped to what the surface
     * allows. At most 16. */
    uint32_t num_buffers;
    /* The size of the images; 0 = the window's. Used only where the
     * windowing system lets the application choose (Wayland); on X11 the
     * images always have the window's size. */
    uint32_t width, height;
    /* Default CS_PRESENT_MODE_FIFO. Another mode the window's surface does
     * not offer fails with CS_ERROR_UNSUPPORTED, naming the modes it has
     * (see cs_swapchain_get_present_modes()). */
    cs_present_mode present_mode;
    uint32_t flags; /* CS_SWAPCHAIN_*; default 0 */
} cs_swapchain_desc;

/* Creates a swapchain presenting to a window with a FIFO (vsync) present
 * mode. The display and window must stay valid while the swapchain lives.
 * Fails with CS_ERROR_INVALID_ARGUMENT for a missing handle, an unknown
 * platform or format, CS_ERROR_UNSUPPORTED (naming what is missing) when the
 * Vulkan driver has no surface support for the platform, the device cannot
 * present to the window from its queue, or the surface lacks the format (the
 * message lists the formats it has). The swapchain keeps its device's
 * instance alive. */
CS_API cs_status cs_swapchain_create(cs_device *device,
                                     const cs_swapchain_desc *desc,
                                     cs_swapchain **out_swapchain);
CS_API void cs_swapchain_retain(cs_swapchain *swapchain);
CS_API void cs_swapchain_release(cs_swapchain *swapchain);

/* Shows a 2D texture of the swapchain's device in the window: takes the next
 * image (waiting for one to be free: FIFO, so at most one present per
 * vertical blank), clears it to opaque black, puts the texture's first slice
 * with its top-left corner at (x, y) of the image (what falls outside is
 * clipped), presents it and waits until the GPU work is done. Textures of
 * another format are converted with a blit where the device can blit
 * between the two formats; else, for formats of the same texel size, their
 * bytes are copied unchanged (an R8G8B8A8 texture then shows red and blue
 * swapped on a B8G8R8A8 swapchain), and other formats fail with
 * CS_ERROR_UNSUPPORTED. When the window changed size the swapchain is
 * recreated (cs_swapchain_get_size() then tells the new size; with
 * CS_SWAPCHAIN_MANUAL_RECREATE the present fails with CS_ERROR_OUT_OF_DATE
 * instead); a FIFO present waits for a free image, the other modes do not
 * wait for the display (only for the GPU's copy); while the
 * window has no area (minimized) nothing is shown and CS_OK is returned.
 * Presents on one swapchain are serialized. */
CS_API cs_status cs_swapchain_present(cs_swapchain *swapchain,
                                      cs_resource *texture, uint32_t x,
                                      uint32_t y);
/* The size of the swapchain's images (the window's size on X11). */
CS_API void cs_swapchain_get_size(const cs_swapchain *swapchain,
                                  uint32_t *out_width, uint32_t *out_height);
/* The format of the swapchain's images. */
CS_API cs_format cs_swapchain_get_format(const cs_swapchain *swapchain);
/* The swapchain's present mode. */
CS_API cs_present_mode
cs_swapchain_get_present_mode(const cs_swapchain *swapchain);
/* The present modes the window's surface offers: bit (1u << mode) for each
 * cs_present_mode (FIFO's bit always). */
CS_API uint32_t cs_swapchain_get_present_modes(const cs_swapchain *swapchain);
/* Recreates the swapchain's images for the window's current size now (the
 * way to go on after CS_ERROR_OUT_OF_DATE). width and height: the new size
 * where the windowing system lets the application choose (Wayland); 0 keeps
 * the size given so far. While the window has no area the swapchain has no
 * images: presents show nothing until it has one again. */
CS_API cs_status cs_swapchain_recreate(cs_swapchain *swapchain, uint32_t width,
                                       uint32_t height);
/* How many times the swapchain's images were recreated since its creation,
 * by presents (window resized, out of date, suboptimal) or by
 * cs_swapchain_recreate(): a program compares it to notice a change. */
CS_API uint64_t cs_swapchain_get_recreate_count(const cs_swapchain *swapchain);

#ifdef __cplusplus
}
#endif

#endif /* COMPUSHADY_H */
