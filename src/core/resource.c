/* resource.c - buffers and textures: argument checks, bookkeeping, and the
 * CPU side of uploads and readbacks through mapped memory. */
#include "backend.h"

#include <stdlib.h>
#include <string.h>

static const char *const heap_type_names[] = {"HEAP_DEFAULT", "HEAP_UPLOAD",
                                              "HEAP_READBACK"};

const char *cs_heap_type_name(cs_heap_type type)
{
    return (unsigned)type < 3 ? heap_type_names[type] : "an unknown heap type";
}

static const char *kind_name(cs_resource_kind kind)
{
    switch (kind) {
    case CS_RESOURCE_BUFFER: return "buffer";
    case CS_RESOURCE_TEXTURE1D: return "Texture1D";
    case CS_RESOURCE_TEXTURE2D: return "Texture2D";
    case CS_RESOURCE_TEXTURE3D: return "Texture3D";
    }
    return "resource";
}

const char *cs_resource_kind_name(cs_resource_kind kind)
{
    return kind_name(kind);
}

static cs_status check_heap_type(cs_heap_type type, const char *what)
{
    if ((unsigned)type > CS_HEAP_READBACK)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "invalid heap type %d for %s: expected HEAP_DEFAULT "
                       "(0), HEAP_UPLOAD (1) or HEAP_READBACK (2)",
                       (int)type, what);
    return CS_OK;
}

static cs_status check_placement(const cs_device *device,
                                 const cs_resource_desc *desc,
                                 cs_heap_type heap_type, const char *what)
{
    if (!desc->heap) {
        if (desc->heap_offset)
            return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                           "%s: heap_offset %llu given without a heap", what,
                           (unsigned long long)desc->heap_offset);
        return CS_OK;
    }
    if (desc->sparse)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "%s: a sparse resource takes no heap at creation; "
                       "map its tiles with bind_tile instead",
                       what);
    if (desc->heap->device != device)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "%s: the heap belongs to another device", what);
    if (desc->heap->type != heap_type)
        return cs_fail(
            CS_ERROR_INVALID_ARGUMENT, "%s: the heap is %s, expected %s", what,
            cs_heap_type_name(desc->heap->type), cs_heap_type_name(heap_type));
    if (desc->heap_offset >= desc->heap->size)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "%s: heap_offset %llu is past the end of the "
                       "%llu-byte heap",
                       what, (unsigned long long)desc->heap_offset,
                       (unsigned long long)desc->heap->size);
    return CS_OK;
}

/* Fills info from a buffer desc, checking what the core can. */
static cs_status describe_buffer(const cs_device *device,
                                 const cs_resource_desc *desc,
                                 cs_resource_info *info)
{
    cs_status status = check_heap_type(desc->heap_type, "buffer");
    if (status != CS_OK)
        return status;
    if (desc->size == 0)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "buffer size must be greater than 0");
    if (device->info.max_buffer_size &&
        desc->size > device->info.max_buffer_size)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "buffer size %llu is larger than the device's limit "
                       "of %llu bytes",
                       (unsigned long long)desc->size,
                       (unsigned long long)device->info.max_buffer_size);
    if (desc->format) {
        uint32_t texel_size = cs_format_texel_size(desc->format);
        if (!texel_size)
            return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                           "invalid format %u for a typed buffer: expected "
                           "one of compushady.formats",
                           desc->format);
        uint64_t elements = desc->size / texel_size;
        if (device->info.max_texel_buffer_elements &&
            elements > device->info.max_texel_buffer_elements)
            return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                           "typed buffer of %llu %s elements exceeds the "
                           "device's limit of %u elements",
                           (unsigned long long)elements,
                           cs_format_name(desc->format),
                           device->info.max_texel_buffer_elements);
    }
    if (desc->sparse && desc->heap_type != CS_HEAP_DEFAULT)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "sparse buffers live in HEAP_DEFAULT, not %s",
                       cs_heap_type_name(desc->heap_type));
    status = check_placement(device, desc, desc->heap_type, "buffer");
    if (status != CS_OK)
        return status;
    info->kind = CS_RESOURCE_BUFFER;
    info->heap_type = desc->heap_type;
    info->size = desc->size;
    info->stride = desc->stride;
    info->format = desc->format;
    info->width = desc->size > UINT32_MAX ? UINT32_MAX : (uint32_t)desc->size;
    info->height = info->depth = info->slices = 1;
    return CS_OK;
}

