/* copy.c - bounds checks for GPU copies in every direction; the backend
 * receives a desc with every default resolved. */
#include "backend.h"

static bool is_texture(const cs_resource *resource)
{
    return resource->info.kind != CS_RESOURCE_BUFFER;
}

static cs_status copy_buffer_to_buffer(const cs_resource *src,
                                       const cs_resource *dst,
                                       cs_copy_desc *desc)
{
    uint64_t src_size = src->info.size, dst_size = dst->info.size;
    if (desc->src_offset > src_size)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "copy: src_offset %llu is past the end of the "
                       "%llu-byte source buffer",
                       (unsigned long long)desc->src_offset,
                       (unsigned long long)src_size);
    if (desc->size == 0)
        desc->size = src_size - desc->src_offset;
    if (desc->size > src_size - desc->src_offset)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "copy: %llu bytes from src_offset %llu exceed the "
                       "%llu-byte source buffer",
                       (unsigned long long)desc->size,
                       (unsigned long long)desc->src_offset,
                       (unsigned long long)src_size);
    if (desc->dst_offset > dst_size || desc->size > dst_size - desc->dst_offset)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "copy: %llu bytes to dst_offset %llu exceed the "
                       "%llu-byte destination buffer",
                       (unsigned long long)desc->size,
                       (unsigned long long)desc->dst_offset,
                       (unsigned long long)dst_size);
    /* Vulkan (and D3D12) forbid overlapping regions in one buffer. */
    if (src == dst && desc->size > 0 &&
        desc->src_offset < desc->dst_offset + desc->size &&
        desc->dst_offset < desc->src_offset + desc->size)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "copy: %llu bytes from src_offset %llu to dst_offset "
                       "%llu overlap in the same buffer",
                       (unsigned long long)desc->size,
                       (unsigned long long)desc->src_offset,
                       (unsigned long long)desc->dst_offset);
    return CS_OK;
}

/* Resolves a box at (x, y, z) of a texture: zero extents mean "to the end"
 * of the texture, then checks the box lies inside it. */
static cs_status resolve_box(const cs_resource *texture, const char *side,
                             uint32_t x, uint32_t y, uint32_t z, uint32_t slice,
                             cs_copy_desc *desc)
{
    const cs_resource_info *info = &texture->info;
    const uint32_t origin[3] = {x, y, z};
    const uint32_t extent[3] = {info->width, info->height, info->depth};
    uint32_t *box[3] = {&desc->width, &desc->height, &desc->depth};
    static const char axes[3] = {'x', 'y', 'z'};
    for (int axis = 0; axis < 3; axis++) {
        if (origin[axis] >= extent[axis])
            return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                           "copy: %s_%c %u is outside the %s %s of %u", side,
                           axes[axis], origin[axis],
                           cs_resource_kind_name(info->kind),
                           axis == 0   ? "width"
                           : axis == 1 ? "height"
                                       : "depth",
                           extent[axis]);
        if (*box[axis] == 0)
            *box[axis] = extent[axis] - origin[axis];
        if (*box[axis] > extent[axis] - origin[axis])
            return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                           "copy: a box of %u texels from %s_%c %u exceeds "
                           "the %s extent of %u",
                           *box[axis], side, axes[axis], origin[axis],
                           cs_resource_kind_name(info->kind), extent[axis]);
    }
    if (slice >= info->slices)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "copy: %s_slice %u is out of range: the %s has %u "
                       "slice%s",
                       side, slice, cs_resource_kind_name(info->kind),
                       info->slices, info->slices == 1 ? "" : "s");
    return CS_OK;
}

/* The buffer side of a buffer<->texture copy holds the box in rows of the
 * texture's row_pitch, box height rows to a slice: the GPU touches from
 * offset to the last texel of the last row. `size` (0: what the box needs)
 * names the bytes of the buffer the copy may use from offset: they must lie
 * inside the buffer and hold the whole box; a size too small for it is an
 * error, never a partial copy (the box is chosen with width/height/depth).
 * Vulkan also needs the offset to be a whole number of texels. */
static cs_status check_buffer_side(const cs_resource *buffer, uint64_t offset,
                                   const cs_resource *texture,
                                   const cs_copy_desc *desc, const char *side,
                                   const char *offset_name)
{
    const cs_resource_info *info = &texture->info;
    uint64_t texel = cs_format_texel_size(info->format);
    uint64_t rows =
        (uint64_t)(desc->depth - 1) * desc->height + (desc->height - 1);
    uint64_t needed = rows * info->row_pitch + desc->width * texel;
    uint64_t buffer_size = buffer->info.size;
    if (texel != 0 && offset % texel)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "copy: %s %llu is not a multiple of the %llu-byte "
                       "texel of %s: copies between a buffer and a %s start "
                       "on a whole texel",
                       offset_name, (unsigned long long)offset,
                       (unsigned long long)texel, cs_format_name(info->format),
                       cs_resource_kind_name(info->kind));
    if (desc->size != 0 && desc->size < needed)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "copy: size %llu is too small for the %ux%ux%u texels "
                       "of the %s (%s): they take %llu bytes of the %s "
                       "buffer in rows of %u bytes; pass size=0 (or at least "
                       "%llu), or a smaller width/height/depth",
                       (unsigned long long)desc->size, desc->width,
                       desc->height, desc->depth,
                       cs_resource_kind_name(info->kind),
                       cs_format_name(info->format), (unsigned long long)needed,
                       side, info->row_pitch, (unsigned long long)needed);
    uint64_t used = desc->size != 0 ? desc->size : needed;
    if (offset > buffer_size || used > buffer_size - offset)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "copy: the %s buffer needs %llu bytes from offset %llu "
                       "for %ux%ux%u texels of the %s in rows of %u bytes, it "
                       "has %llu",
                       side, (unsigned long long)used,
                       (unsigned long long)offset, desc->width, desc->height,
                       desc->depth, cs_resource_kind_name(info->kind),
                       info->row_pitch, (unsigned long long)buffer_size);
    return CS_OK;
}

