/* gl_copy.c - GPU copies: buffer to buffer (glCopyNamedBufferSubData),
 * texture to texture (glCopyImageSubData), and between buffers and
 * textures through the pixel unpack/pack buffer bindings; waited for. */
#include "gl_internal.h"

static bool is_buffer(const cs_resource *resource)
{
    return resource->info.kind == CS_RESOURCE_BUFFER;
}

/* A box of a texture in GL's coordinates: array textures count slices in
 * the next coordinate after their last dimension. */
typedef struct gl_box {
    GLint x, y, z;
    GLsizei width, height, depth;
} gl_box;

static gl_box box_of(const cs_resource *texture, uint32_t x, uint32_t y,
                     uint32_t z, uint32_t slice, const cs_copy_desc *desc)
{
    gl_box box = {(GLint)x,
                  (GLint)y,
                  (GLint)z,
                  (GLsizei)desc->width,
                  (GLsizei)desc->height,
                  (GLsizei)desc->depth};
    switch (gl_resource_of(texture)->target) {
    case GL_TEXTURE_1D_ARRAY:
        box.y = (GLint)slice;
        box.height = 1;
        break;
    case GL_TEXTURE_2D_ARRAY:
        box.z = (GLint)slice;
        box.depth = 1;
        break;
    default: break;
    }
    return box;
}

static void buffer_to_texture(const cs_resource *buffer,
                              const cs_resource *texture,
                              const cs_copy_desc *desc)
{
    const gl_resource *impl = gl_resource_of(texture);
    gl_format format = gl_format_of(texture->info.format);
    gl_box box = box_of(texture, desc->dst_x, desc->dst_y, desc->dst_z,
                        desc->dst_slice, desc);
    const void *offset = (const void *)(uintptr_t)desc->src_offset;
    glBindBuffer(GL_PIXEL_UNPACK_BUFFER, gl_resource_of(buffer)->buffer);
    switch (impl->target) {
    case GL_TEXTURE_1D:
        glTextureSubImage1D(impl->texture, 0, box.x, box.width, format.format,
                            format.type, offset);
        break;
    case GL_TEXTURE_1D_ARRAY:
    case GL_TEXTURE_2D:
        glTextureSubImage2D(impl->texture, 0, box.x, box.y, box.width,
                            box.height, format.format, format.type, offset);
        break;
    default:
        glTextureSubImage3D(impl->texture, 0, box.x, box.y, box.z, box.width,
                            box.height, box.depth, format.format, format.type,
                            offset);
        break;
    }
    glBindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
}

static void texture_to_buffer(const cs_resource *texture,
                              const cs_resource *buffer,
                              const cs_copy_desc *desc)
{
    const gl_resource *impl = gl_resource_of(texture);
    gl_format format = gl_format_of(texture->info.format);
    gl_box box = box_of(texture, desc->src_x, desc->src_y, desc->src_z,
                        desc->src_slice, desc);
    glBindBuffer(GL_PIXEL_PACK_BUFFER, gl_resource_of(buffer)->buffer);
    glGetTextureSubImage(impl->texture, 0, box.x, box.y, box.z, box.width,
                         box.height, box.depth, format.format, format.type,
                         (GLsizei)(buffer->info.size - desc->dst_offset),
                         (void *)(uintptr_t)desc->dst_offset);
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
}

cs_status gl_copy_record(gl_device *dev, cs_resource *src, cs_resource *dst,
                         const cs_copy_desc *desc)
{
    if (is_buffer(src) && is_buffer(dst)) {
        glCopyNamedBufferSubData(
            gl_resource_of(src)->buffer, gl_resource_of(dst)->buffer,
            (GLintptr)desc->src_offset, (GLintptr)desc->dst_offset,
            (GLsizeiptr)desc->size);
    } else if (is_buffer(src) || is_buffer(dst)) {
        const cs_resource *texture = is_buffer(src) ? dst : src;
        uint32_t texel = cs_format_texel_size(texture->info.format);
        /* the buffer holds rows of the texture's row_pitch bytes, and
         * desc->height rows per slice */
        GLenum row_length =
            is_buffer(src) ? GL_UNPACK_ROW_LENGTH : GL_PACK_ROW_LENGTH;
        GLenum image_height =
            is_buffer(src) ? GL_UNPACK_IMAGE_HEIGHT : GL_PACK_IMAGE_HEIGHT;
        GLenum alignment =
            is_buffer(src) ? GL_UNPACK_ALIGNMENT : GL_PACK_ALIGNMENT;
        glPixelStorei(alignment, 1);
        glPixelStorei(row_length,
                      (GLint)(texel ? texture->info.row_pitch / texel : 0));
        glPixelStorei(image_height, (GLint)desc->height);
        if (is_buffer(src))
            buffer_to_texture(src, dst, desc);
        else
            texture_to_buffer(src, dst, desc);
        glPixelStorei(row_length, 0);
        glPixelStorei(image_height, 0);
    } else {
        const gl_resource *from = gl_resource_of(src);
        const gl_resource *to = gl_resource_of(dst);
        gl_box a = box_of(src, desc->src_x, desc->src_y, desc->src_z,
                          desc->src_slice, desc);
        gl_box b = box_of(dst, desc->dst_x, desc->dst_y, desc->dst_z,
                          desc->dst_slice, desc);
        /* glCopyImageSubData counts the slices of every array in z */
        if (from->target == GL_TEXTURE_1D_ARRAY) {
            a.z = a.y;
            a.y = 0;
        }
        if (to->target == GL_TEXTURE_1D_ARRAY) {
            b.z = b.y;
            b.y = 0;
        }
        glCopyImageSubData(from->texture, from->target, 0, a.x, a.y, a.z,
                           to->texture, to->target, 0, b.x, b.y, b.z, a.width,
                           a.height, a.depth);
    }
    /* what the copy wrote is seen by the next command */
    glMemoryBarrier(GL_ALL_BARRIER_BITS);
    return gl_check(dev, "copying");
}

typedef struct copy_job {
    cs_resource *src, *dst;
    const cs_copy_desc *desc;
} copy_job;

static cs_status copy_on_owner(gl_device *dev, void *arg)
{
    const copy_job *job = arg;
    cs_status status = gl_copy_record(dev, job->src, job->dst, job->desc);
    if (status == CS_OK)
        status = gl_finish(job->src->device, dev, "copy");
    return status;
}

cs_status gl_copy(cs_resource *src, cs_resource *dst, const cs_copy_desc *desc)
{
    copy_job job = {src, dst, desc};
    return gl_run(src->device, copy_on_owner, &job);
}