static cs_status check_extent(const char *what, const char *axis,
                              uint32_t value, uint32_t limit)
{
    if (value == 0)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "%s %s must be greater than 0", what, axis);
    if (limit && value > limit)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "%s %s %u is larger than the device's limit of %u", what,
                       axis, value, limit);
    return CS_OK;
}

static cs_status describe_texture(const cs_device *device,
                                  const cs_resource_desc *desc,
                                  cs_resource_info *info)
{
    const cs_device_info *limits = &device->info;
    const char *what = kind_name(desc->kind);
    uint32_t width = desc->width, height = 1, depth = 1;
    uint32_t slices = desc->slices ? desc->slices : 1;
    uint32_t dimension_limit = limits->max_image_dimension_1d;
    if (desc->kind != CS_RESOURCE_TEXTURE1D) {
        height = desc->height;
        dimension_limit = limits->max_image_dimension_2d;
    }
    if (desc->kind == CS_RESOURCE_TEXTURE3D) {
        depth = desc->depth;
        dimension_limit = limits->max_image_dimension_3d;
    }
    cs_status status = check_extent(what, "width", width, dimension_limit);
    if (status == CS_OK)
        status = check_extent(what, "height", height, dimension_limit);
    if (status == CS_OK)
        status = check_extent(what, "depth", depth, dimension_limit);
    if (status != CS_OK)
        return status;
    if (desc->kind == CS_RESOURCE_TEXTURE3D && slices != 1)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "Texture3D has no slices (got %u)", slices);
    status =
        check_extent(what, "slices", slices, limits->max_image_array_layers);
    if (status != CS_OK)
        return status;
    uint32_t texel_size = cs_format_texel_size(desc->format);
    if (!texel_size)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "invalid format %u for a %s: expected one of "
                       "compushady.formats",
                       desc->format, what);
    if (desc->heap_type != CS_HEAP_DEFAULT)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "textures live in HEAP_DEFAULT memory, not %s",
                       cs_heap_type_name(desc->heap_type));
    status = check_placement(device, desc, CS_HEAP_DEFAULT, what);
    if (status != CS_OK)
        return status;
    uint64_t row_pitch = (uint64_t)width * texel_size;
    if (row_pitch > UINT32_MAX)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "%s rows of %llu bytes are too long", what,
                       (unsigned long long)row_pitch);
    info->kind = desc->kind;
    info->heap_type = CS_HEAP_DEFAULT;
    info->format = desc->format;
    info->width = width;
    info->height = height;
    info->depth = depth;
    info->slices = slices;
    info->row_pitch = (uint32_t)row_pitch;
    /* the linear, packed representation: every row, every slice */
    info->size = row_pitch * height * depth * slices;
    return CS_OK;
}

