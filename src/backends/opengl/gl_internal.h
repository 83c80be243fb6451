/*
 * gl_internal.h - the OpenGL backend's objects and the helpers its files
 * share.
 *
 * Threads: a GL context is current on one thread at a time. Each device
 * owns one context (created at discovery) and one thread that keeps it
 * current (gl_owner.c); every backend call that touches GL hands its work
 * to that thread (gl_run) and waits for it, under the device's lock, so
 * any thread may call at any time and GL calls of one device never
 * overlap. Every operation the core asks for is waited for before the call
 * returns (a fence after the commands), as the Vulkan backend does.
 */
#ifndef CS_GL_INTERNAL_H
#define CS_GL_INTERNAL_H

#include "gl_loader.h"

#include <stdbool.h>

/* format_support's size: past the largest format value */
#define GL_FORMAT_VALUES 128

/* gl_instance_create, gl_resource_create, ...: every entry of the table
 * (src/core/backend.h), each in the gl_*.c file of its object; the ones
 * of capabilities GL lacks fail with gl_unsupported() (swapchains:
 * gl_swapchain.c; heaps and sparse resources: gl_resource.c). */
CS_BACKEND_DECLARE(gl)

/* What the device's driver offers, read once at discovery. */
typedef struct gl_limits {
    GLint uniform_buffers, storage_buffers, images, textures; /* compute */
    GLint uniform_buffer_bindings, storage_buffer_bindings;
    GLint uniform_buffer_alignment, storage_buffer_alignment;
    GLint texture_buffer_alignment;
} gl_limits;

typedef struct gl_owner gl_owner;

typedef struct gl_device {
    char name[256]; /* the device's, for messages made on its thread */
    EGLDisplay display;
    EGLContext context;
    cs_mutex lock;   /* one call at a time hands work to the owner */
    gl_owner *owner; /* the thread the context is current on */
    gl_limits limits;
    bool has_spirv;          /* GL_ARB_gl_spirv */
    bool has_bindless;       /* GL_ARB_bindless_texture */
    bool has_timer_query;    /* GL_ARB_timer_query (core in 3.3) */
    bool has_load_formatted; /* GL_EXT_shader_image_load_formatted */
    bool debug;              /* the context reports through KHR_debug */
    atomic_bool lost;        /* device_simulate_lost */
    bool forked;             /* discovered in a fork()ed child of EGL's user */
    /* set while compiling: what the driver says about a module it refuses
     * is the call's exception (or the GLSL way's), not a debug message;
     * read by the synchronous debug callback under the lock */
    bool muted;
    cs_instance *instance; /* for debug messages */
    /* cs_format_support bits by format value, read at discovery */
    uint8_t format_support[GL_FORMAT_VALUES];
} gl_device;

typedef struct gl_resource {
    GLuint buffer;  /* buffers, and the storage of texel buffers */
    GLuint texture; /* textures, and the buffer texture of typed buffers */
    GLenum target;  /* the texture's target (GL_TEXTURE_2D_ARRAY, ...) */
    GLenum internal_format;
} gl_resource;

/* Where one of the shader's bindings goes in GL. */
typedef enum gl_binding_kind {
    GL_KIND_UNIFORM_BUFFER,
    GL_KIND_STORAGE_BUFFER,
    GL_KIND_IMAGE,   /* image units: storage images and texel buffers */
    GL_KIND_TEXTURE, /* texture units: sampled images, texel buffers */
    GL_KIND_SAMPLER, /* a sampler object on its texture's unit */
    GL_KIND_COUNT
} gl_binding_kind;

typedef struct gl_binding {
    gl_binding_kind kind;
    GLuint unit; /* the GL binding point of its kind */
    /* textures: the slot of the sampler the shader samples it with, whose
     * sampler object goes on the texture's unit; -1 for none */
    int32_t sampler_slot;
} gl_binding;

typedef struct gl_compute {
    GLuint program;
    gl_binding *bindings; /* one per compute->slots entry */
    GLuint push_buffer;   /* the uniform buffer push constants go through */
    GLuint push_unit;     /* its uniform buffer binding */
} gl_compute;