/* Vulkan copies between images of one type, or between 2D and 3D (a 2D
 * slice is one depth plane); a 1D texture pairs only with another 1D. */
static cs_status check_texture_kinds(const cs_resource *src,
                                     const cs_resource *dst)
{
    cs_resource_kind a = src->info.kind, b = dst->info.kind;
    if (a == b || (a != CS_RESOURCE_TEXTURE1D && b != CS_RESOURCE_TEXTURE1D))
        return CS_OK;
    return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                   "copy: a %s cannot be copied to a %s on the GPU (textures "
                   "copy to the same kind, or between Texture2D and "
                   "Texture3D); copy through a buffer instead",
                   cs_resource_kind_name(a), cs_resource_kind_name(b));
}

cs_status cs_copy_resolve(const cs_resource *src, const cs_resource *dst,
                          const cs_copy_desc *desc_in, cs_copy_desc *out_desc,
                          bool *out_empty)
{
    if (!src || !dst)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "copy: source and destination must not be NULL");
    if (src->device != dst->device)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "copy: the source is on device '%s', the destination "
                       "on device '%s'; copies stay on one device",
                       src->device->info.name, dst->device->info.name);
    cs_copy_desc desc = {0};
    if (desc_in)
        desc = *desc_in;
    cs_status status;
    if (!is_texture(src) && !is_texture(dst)) {
        status = copy_buffer_to_buffer(src, dst, &desc);
    } else if (!is_texture(src)) {
        status = resolve_box(dst, "dst", desc.dst_x, desc.dst_y, desc.dst_z,
                             desc.dst_slice, &desc);
        if (status == CS_OK)
            status = check_buffer_side(src, desc.src_offset, dst, &desc,
                                       "source", "src_offset");
    } else if (!is_texture(dst)) {
        status = resolve_box(src, "src", desc.src_x, desc.src_y, desc.src_z,
                             desc.src_slice, &desc);
        if (status == CS_OK)
            status = check_buffer_side(dst, desc.dst_offset, src, &desc,
                                       "destination", "dst_offset");
    } else {
        status = check_texture_kinds(src, dst);
        if (status != CS_OK)
            return status;
        if (cs_format_texel_size(src->info.format) !=
            cs_format_texel_size(dst->info.format))
            return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                           "copy: texel sizes differ: %s is %u bytes, %s is "
                           "%u bytes",
                           cs_format_name(src->info.format),
                           cs_format_texel_size(src->info.format),
                           cs_format_name(dst->info.format),
                           cs_format_texel_size(dst->info.format));
        status = resolve_box(src, "src", desc.src_x, desc.src_y, desc.src_z,
                             desc.src_slice, &desc);
        if (status == CS_OK) {
            /* the destination must take the whole resolved box */
            cs_copy_desc box = desc;
            status = resolve_box(dst, "dst", desc.dst_x, desc.dst_y, desc.dst_z,
                                 desc.dst_slice, &box);
        }
        /* Vulkan forbids overlapping regions within one image. */
        if (status == CS_OK && src == dst && desc.src_slice == desc.dst_slice &&
            desc.src_x < desc.dst_x + desc.width &&
            desc.dst_x < desc.src_x + desc.width &&
            desc.src_y < desc.dst_y + desc.height &&
            desc.dst_y < desc.src_y + desc.height &&
            desc.src_z < desc.dst_z + desc.depth &&
            desc.dst_z < desc.src_z + desc.depth)
            return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                           "copy: the %ux%ux%u box from (%u, %u, %u) to "
                           "(%u, %u, %u) overlaps itself in the same %s",
                           desc.width, desc.height, desc.depth, desc.src_x,
                           desc.src_y, desc.src_z, desc.dst_x, desc.dst_y,
                           desc.dst_z, cs_resource_kind_name(src->info.kind));
    }
    if (status != CS_OK)
        return status;
    /* nothing left past src_offset: Vulkan forbids 0 */
    *out_empty = desc.size == 0 && !is_texture(src) && !is_texture(dst);
    *out_desc = desc;
    return CS_OK;
}

cs_status cs_resource_copy(cs_resource *src, cs_resource *dst,
                           const cs_copy_desc *desc_in)
{
    cs_copy_desc desc;
    bool empty = false;
    cs_status status = cs_copy_resolve(src, dst, desc_in, &desc, &empty);
    if (status != CS_OK || empty)
        return status;
    return src->device->instance->backend->copy(src, dst, &desc);
}