cs_status cs_resource_create(cs_device *device, const cs_resource_desc *desc,
                             cs_resource **out_resource)
{
    if (!device || !desc || !out_resource)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_resource_create: device, desc and out_resource "
                       "must not be NULL");
    cs_resource_info info = {0};
    cs_status status;
    switch (desc->kind) {
    case CS_RESOURCE_BUFFER:
        status = describe_buffer(device, desc, &info);
        break;
    case CS_RESOURCE_TEXTURE1D:
    case CS_RESOURCE_TEXTURE2D:
    case CS_RESOURCE_TEXTURE3D:
        status = describe_texture(device, desc, &info);
        break;
    default:
        return cs_fail(CS_ERROR_INVALID_ARGUMENT, "invalid resource kind %d",
                       (int)desc->kind);
    }
    if (status != CS_OK)
        return status;
    if (desc->sparse && !device->info.supports_sparse)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "sparse resources need sparse binding, which device "
                       "'%s' does not support",
                       device->info.name);
    if (info.format) {
        status = cs_format_check_resource(device, &info);
        if (status != CS_OK)
            return status;
    }

    cs_resource *resource = calloc(1, sizeof *resource);
    if (!resource)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory creating a %s",
                       kind_name(desc->kind));
    atomic_init(&resource->refcount, 1);
    resource->device = device;
    resource->info = info;
    resource->heap = desc->heap;
    resource->heap_offset = desc->heap_offset;
    resource->sparse = desc->sparse;
    status = device->instance->backend->resource_create(resource);
    if (status != CS_OK) {
        free(resource);
        return status;
    }
    if (resource->sparse) {
        status = cs_sparse_init(resource);
        if (status != CS_OK) {
            device->instance->backend->resource_destroy(resource);
            free(resource);
            return status;
        }
    }
    cs_heap_retain(resource->heap);
    cs_instance_retain(device->instance);
    *out_resource = resource;
    return CS_OK;
}

void cs_resource_retain(cs_resource *resource)
{
    if (resource)
        atomic_fetch_add(&resource->refcount, 1);
}

void cs_resource_release(cs_resource *resource)
{
    if (!resource || atomic_fetch_sub(&resource->refcount, 1) != 1)
        return;
    cs_instance *instance = resource->device->instance;
    instance->backend->resource_destroy(resource);
    /* the tiles' heaps outlive the resource that maps them */
    cs_sparse_destroy(resource);
    cs_heap_release(resource->heap);
    free(resource);
    cs_instance_release(instance);
}

void cs_resource_get_info(const cs_resource *resource,
                          cs_resource_info *out_info)
{
    if (resource && out_info)
        *out_info = resource->info;
}

cs_device *cs_resource_device(const cs_resource *resource)
{
    return resource ? resource->device : NULL;
}

/* >>host access */

static cs_status check_host_visible(const cs_resource *buffer,
                                    const char *operation)
{
    if (!buffer)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT, "%s: buffer is NULL",
                       operation);
    if (buffer->info.kind != CS_RESOURCE_BUFFER)
        return cs_fail(CS_ERROR_INVALID_OPERATION,
                       "%s needs a buffer, not a %s; copy the texture to a "
                       "HEAP_READBACK or from a HEAP_UPLOAD buffer",
                       operation, kind_name(buffer->info.kind));
    if (!buffer->mapped)
        return cs_fail(CS_ERROR_INVALID_OPERATION,
                       "%s needs a host-visible buffer, this one is in %s; "
                       "create it with HEAP_UPLOAD or HEAP_READBACK",
                       operation, cs_heap_type_name(buffer->info.heap_type));
    return CS_OK;
}

/* After the arguments are checked, before the mapped memory is touched:
 * a fork()ed child's mapping is the parent's memory, or none. */
static cs_status check_not_inherited(const cs_resource *buffer)
{
    if (buffer->device->instance->inherited)
        return cs_refuse_inherited(buffer->device->instance);
    return CS_OK;
}

static cs_status check_range(const cs_resource *buffer, uint64_t offset,
                             uint64_t size, const char *operation)
{
    uint64_t capacity = buffer->info.size;
    if (size > capacity || offset > capacity - size)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "%s of %llu bytes at offset %llu does not fit in the "
                       "%llu-byte buffer",
                       operation, (unsigned long long)size,
                       (unsigned long long)offset,
                       (unsigned long long)capacity);
    return CS_OK;
}