/* >>the device's thread (gl_owner.c) */
/* Work that touches GL: run on the device's thread, its context current. */
typedef cs_status (*gl_job)(gl_device *dev, void *arg);
/* Runs job(dev, arg) on the device's thread and waits for it: its status,
 * and its failure's message on the calling thread. Fails without running
 * it when the device is lost or the process is a fork() child. */
cs_status gl_run(cs_device *device, gl_job job, void *arg);
/* Work that frees GL objects: nothing checks it. */
typedef void (*gl_destroy_job)(void *arg);
/* For destroy functions: job(arg) on the device's thread, lost devices
 * too, and the GL errors it raised dropped. */
void gl_run_to_destroy(cs_device *device, gl_destroy_job job, void *arg);
/* At discovery (the context not current anywhere) / when the instance
 * goes (before the context is destroyed). */
cs_status gl_owner_start(gl_device *dev);
void gl_owner_stop(gl_device *dev);

/* >>context (gl_context.c) */
/* Binds EGL_OPENGL_API on the calling thread (once per thread); false when
 * EGL refuses. Before any eglMakeCurrent of the backend's contexts. */
bool gl_bind_api(void);
/* Reads every pending GL error flag, dropping them. */
void gl_discard_errors(void);
/* Waits for sync up to timeout_ns (UINT64_MAX: forever; 0: only looks),
 * polling first as the Vulkan backend does: glClientWaitSync's result. */
GLenum gl_wait_sync(GLsync sync, uint64_t timeout_ns);
/* Waits for every command issued so far (a fence), up to the device's wait
 * timeout: CS_OK, CS_TIMEOUT or a failure. */
cs_status gl_finish(cs_device *device, gl_device *dev, const char *what);
/* CS_OK, or the GL error raised since the last check as a cs_fail naming
 * what was being done. */
cs_status gl_check(gl_device *dev, const char *what);
/* CS_ERROR_DEVICE_LOST naming the device. */
cs_status gl_lost(const cs_device *device);
/* The "not supported by the OpenGL backend" failure. */
cs_status gl_unsupported(const char *what);

static inline gl_device *gl_device_of(const cs_device *device)
{
    return device->impl;
}
static inline gl_resource *gl_resource_of(const cs_resource *resource)
{
    return resource->impl;
}

/* >>formats (gl_formats.c) */
typedef struct gl_format {
    GLenum internal_format; /* 0: GL has no such format */
    GLenum format, type;    /* for uploads and readbacks */
    bool image_unit;        /* usable with glBindImageTexture */
    bool texture_buffer;    /* usable with glTexBuffer */
    bool bgra;              /* stored as RGBA bytes and swizzled when sampled */
} gl_format;
/* internal_format 0: not a format of the list */
gl_format gl_format_of(cs_format format);
/* Fills dev->format_support (context current): what OpenGL 4.5 allows,
 * narrowed by glGetInternalformativ's answers when ask_driver
 * (gl_format_support answers from it). */
void gl_format_read_support(gl_device *dev, bool ask_driver);

/* >>resources (gl_resource.c, gl_copy.c) */
/* Issues a copy (context current, nothing waited for). */
cs_status gl_copy_record(gl_device *dev, cs_resource *src, cs_resource *dst,
                         const cs_copy_desc *desc);

/* >>computes (gl_compute.c, gl_spirv.c) */
/* The module's words with the bindings renumbered per GL kind (bindings[i]
 * for compute->slots[i]), descriptor sets dropped and the push constant
 * block turned into a uniform block at push_unit. *out_words: malloc'd. */
cs_status gl_spirv_rewrite(const cs_compute *compute, const uint32_t *words,
                           size_t word_count, const gl_binding *bindings,
                           GLuint push_unit, uint32_t **out_words,
                           size_t *out_word_count);
/* Binds the compute's resources and push data and issues the dispatch
 * (context current, nothing waited for). push_buffer/push_offset: where
 * the push data already is (0: none). */
cs_status gl_compute_record(gl_device *dev, cs_compute *compute,
                            const uint32_t groups[3], cs_resource *indirect,
                            uint64_t indirect_offset, GLuint push_buffer,
                            GLintptr push_offset);

#endif
