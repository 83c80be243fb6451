/*
 * test_sparse.c - cs_resource_bind_tile through the public API, with the
 * validation layer on and zero messages required. On a device without
 * sparse binding (lavapipe) only the refusals run; on one with it, the
 * core's checks, heap references and a round trip through mapped tiles.
 */
#include "../../src/core/internal.h"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cs_device *device;
static cs_device_info info;

static void run(const char *name, bool (*test)(void))
{
    bool ok = test();
    size_t count = harness_take_messages(device);
    if (ok && count == 0) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAILED: %s\n", name);
    }
}

static cs_resource *create_buffer(cs_heap_type heap_type, uint64_t size,
                                  bool sparse)
{
    cs_resource_desc desc = {
        .heap_type = heap_type, .size = size, .sparse = sparse};
    cs_resource *buffer = NULL;
    cs_resource_create(device, &desc, &buffer);
    return buffer;
}

/* >>everywhere */

static bool test_null_and_not_sparse(void)
{
    CHECK_FAILS_OR_RETURN_FALSE(
        cs_resource_bind_tile(NULL, 0, 0, 0, 0, NULL, 0),
        CS_ERROR_INVALID_ARGUMENT, "resource is NULL");
    cs_resource *buffer = create_buffer(CS_HEAP_DEFAULT, 1024, false);
    CHECK_OR_RETURN_FALSE(buffer);
    cs_heap *heap = NULL;
    CHECK_OK_OR_RETURN_FALSE(
        cs_heap_create(device, CS_HEAP_DEFAULT, 65536, &heap));
    CHECK_FAILS_OR_RETURN_FALSE(
        cs_resource_bind_tile(buffer, 0, 0, 0, 0, heap, 0),
        CS_ERROR_INVALID_OPERATION,
        "bind_tile needs a sparse resource; create the buffer with "
        "sparse=True");
    CHECK_FAILS_OR_RETURN_FALSE(
        cs_resource_bind_tile(buffer, 0, 0, 0, 0, NULL, 0),
        CS_ERROR_INVALID_OPERATION, "needs a sparse resource");
    CHECK_OR_RETURN_FALSE(atomic_load(&heap->refcount) == 1);
    cs_heap_release(heap);
    cs_resource_release(buffer);
    return true;
}

static bool test_refused_without_sparse_binding(void)
{
    if (info.supports_sparse)
        return true;
    cs_resource *resource = NULL;
    cs_resource_desc desc = {.size = 65536, .sparse = true};
    CHECK_FAILS_OR_RETURN_FALSE(cs_resource_create(device, &desc, &resource),
                                CS_ERROR_UNSUPPORTED,
                                "sparse resources need sparse binding");
    CHECK_OR_RETURN_FALSE(strstr(cs_last_error(), info.name) != NULL);
    desc = (cs_resource_desc){.kind = CS_RESOURCE_TEXTURE2D,
                              .width = 256,
                              .height = 256,
                              .format = 28,
                              .sparse = true};
    CHECK_FAILS_OR_RETURN_FALSE(cs_resource_create(device, &desc, &resource),
                                CS_ERROR_UNSUPPORTED, "sparse binding");
    CHECK_OR_RETURN_FALSE(resource == NULL);
    return true;
}

/* >>devices with sparse binding */