void *cs_buffer_mapped(cs_resource *buffer)
{
    if (check_host_visible(buffer, "mapping") != CS_OK ||
        check_not_inherited(buffer) != CS_OK)
        return NULL;
    return buffer->mapped;
}

static cs_status flush(cs_resource *buffer, uint64_t offset, uint64_t size)
{
    return buffer->device->instance->backend->buffer_flush(buffer, offset,
                                                           size);
}

static cs_status invalidate(cs_resource *buffer, uint64_t offset, uint64_t size)
{
    return buffer->device->instance->backend->buffer_invalidate(buffer, offset,
                                                                size);
}

cs_status cs_buffer_upload(cs_resource *buffer, uint64_t offset,
                           const void *data, uint64_t size)
{
    cs_status status = check_host_visible(buffer, "upload");
    if (status == CS_OK)
        status = check_range(buffer, offset, size, "upload");
    if (status != CS_OK)
        return status;
    if (size == 0)
        return CS_OK;
    if (!data)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT, "upload: data is NULL");
    status = check_not_inherited(buffer);
    if (status != CS_OK)
        return status;
    cs_host_copy((char *)buffer->mapped + offset, data, size);
    return flush(buffer, offset, size);
}

cs_status cs_buffer_readback(cs_resource *buffer, uint64_t offset, void *data,
                             uint64_t size)
{
    cs_status status = check_host_visible(buffer, "readback");
    if (status == CS_OK)
        status = check_range(buffer, offset, size, "readback");
    if (status != CS_OK)
        return status;
    if (size == 0)
        return CS_OK;
    if (!data)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT, "readback: data is NULL");
    status = check_not_inherited(buffer);
    if (status == CS_OK)
        status = invalidate(buffer, offset, size);
    if (status == CS_OK)
        cs_host_copy(data, (const char *)buffer->mapped + offset, size);
    return status;
}

/* Rows of `row` packed bytes that sit `pitch` bytes apart in a buffer. */
typedef struct pitched_rows {
    uint64_t row;   /* bytes of one packed row */
    uint64_t bytes; /* packed bytes moved in all */
    uint32_t pitch;
} pitched_rows;

/* Checks a pitched 2D layout against the buffer and the packed data. Short
 * data is accepted where allow_short_data (the original module's upload2d
 * copies as much as it is given); the rows touched must fit the buffer. */
static cs_status check_2d(const cs_resource *buffer, uint64_t data_size,
                          uint32_t pitch, uint32_t width, uint32_t height,
                          uint32_t bytes_per_pixel, bool allow_short_data,
                          const char *operation, pitched_rows *rows)
{
    uint64_t row = (uint64_t)width * bytes_per_pixel;
    if (row > pitch)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "%s: a row of %u pixels of %u bytes (%llu bytes) is "
                       "longer than the pitch of %u bytes",
                       operation, width, bytes_per_pixel,
                       (unsigned long long)row, pitch);
    uint64_t bytes = row * height;
    if (bytes > data_size) {
        if (!allow_short_data)
            return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                           "%s: %u rows of %llu bytes need %llu bytes of "
                           "data, got %llu",
                           operation, height, (unsigned long long)row,
                           (unsigned long long)bytes,
                           (unsigned long long)data_size);
        bytes = data_size;
    }
    *rows = (pitched_rows){.row = row, .bytes = bytes, .pitch = pitch};
    if (bytes == 0)
        return CS_OK;
    uint64_t last_row = (bytes - 1) / row;
    uint64_t span = pitch * last_row + (bytes - last_row * row);
    if (span > buffer->info.size)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "%s: %llu rows with a pitch of %u bytes need %llu "
                       "bytes, the buffer has %llu",
                       operation, (unsigned long long)(last_row + 1), pitch,
                       (unsigned long long)span,
                       (unsigned long long)buffer->info.size);
    return CS_OK;
}

