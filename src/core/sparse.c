/* sparse.c - tiles of sparse resources: argument checks for
 * cs_resource_bind_tile, and the references to the heaps tiles are mapped
 * to. */
#include "backend.h"

#include <stdlib.h>

cs_status cs_sparse_init(cs_resource *resource)
{
    const cs_resource_info *info = &resource->info;
    if (info->tiles_x == 0 || info->tiles_y == 0 || info->tiles_z == 0 ||
        resource->tile_size == 0)
        return cs_fail(CS_ERROR_BACKEND,
                       "the backend described a sparse %s with no tiles",
                       cs_resource_kind_name(info->kind));
    if (!cs_mutex_init(&resource->tile_lock))
        return cs_fail(CS_ERROR_BACKEND,
                       "cannot create the tile lock of a sparse %s",
                       cs_resource_kind_name(info->kind));
    resource->tile_heaps = NULL;
    return CS_OK;
}

static uint64_t tile_count(const cs_resource_info *info)
{
    return (uint64_t)info->tiles_x * info->tiles_y * info->tiles_z *
           info->slices;
}

void cs_sparse_destroy(cs_resource *resource)
{
    if (!resource->sparse)
        return;
    if (resource->tile_heaps) {
        uint64_t count = tile_count(&resource->info);
        for (uint64_t i = 0; i < count; i++)
            cs_heap_release(resource->tile_heaps[i]);
        free(resource->tile_heaps);
        resource->tile_heaps = NULL;
    }
    cs_mutex_destroy(&resource->tile_lock);
}

static cs_status check_coordinate(const cs_resource *resource, const char *axis,
                                  uint32_t value, uint32_t count,
                                  const char *count_name)
{
    if (value < count)
        return CS_OK;
    return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                   "bind_tile: %s %u is out of range: the sparse %s has %s "
                   "= %u",
                   axis, value, cs_resource_kind_name(resource->info.kind),
                   count_name, count);
}

static cs_status check_tile(const cs_resource *resource, uint32_t x, uint32_t y,
                            uint32_t z, uint32_t slice)
{
    const cs_resource_info *info = &resource->info;
    cs_status status =
        check_coordinate(resource, "x", x, info->tiles_x, "tiles_x");
    if (status == CS_OK)
        status = check_coordinate(resource, "y", y, info->tiles_y, "tiles_y");
    if (status == CS_OK)
        status = check_coordinate(resource, "z", z, info->tiles_z, "tiles_z");
    if (status == CS_OK)
        status =
            check_coordinate(resource, "slice", slice, info->slices, "slices");
    return status;
}

static cs_status check_heap(const cs_resource *resource, const cs_heap *heap,
                            uint64_t heap_offset)
{
    uint64_t tile_size = resource->tile_size;
    if (heap->device != resource->device)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "bind_tile: the heap belongs to another device");
    if (heap->type != CS_HEAP_DEFAULT)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "bind_tile: tiles map onto HEAP_DEFAULT heaps, this "
                       "heap is %s",
                       cs_heap_type_name(heap->type));
    if (heap_offset % tile_size != 0)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "bind_tile: heap_offset %llu is not a multiple of the "
                       "tile size (%llu bytes)",
                       (unsigned long long)heap_offset,
                       (unsigned long long)tile_size);
    if (heap_offset > heap->size || heap->size - heap_offset < tile_size)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "bind_tile: a tile of %llu bytes at heap_offset %llu "
                       "does not fit in the %llu-byte heap",
                       (unsigned long long)tile_size,
                       (unsigned long long)heap_offset,
                       (unsigned long long)heap->size);
    return CS_OK;
}

cs_status cs_resource_bind_tile(cs_resource *resource, uint32_t x, uint32_t y,
                                uint32_t z, uint32_t slice, cs_heap *heap,
                                uint64_t heap_offset)
{
    if (!resource)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_resource_bind_tile: resource is NULL");
    if (!resource->sparse)
        return cs_fail(CS_ERROR_INVALID_OPERATION,
                       "bind_tile needs a sparse resource; create the %s "
                       "with sparse=True",
                       cs_resource_kind_name(resource->info.kind));
    cs_status status = check_tile(resource, x, y, z, slice);
    if (status == CS_OK && heap)
        status = check_heap(resource, heap, heap_offset);
    if (status != CS_OK)
        return status;
    if (!heap)
        heap_offset = 0;

    const cs_resource_info *info = &resource->info;
    uint64_t index =
        (((uint64_t)slice * info->tiles_z + z) * info->tiles_y + y) *
            info->tiles_x +
        x;
    cs_mutex_lock(&resource->tile_lock);
    if (!resource->tile_heaps) {
        resource->tile_heaps = calloc(tile_count(info), sizeof(cs_heap *));
        if (!resource->tile_heaps) {
            cs_mutex_unlock(&resource->tile_lock);
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "out of host memory recording the %llu tiles of "
                           "a sparse %s",
                           (unsigned long long)tile_count(info),
                           cs_resource_kind_name(info->kind));
        }
    }
    status = resource->device->instance->backend->resource_bind_tile(
        resource, x, y, z, slice, heap, heap_offset);
    cs_heap *previous = NULL;
    if (status == CS_OK) {
        previous = resource->tile_heaps[index];
        cs_heap_retain(heap);
        resource->tile_heaps[index] = heap;
    }
    cs_mutex_unlock(&resource->tile_lock);
    /* after the bind: the tile no longer uses the old heap's memory */
    cs_heap_release(previous);
    return status;
}