static bool test_buffer_checks_and_references(void)
{
    if (!info.supports_sparse)
        return true;
    cs_resource *probe = create_buffer(CS_HEAP_DEFAULT, 1, true);
    CHECK_OR_RETURN_FALSE(probe);
    uint64_t tile = probe->info.tile_width;
    CHECK_OR_RETURN_FALSE(tile > 0 && probe->info.tiles_x == 1);
    CHECK_OR_RETURN_FALSE(probe->tile_size == tile);
    cs_resource_release(probe);

    cs_resource *buffer = create_buffer(CS_HEAP_DEFAULT, 4 * tile, true);
    CHECK_OR_RETURN_FALSE(buffer);
    CHECK_OR_RETURN_FALSE(buffer->info.tiles_x == 4 &&
                          buffer->info.tiles_y == 1 &&
                          buffer->info.tiles_z == 1);
    cs_heap *heap = NULL, *upload = NULL;
    CHECK_OK_OR_RETURN_FALSE(
        cs_heap_create(device, CS_HEAP_DEFAULT, 2 * tile, &heap));
    CHECK_OK_OR_RETURN_FALSE(
        cs_heap_create(device, CS_HEAP_UPLOAD, 2 * tile, &upload));

    CHECK_FAILS_OR_RETURN_FALSE(
        cs_resource_bind_tile(buffer, 4, 0, 0, 0, heap, 0),
        CS_ERROR_INVALID_ARGUMENT,
        "x 4 is out of range: the sparse buffer has tiles_x = 4");
    CHECK_FAILS_OR_RETURN_FALSE(
        cs_resource_bind_tile(buffer, 0, 1, 0, 0, heap, 0),
        CS_ERROR_INVALID_ARGUMENT, "tiles_y = 1");
    CHECK_FAILS_OR_RETURN_FALSE(
        cs_resource_bind_tile(buffer, 0, 0, 0, 1, heap, 0),
        CS_ERROR_INVALID_ARGUMENT, "slices = 1");
    CHECK_FAILS_OR_RETURN_FALSE(
        cs_resource_bind_tile(buffer, 0, 0, 0, 0, heap, 512),
        CS_ERROR_INVALID_ARGUMENT,
        "heap_offset 512 is not a multiple of the tile size");
    CHECK_FAILS_OR_RETURN_FALSE(
        cs_resource_bind_tile(buffer, 0, 0, 0, 0, upload, 0),
        CS_ERROR_INVALID_ARGUMENT, "this heap is HEAP_UPLOAD");
    CHECK_FAILS_OR_RETURN_FALSE(
        cs_resource_bind_tile(buffer, 0, 0, 0, 0, heap, 2 * tile),
        CS_ERROR_INVALID_ARGUMENT, "does not fit in the");
    CHECK_OR_RETURN_FALSE(atomic_load(&heap->refcount) == 1);

    /* one reference per mapped tile, dropped on unmap and remap */
    CHECK_OK_OR_RETURN_FALSE(
        cs_resource_bind_tile(buffer, 0, 0, 0, 0, heap, 0));
    CHECK_OK_OR_RETURN_FALSE(
        cs_resource_bind_tile(buffer, 2, 0, 0, 0, heap, tile));
    CHECK_OR_RETURN_FALSE(atomic_load(&heap->refcount) == 3);
    CHECK_OK_OR_RETURN_FALSE(
        cs_resource_bind_tile(buffer, 2, 0, 0, 0, heap, 0));
    CHECK_OR_RETURN_FALSE(atomic_load(&heap->refcount) == 3);
    CHECK_OK_OR_RETURN_FALSE(
        cs_resource_bind_tile(buffer, 2, 0, 0, 0, NULL, 0));
    CHECK_OR_RETURN_FALSE(atomic_load(&heap->refcount) == 2);
    CHECK_OK_OR_RETURN_FALSE(
        cs_resource_bind_tile(buffer, 3, 0, 0, 0, NULL, 0));
    CHECK_OR_RETURN_FALSE(atomic_load(&heap->refcount) == 2);

    /* data written through tile 0 reads back through tile 1 mapped on the
     * same heap bytes */
    uint32_t *values = malloc(tile);
    CHECK_OR_RETURN_FALSE(values);
    for (uint64_t i = 0; i < tile / 4; i++)
        values[i] = (uint32_t)(i * 2654435761u);
    cs_resource *staging = create_buffer(CS_HEAP_UPLOAD, tile, false);
    cs_resource *readback = create_buffer(CS_HEAP_READBACK, tile, false);
    CHECK_OR_RETURN_FALSE(staging && readback);
    CHECK_OK_OR_RETURN_FALSE(cs_buffer_upload(staging, 0, values, tile));
    cs_copy_desc in = {.size = tile, .dst_offset = 0};
    CHECK_OK_OR_RETURN_FALSE(cs_resource_copy(staging, buffer, &in));
    CHECK_OK_OR_RETURN_FALSE(
        cs_resource_bind_tile(buffer, 1, 0, 0, 0, heap, 0));
    cs_copy_desc out = {.size = tile, .src_offset = tile};
    CHECK_OK_OR_RETURN_FALSE(cs_resource_copy(buffer, readback, &out));
    const void *mapped = cs_buffer_mapped(readback);
    CHECK_OR_RETURN_FALSE(mapped && memcmp(mapped, values, tile) == 0);
    free(values);
    cs_resource_release(staging);
    cs_resource_release(readback);

    /* the resource keeps the heap: release ours first */
    CHECK_OR_RETURN_FALSE(atomic_load(&heap->refcount) == 3);
    cs_heap_release(heap);
    cs_heap_release(upload);
    cs_resource_release(buffer);
    return true;
}

