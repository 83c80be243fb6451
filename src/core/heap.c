/* heap.c - explicit memory blocks that resources can be placed in. */
#include "backend.h"

#include <stdlib.h>

cs_status cs_heap_create(cs_device *device, cs_heap_type type, uint64_t size,
                         cs_heap **out_heap)
{
    if (!device || !out_heap)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_heap_create: device and out_heap must not be NULL");
    if ((unsigned)type > CS_HEAP_READBACK)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "invalid heap type %d: expected HEAP_DEFAULT (0), "
                       "HEAP_UPLOAD (1) or HEAP_READBACK (2)",
                       (int)type);
    if (size == 0)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "heap size must be greater than 0");
    cs_heap *heap = calloc(1, sizeof *heap);
    if (!heap)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory creating a heap");
    atomic_init(&heap->refcount, 1);
    heap->device = device;
    heap->type = type;
    heap->size = size;
    cs_status status = device->instance->backend->heap_create(heap);
    if (status != CS_OK) {
        free(heap);
        return status;
    }
    cs_instance_retain(device->instance);
    *out_heap = heap;
    return CS_OK;
}

void cs_heap_retain(cs_heap *heap)
{
    if (heap)
        atomic_fetch_add(&heap->refcount, 1);
}

void cs_heap_release(cs_heap *heap)
{
    if (!heap || atomic_fetch_sub(&heap->refcount, 1) != 1)
        return;
    cs_instance *instance = heap->device->instance;
    instance->backend->heap_destroy(heap);
    free(heap);
    cs_instance_release(instance);
}

uint64_t cs_heap_size(const cs_heap *heap)
{
    return heap ? heap->size : 0;
}

cs_heap_type cs_heap_get_type(const cs_heap *heap)
{
    return heap ? heap->type : CS_HEAP_DEFAULT;
}