/* The bytes of the buffer the rows cover, from byte 0. */
static uint64_t span_of(const pitched_rows *rows)
{
    uint64_t last_row = (rows->bytes - 1) / rows->row;
    return rows->pitch * last_row + (rows->bytes - last_row * rows->row);
}

cs_status cs_buffer_upload2d(cs_resource *buffer, const void *data,
                             uint64_t data_size, uint32_t pitch, uint32_t width,
                             uint32_t height, uint32_t bytes_per_pixel)
{
    pitched_rows rows = {0};
    cs_status status = check_host_visible(buffer, "upload2d");
    if (status == CS_OK)
        status = check_2d(buffer, data_size, pitch, width, height,
                          bytes_per_pixel, true, "upload2d", &rows);
    if (status == CS_OK && rows.bytes)
        status = check_not_inherited(buffer);
    if (status != CS_OK || rows.bytes == 0)
        return status;
    const char *source = data;
    char *target = buffer->mapped;
    for (uint64_t done = 0, y = 0; done < rows.bytes; done += rows.row, y++) {
        uint64_t amount =
            rows.bytes - done < rows.row ? rows.bytes - done : rows.row;
        memcpy(target + y * pitch, source + done, amount);
    }
    return flush(buffer, 0, span_of(&rows));
}

cs_status cs_buffer_readback2d(cs_resource *buffer, void *data,
                               uint64_t data_size, uint32_t pitch,
                               uint32_t width, uint32_t height,
                               uint32_t bytes_per_pixel)
{
    pitched_rows rows = {0};
    cs_status status = check_host_visible(buffer, "readback2d");
    if (status == CS_OK)
        status = check_2d(buffer, data_size, pitch, width, height,
                          bytes_per_pixel, false, "readback2d", &rows);
    if (status == CS_OK && rows.bytes)
        status = check_not_inherited(buffer);
    if (status != CS_OK || rows.bytes == 0)
        return status;
    status = invalidate(buffer, 0, span_of(&rows));
    if (status != CS_OK)
        return status;
    const char *source = buffer->mapped;
    char *target = data;
    for (uint64_t done = 0, y = 0; done < rows.bytes; done += rows.row, y++)
        memcpy(target + done, source + y * pitch, rows.row);
    return CS_OK;
}

cs_status cs_buffer_upload_chunked(cs_resource *buffer, const void *data,
                                   uint64_t data_size, uint32_t stride,
                                   const void *filler, uint32_t filler_size)
{
    cs_status status = check_host_visible(buffer, "upload_chunked");
    if (status != CS_OK)
        return status;
    if (stride == 0)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "upload_chunked: stride must be greater than 0");
    uint64_t chunks = data_size / stride + (data_size % stride != 0);
    uint64_t extra, total;
    /* data_size may be anything: the sum must not wrap around */
    if (__builtin_mul_overflow(chunks, (uint64_t)filler_size, &extra) ||
        __builtin_add_overflow(data_size, extra, &total))
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "upload_chunked: %llu bytes of data with %u filler "
                       "bytes every %u bytes exceed 64-bit sizes",
                       (unsigned long long)data_size, filler_size, stride);
    if (total > buffer->info.size)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "upload_chunked: %llu bytes of data with %u filler "
                       "bytes every %u bytes need %llu bytes, the buffer "
                       "has %llu",
                       (unsigned long long)data_size, filler_size, stride,
                       (unsigned long long)total,
                       (unsigned long long)buffer->info.size);
    status = check_not_inherited(buffer);
    if (status != CS_OK)
        return status;
    const char *source = data;
    char *target = buffer->mapped;
    for (uint64_t done = 0; done < data_size; done += stride) {
        uint64_t chunk = data_size - done < stride ? data_size - done : stride;
        memcpy(target, source + done, chunk);
        target += chunk;
        if (filler_size)
            memcpy(target, filler, filler_size);
        target += filler_size;
    }
    return total ? flush(buffer, 0, total) : CS_OK;
}
