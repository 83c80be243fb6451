/* gl_resource.c - buffers (persistently mapped for the UPLOAD and READBACK
 * heaps, with a buffer texture when typed) and textures (immutable
 * storage); heaps and sparse tiles, which GL cannot do. */
#include "gl_internal.h"

#include <stdlib.h>

cs_status gl_heap_create(cs_heap *heap)
{
    (void)heap;
    return gl_unsupported("placing resources in heaps (cs_heap_create, "
                          "heap aliasing)");
}

void gl_heap_destroy(cs_heap *heap)
{
    (void)heap;
}

cs_status gl_resource_bind_tile(cs_resource *resource, uint32_t x, uint32_t y,
                                uint32_t z, uint32_t slice, cs_heap *heap,
                                uint64_t heap_offset)
{
    (void)resource, (void)x, (void)y, (void)z, (void)slice, (void)heap;
    (void)heap_offset;
    return gl_unsupported("sparse (tiled) resources");
}

cs_status gl_buffer_flush(cs_resource *buffer, uint64_t offset, uint64_t size)
{
    (void)offset, (void)size;
    if (atomic_load(&gl_device_of(buffer->device)->lost))
        return gl_lost(buffer->device);
    return CS_OK; /* the mapping is coherent */
}

cs_status gl_buffer_invalidate(cs_resource *buffer, uint64_t offset,
                               uint64_t size)
{
    (void)offset, (void)size;
    if (atomic_load(&gl_device_of(buffer->device)->lost))
        return gl_lost(buffer->device);
    return CS_OK; /* coherent; writes are fenced before calls return */
}

static cs_status create_buffer(gl_device *dev, cs_resource *resource,
                               gl_resource *impl)
{
    const cs_resource_info *info = &resource->info;
    GLbitfield flags = 0;
    bool mapped = info->heap_type != CS_HEAP_DEFAULT;
    if (mapped)
        flags =
            GL_MAP_READ_BIT | GL_MAP_WRITE_BIT | GL_MAP_PERSISTENT_BIT |
            GL_MAP_COHERENT_BIT |
            (info->heap_type == CS_HEAP_READBACK ? GL_CLIENT_STORAGE_BIT : 0);
    glCreateBuffers(1, &impl->buffer);
    glNamedBufferStorage(impl->buffer, (GLsizeiptr)info->size, NULL, flags);
    cs_status status = gl_check(dev, "creating a buffer");
    if (status != CS_OK)
        return status;
    if (mapped) {
        resource->mapped =
            glMapNamedBufferRange(impl->buffer, 0, (GLsizeiptr)info->size,
                                  flags & ~(GLbitfield)GL_CLIENT_STORAGE_BIT);
        if (!resource->mapped) {
            gl_check(dev, "mapping a buffer");
            return cs_fail(CS_ERROR_OUT_OF_DEVICE_MEMORY,
                           "cannot map a %llu-byte %s buffer",
                           (unsigned long long)info->size,
                           cs_heap_type_name(info->heap_type));
        }
    }
    gl_format format = gl_format_of(info->format);
    /* typed buffers: their format has a buffer texture (both its uses
     * need one: the core refused the others, gl_formats.c) */
    if (info->format && format.texture_buffer) {
        glCreateTextures(GL_TEXTURE_BUFFER, 1, &impl->texture);
        glTextureBufferRange(impl->texture, format.internal_format,
                             impl->buffer, 0, (GLsizeiptr)info->size);
        impl->target = GL_TEXTURE_BUFFER;
        impl->internal_format = format.internal_format;
    }
    resource->info.heap_size = info->size;
    /* nothing to wait for: the buffer is GL's to order behind the work
     * already issued (on one context), and waiting would make a creation
     * wait for a long dispatch still running */
    return gl_check(dev, "creating a buffer");
}

static cs_status create_texture(gl_device *dev, cs_resource *resource,
                                gl_resource *impl)
{
    const cs_resource_info *info = &resource->info;
    gl_format format = gl_format_of(info->format);
    if (!format.internal_format)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "format %s is not supported by the OpenGL backend",
                       cs_format_name(info->format));
    bool array = info->slices > 1;
    switch (info->kind) {
    case CS_RESOURCE_TEXTURE1D:
        impl->target = array ? GL_TEXTURE_1D_ARRAY : GL_TEXTURE_1D;
        break;
    case CS_RESOURCE_TEXTURE3D: impl->target = GL_TEXTURE_3D; break;
    default: impl->target = array ? GL_TEXTURE_2D_ARRAY : GL_TEXTURE_2D; break;
    }
    impl->internal_format = format.internal_format;
    glCreateTextures(impl->target, 1, &impl->texture);
    GLsizei width = (GLsizei)info->width, height = (GLsizei)info->height;
    switch (impl->target) {
    case GL_TEXTURE_1D:
        glTextureStorage1D(impl->texture, 1, format.internal_format, width);
        break;
    case GL_TEXTURE_1D_ARRAY:
        glTextureStorage2D(impl->texture, 1, format.internal_format, width,
                           (GLsizei)info->slices);
        break;
    case GL_TEXTURE_2D:
        glTextureStorage2D(impl->texture, 1, format.internal_format, width,
                           height);
        break;
    case GL_TEXTURE_2D_ARRAY:
        glTextureStorage3D(impl->texture, 1, format.internal_format, width,
                           height, (GLsizei)info->slices);
        break;
    default:
        glTextureStorage3D(impl->texture, 1, format.internal_format, width,
                           height, (GLsizei)info->depth);
        break;
    }
    glTextureParameteri(impl->texture, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTextureParameteri(impl->texture, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    if (format.bgra) {
        glTextureParameteri(impl->texture, GL_TEXTURE_SWIZZLE_R, GL_BLUE);
        glTextureParameteri(impl->texture, GL_TEXTURE_SWIZZLE_B, GL_RED);
    }
    resource->info.heap_size = info->size;
    return gl_check(dev, "creating a texture");
}

/* Deletes the resource's GL objects (a gl_destroy_job too). */
static void free_objects(void *arg)
{
    gl_resource *impl = arg;
    if (impl->texture)
        glDeleteTextures(1, &impl->texture);
    if (impl->buffer)
        glDeleteBuffers(1, &impl->buffer); /* unmaps it */
}

static cs_status create_on_owner(gl_device *dev, void *arg)
{
    cs_resource *resource = arg;
    gl_resource *impl = calloc(1, sizeof *impl);
    if (!impl)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while creating a resource");
    cs_status status = resource->info.kind == CS_RESOURCE_BUFFER
                           ? create_buffer(dev, resource, impl)
                           : create_texture(dev, resource, impl);
    if (status != CS_OK) {
        free_objects(impl);
        free(impl);
        resource->mapped = NULL;
    } else {
        resource->impl = impl;
    }
    return status;
}

cs_status gl_resource_create(cs_resource *resource)
{
    if (resource->sparse)
        return gl_unsupported("sparse (tiled) resources");
    if (resource->heap)
        return gl_unsupported("placing resources in heaps");
    return gl_run(resource->device, create_on_owner, resource);
}

void gl_resource_destroy(cs_resource *resource)
{
    gl_resource *impl = resource->impl;
    gl_run_to_destroy(resource->device, free_objects, impl);
    free(impl);
    resource->impl = NULL;
    resource->mapped = NULL;
}