static bool test_texture_tiles(void)
{
    if (!info.supports_sparse)
        return true;
    cs_resource_desc desc = {.kind = CS_RESOURCE_TEXTURE2D,
                             .width = 300,
                             .height = 200,
                             .format = 28, /* R8G8B8A8_UNORM */
                             .sparse = true};
    cs_resource *texture = NULL;
    CHECK_OK_OR_RETURN_FALSE(cs_resource_create(device, &desc, &texture));
    const cs_resource_info *ti = &texture->info;
    CHECK_OR_RETURN_FALSE(ti->tile_width > 0 && ti->tile_height > 0 &&
                          ti->tile_depth == 1);
    CHECK_OR_RETURN_FALSE(ti->tiles_x ==
                          (300 + ti->tile_width - 1) / ti->tile_width);
    CHECK_OR_RETURN_FALSE(ti->tiles_y ==
                          (200 + ti->tile_height - 1) / ti->tile_height);
    CHECK_OR_RETURN_FALSE(ti->tiles_z == 1);
    cs_heap *heap = NULL;
    CHECK_OK_OR_RETURN_FALSE(
        cs_heap_create(device, CS_HEAP_DEFAULT, texture->tile_size * 2, &heap));
    /* the last tile of each row and column is partial */
    CHECK_OK_OR_RETURN_FALSE(cs_resource_bind_tile(texture, ti->tiles_x - 1,
                                                   ti->tiles_y - 1, 0, 0, heap,
                                                   texture->tile_size));
    CHECK_FAILS_OR_RETURN_FALSE(
        cs_resource_bind_tile(texture, ti->tiles_x, 0, 0, 0, heap, 0),
        CS_ERROR_INVALID_ARGUMENT, "the sparse Texture2D has tiles_x");
    CHECK_FAILS_OR_RETURN_FALSE(
        cs_resource_bind_tile(texture, 0, 0, 1, 0, heap, 0),
        CS_ERROR_INVALID_ARGUMENT, "tiles_z = 1");
    cs_heap_release(heap);
    cs_resource_release(texture);

    desc.kind = CS_RESOURCE_TEXTURE1D;
    desc.height = 1;
    CHECK_FAILS_OR_RETURN_FALSE(cs_resource_create(device, &desc, &texture),
                                CS_ERROR_UNSUPPORTED, "sparse Texture1D");
    return true;
}

int main(void)
{
    cs_instance_desc desc = harness_instance_desc();
    cs_instance *instance = NULL;
    if (cs_instance_create(&desc, &instance) != CS_OK ||
        cs_instance_device_count(instance) == 0) {
        fprintf(stderr, "no device: %s\n", cs_last_error());
        return 1;
    }
    device = cs_instance_get_device(instance, 0);
    for (size_t i = 0; i < cs_instance_device_count(instance); i++) {
        cs_device_info candidate;
        cs_device_get_info(cs_instance_get_device(instance, i), &candidate);
        if (candidate.is_discrete) /* prefer a discrete GPU */
            device = cs_instance_get_device(instance, i);
    }
    cs_device_get_info(device, &info);
    printf("device: %s (sparse binding: %s)\n", info.name,
           info.supports_sparse ? "yes" : "no");
    run("null_and_not_sparse", test_null_and_not_sparse);
    run("refused_without_sparse_binding", test_refused_without_sparse_binding);
    run("buffer_checks_and_references", test_buffer_checks_and_references);
    run("texture_tiles", test_texture_tiles);
    cs_instance_release(instance);
    return harness_finish();
}
