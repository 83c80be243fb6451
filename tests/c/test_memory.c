/*
 * test_memory.c - the Vulkan backend's memory sub-allocator
 * (src/backends/vulkan/vk_suballocator.c) through the public API, with a
 * look at the backend's objects to check offsets, blocks and mappings:
 * many buffers of mixed sizes alive at once keep distinct contents,
 * alignment, free and reuse, empty blocks given back, threads, mapped
 * pointers of UPLOAD/READBACK sub-allocations, textures apart from buffers,
 * heaps, out of memory. The instance runs with CS_INSTANCE_DEBUG and every
 * test also requires zero validation messages.
 *
 * Built and run by `make test-c` (and `make test-asan`). Prints
 * "N passed, M failed" (tests, not checks); exits non-zero on failure.
 * CS_TEST_ONLY=name runs one test.
 */
#include "backends/vulkan/vk_internal.h"
#include "core/internal.h"

#define HARNESS_SUPPRESS_VALIDATION_LAYER_LEAKS
#include "harness.h"
#include "platform/platform.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cs_instance *instance;
static cs_device *device;

#define MiB ((uint64_t)1 << 20)

/* >>helpers */

static cs_resource *make_buffer(cs_heap_type heap_type, uint64_t size)
{
    cs_resource_desc desc = {.heap_type = heap_type, .size = size};
    cs_resource *resource = NULL;
    if (cs_resource_create(device, &desc, &resource) != CS_OK) {
        fprintf(stderr, "buffer creation failed: %s\n", cs_last_error());
        return NULL;
    }
    return resource;
}

static vk_device *vkdev(void)
{
    return vk_device_of(device);
}

static vk_resource *impl_of(cs_resource *resource)
{
    return vk_resource_of(resource);
}

static vk_memory_stats stats(void)
{
    vk_memory_stats s;
    vk_suballocator_stats(vkdev(), &s);
    return s;
}

static uint32_t pattern(uint32_t seed, uint64_t i)
{
    uint32_t x = seed * 2654435761u + (uint32_t)i * 40503u + 1;
    x ^= x >> 13;
    return x * 0x5bd1e995u;
}

static void fill(void *data, uint64_t size, uint32_t seed)
{
    uint8_t *bytes = data;
    for (uint64_t i = 0; i < size; i++)
        bytes[i] = (uint8_t)pattern(seed, i / 4) ^ (uint8_t)i;
}

static bool matches(const void *data, uint64_t size, uint32_t seed)
{
    const uint8_t *bytes = data;
    for (uint64_t i = 0; i < size; i++)
        if (bytes[i] != ((uint8_t)pattern(seed, i / 4) ^ (uint8_t)i))
            return false;
    return true;
}

/* The alignment Vulkan asks of this resource's memory. */
static VkDeviceSize required_alignment(cs_resource *resource)
{
    VkMemoryRequirements req;
    vk_resource *impl = impl_of(resource);
    if (impl->buffer)
        vkGetBufferMemoryRequirements(vkdev()->device, impl->buffer, &req);
    else
        vkGetImageMemoryRequirements(vkdev()->device, impl->image, &req);
    return req.alignment;
}

/* No two live sub-allocations of the same memory overlap. */
static void check_disjoint(cs_resource **resources, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        vk_resource *a = impl_of(resources[i]);
        if (!a->block)
            continue;
        for (size_t j = i + 1; j < count; j++) {
            vk_resource *b = impl_of(resources[j]);
            if (!b->block || b->memory != a->memory)
                continue;
            CHECK(a->memory_offset + a->block_range <= b->memory_offset ||
                  b->memory_offset + b->block_range <= a->memory_offset);
        }
    }
}

/* >>tests */

/* Buffers of mixed sizes alive together: each filled with its own pattern
 * through an upload buffer and a copy, all read back through copies. */
static void test_mixed_sizes_distinct(void)
{
    static const uint64_t sizes[] = {4,        100,      256,     4099,
                                     65536,    65537,    MiB,     3 * MiB + 5,
                                     17 * MiB, 40 * MiB, 12345678};
    enum { COUNT = 120 };
    cs_resource *buffers[COUNT] = {0};
    uint64_t buffer_sizes[COUNT];
    size_t n_sizes = sizeof sizes / sizeof sizes[0];
    uint64_t largest = 0;
    for (size_t i = 0; i < COUNT; i++) {
        /* mostly small ones, the big ones a few times */
        buffer_sizes[i] = sizes[(i * 7) % n_sizes];
        if (buffer_sizes[i] > 16 * MiB && i > n_sizes)
            buffer_sizes[i] = 1000 + i;
        if (buffer_sizes[i] > largest)
            largest = buffer_sizes[i];
    }
    for (size_t i = 0; i < COUNT; i++) {
        buffers[i] = make_buffer(CS_HEAP_DEFAULT, buffer_sizes[i]);
        CHECK_OR_RETURN(buffers[i]);
        CHECK(cs_buffer_mapped(buffers[i]) == NULL);
    }
    check_disjoint(buffers, COUNT);
    for (size_t i = 0; i < COUNT; i++) {
        vk_resource *impl = impl_of(buffers[i]);
        CHECK(impl->memory_offset % required_alignment(buffers[i]) == 0);
        /* 40 MiB is past half a block: its own memory */
        if (buffer_sizes[i] >= 40 * MiB)
            CHECK(impl->block == NULL && impl->own_memory != VK_NULL_HANDLE);
    }

    cs_resource *upload = make_buffer(CS_HEAP_UPLOAD, largest);
    cs_resource *readback = make_buffer(CS_HEAP_READBACK, largest);
    void *data = malloc(largest);
    CHECK_OR_RETURN(upload && readback && data);
    for (size_t i = 0; i < COUNT; i++) {
        fill(cs_buffer_mapped(upload), buffer_sizes[i], (uint32_t)i);
        cs_copy_desc copy = {.size = buffer_sizes[i]};
        CHECK_OK(cs_resource_copy(upload, buffers[i], &copy));
    }
    for (size_t i = 0; i < COUNT; i++) {
        cs_copy_desc copy = {.size = buffer_sizes[i]};
        CHECK_OK(cs_resource_copy(buffers[i], readback, &copy));
        CHECK_OK(cs_buffer_readback(readback, 0, data, buffer_sizes[i]));
        CHECK(matches(data, buffer_sizes[i], (uint32_t)i));
    }
    free(data);
    cs_resource_release(upload);
    cs_resource_release(readback);
    for (size_t i = 0; i < COUNT; i++)
        cs_resource_release(buffers[i]);
    vk_memory_stats s = stats();
    CHECK(s.allocations == 0 && s.used_bytes == 0);
}

/* Freed ranges are reused, blocks are given back but one spare per pool. */
static void test_free_and_reuse(void)
{
    enum { COUNT = 200 };
    cs_resource *buffers[COUNT] = {0};
    for (size_t i = 0; i < COUNT; i++) {
        buffers[i] = make_buffer(CS_HEAP_DEFAULT, MiB + 256 * (i % 5));
        CHECK_OR_RETURN(buffers[i]);
    }
    vk_memory_stats full = stats();
    CHECK(full.allocations == COUNT);
    CHECK(full.blocks >= 2); /* 200 MiB do not fit in one block */
    check_disjoint(buffers, COUNT);
    /* free every other one, then make them again: same blocks */
    for (size_t i = 0; i < COUNT; i += 2) {
        cs_resource_release(buffers[i]);
        buffers[i] = NULL;
    }
    for (size_t i = 0; i < COUNT; i += 2) {
        buffers[i] = make_buffer(CS_HEAP_DEFAULT, MiB);
        CHECK_OR_RETURN(buffers[i]);
    }
    vk_memory_stats again = stats();
    CHECK(again.blocks == full.blocks);
    CHECK(again.allocations == COUNT);
    check_disjoint(buffers, COUNT);
    for (size_t i = 0; i < COUNT; i++)
        cs_resource_release(buffers[i]);
    vk_memory_stats empty = stats();
    CHECK(empty.allocations == 0 && empty.used_bytes == 0);
    CHECK(empty.blocks <= 2 * 3); /* one spare per pool used */

    /* a create/destroy loop allocates no new block */
    cs_resource *first = make_buffer(CS_HEAP_DEFAULT, MiB);
    CHECK_OR_RETURN(first);
    VkDeviceMemory memory = impl_of(first)->memory;
    VkDeviceSize offset = impl_of(first)->memory_offset;
    cs_resource_release(first);
    for (int i = 0; i < 1000; i++) {
        cs_resource *b = make_buffer(CS_HEAP_DEFAULT, MiB);
        CHECK_OR_RETURN(b);
        CHECK(impl_of(b)->memory == memory &&
              impl_of(b)->memory_offset == offset);
        cs_resource_release(b);
    }
    CHECK(stats().blocks == empty.blocks);
}

/* UPLOAD and READBACK sub-allocations: the mapped pointer is the block's
 * mapping at the resource's offset, and data goes through. */
static void test_mapped_suballocations(void)
{
    enum { COUNT = 24 };
    cs_resource *uploads[COUNT], *readbacks[COUNT], *defaults[COUNT];
    uint64_t sizes[COUNT];
    for (size_t i = 0; i < COUNT; i++) {
        sizes[i] = 100 + 4096 * i + 13 * (i % 3);
        uploads[i] = make_buffer(CS_HEAP_UPLOAD, sizes[i]);
        readbacks[i] = make_buffer(CS_HEAP_READBACK, sizes[i]);
        defaults[i] = make_buffer(CS_HEAP_DEFAULT, sizes[i]);
        CHECK_OR_RETURN(uploads[i] && readbacks[i] && defaults[i]);
        CHECK(impl_of(uploads[i])->block && impl_of(readbacks[i])->block);
        CHECK(cs_buffer_mapped(uploads[i]) && cs_buffer_mapped(readbacks[i]));
    }
    check_disjoint(uploads, COUNT);
    check_disjoint(readbacks, COUNT);
    /* uploads and readbacks may share a memory type (and blocks) */
    cs_resource *all[2 * COUNT];
    memcpy(all, uploads, sizeof uploads);
    memcpy(all + COUNT, readbacks, sizeof readbacks);
    check_disjoint(all, 2 * COUNT);
    /* pointers into one block differ as their offsets do */
    for (size_t i = 1; i < 2 * COUNT; i++) {
        vk_resource *a = impl_of(all[0]), *b = impl_of(all[i]);
        if (a->memory == b->memory)
            CHECK((char *)cs_buffer_mapped(all[i]) -
                      (char *)cs_buffer_mapped(all[0]) ==
                  (ptrdiff_t)(b->memory_offset - a->memory_offset));
    }
    /* every mapped buffer written at once, then copied around */
    for (size_t i = 0; i < COUNT; i++) {
        fill(cs_buffer_mapped(uploads[i]), sizes[i], 1000 + (uint32_t)i);
        memset(cs_buffer_mapped(readbacks[i]), 0, sizes[i]);
    }
    for (size_t i = 0; i < COUNT; i++) {
        CHECK_OK(cs_buffer_upload(uploads[i], 0, cs_buffer_mapped(uploads[i]),
                                  sizes[i])); /* flushes */
        CHECK_OK(cs_resource_copy(uploads[i], defaults[i], NULL));
        CHECK_OK(cs_resource_copy(defaults[i], readbacks[i], NULL));
    }
    void *data = malloc(sizes[COUNT - 1]);
    CHECK_OR_RETURN(data);
    for (size_t i = 0; i < COUNT; i++) {
        CHECK_OK(cs_buffer_readback(readbacks[i], 0, data, sizes[i]));
        CHECK(matches(data, sizes[i], 1000 + (uint32_t)i));
        /* the uploads were left alone */
        CHECK(matches(cs_buffer_mapped(uploads[i]), sizes[i],
                      1000 + (uint32_t)i));
    }
    free(data);
    for (size_t i = 0; i < COUNT; i++) {
        vk_resource *impl = impl_of(uploads[i]);
        if (!impl->coherent) {
            VkDeviceSize atom = vkdev()->properties.limits.nonCoherentAtomSize;
            CHECK(impl->memory_offset % atom == 0);
            CHECK(impl->block_range % atom == 0);
        }
        cs_resource_release(uploads[i]);
        cs_resource_release(readbacks[i]);
        cs_resource_release(defaults[i]);
    }
}

/* Textures live in blocks of their own: never next to a buffer. */
static void test_textures_apart(void)
{
    enum { COUNT = 16 };
    cs_resource *textures[COUNT], *buffers[COUNT];
    for (size_t i = 0; i < COUNT; i++) {
        cs_resource_desc desc = {.kind = CS_RESOURCE_TEXTURE2D,
                                 .format = 28, /* R8G8B8A8_UNORM */
                                 .width = 64 * (1 + (uint32_t)i % 4),
                                 .height = 16};
        CHECK_OK_OR_RETURN(cs_resource_create(device, &desc, &textures[i]));
        buffers[i] = make_buffer(CS_HEAP_DEFAULT, 1000 + 100 * i);
        CHECK_OR_RETURN(buffers[i]);
    }
    cs_resource *all[2 * COUNT];
    memcpy(all, textures, sizeof textures);
    memcpy(all + COUNT, buffers, sizeof buffers);
    check_disjoint(all, 2 * COUNT);
    for (size_t i = 0; i < COUNT; i++) {
        vk_resource *t = impl_of(textures[i]);
        CHECK(t->block != NULL);
        CHECK(t->memory_offset % required_alignment(textures[i]) == 0);
        for (size_t j = 0; j < COUNT; j++)
            CHECK(t->memory != impl_of(buffers[j])->memory);
    }
    /* contents of textures stay distinct */
    /* rows of 64 * k texels: 256-byte aligned, tightly packed */
    void *data = malloc(4 * 64 * 16 * 4);
    CHECK_OR_RETURN(data);
    for (size_t i = 0; i < COUNT; i++) {
        uint64_t size = 64 * (1 + i % 4) * 16 * 4;
        cs_resource *up = make_buffer(CS_HEAP_UPLOAD, size);
        CHECK_OR_RETURN(up);
        fill(cs_buffer_mapped(up), size, 77 + (uint32_t)i);
        CHECK_OK(cs_resource_copy(up, textures[i], NULL));
        cs_resource_release(up);
    }
    for (size_t i = 0; i < COUNT; i++) {
        uint64_t size = 64 * (1 + i % 4) * 16 * 4;
        cs_resource *rb = make_buffer(CS_HEAP_READBACK, size);
        CHECK_OR_RETURN(rb);
        CHECK_OK(cs_resource_copy(textures[i], rb, NULL));
        CHECK_OK(cs_buffer_readback(rb, 0, data, size));
        CHECK(matches(data, size, 77 + (uint32_t)i));
        cs_resource_release(rb);
    }
    free(data);
    for (size_t i = 0; i < COUNT; i++) {
        cs_resource_release(textures[i]);
        cs_resource_release(buffers[i]);
    }
}

/* Resources placed in a cs_heap keep the heap's memory. */
static void test_heap_placement(void)
{
    cs_heap *heap = NULL;
    CHECK_OK_OR_RETURN(cs_heap_create(device, CS_HEAP_DEFAULT, 4 * MiB, &heap));
    cs_resource_desc desc = {.heap_type = CS_HEAP_DEFAULT,
                             .size = MiB,
                             .heap = heap,
                             .heap_offset = MiB};
    cs_resource *placed = NULL;
    CHECK_OK_OR_RETURN(cs_resource_create(device, &desc, &placed));
    cs_resource *free_one = make_buffer(CS_HEAP_DEFAULT, MiB);
    CHECK_OR_RETURN(free_one);
    vk_resource *impl = impl_of(placed);
    CHECK(impl->block == NULL && impl->own_memory == VK_NULL_HANDLE);
    CHECK(impl->memory == ((vk_heap *)heap->impl)->memory);
    CHECK(impl->memory_offset == MiB);
    CHECK(impl_of(free_one)->memory != impl->memory);
    uint8_t data[256];
    fill(data, sizeof data, 5);
    cs_resource *up = make_buffer(CS_HEAP_UPLOAD, sizeof data);
    cs_resource *rb = make_buffer(CS_HEAP_READBACK, sizeof data);
    CHECK_OR_RETURN(up && rb);
    CHECK_OK(cs_buffer_upload(up, 0, data, sizeof data));
    cs_copy_desc copy = {.size = sizeof data};
    CHECK_OK(cs_resource_copy(up, placed, &copy));
    CHECK_OK(cs_resource_copy(placed, rb, &copy));
    memset(data, 0, sizeof data);
    CHECK_OK(cs_buffer_readback(rb, 0, data, sizeof data));
    CHECK(matches(data, sizeof data, 5));
    cs_resource_release(up);
    cs_resource_release(rb);
    cs_resource_release(placed);
    cs_resource_release(free_one);
    cs_heap_release(heap);
}

/* Too much memory fails cleanly, and the allocator goes on working. */
static void test_out_of_memory(void)
{
    cs_device_info info;
    cs_device_get_info(device, &info);
    VkPhysicalDeviceMemoryProperties *memory = &vkdev()->memory;
    VkDeviceSize largest = 0;
    for (uint32_t i = 0; i < memory->memoryHeapCount; i++)
        if (memory->memoryHeaps[i].size > largest)
            largest = memory->memoryHeaps[i].size;
    uint64_t size = largest + largest / 2;
    if (info.max_buffer_size && size > info.max_buffer_size)
        return; /* creation fails on the size limit, not memory */
    cs_resource_desc desc = {.heap_type = CS_HEAP_DEFAULT, .size = size};
    cs_resource *resource = NULL;
    CHECK(cs_resource_create(device, &desc, &resource) ==
          CS_ERROR_OUT_OF_DEVICE_MEMORY);
    CHECK(resource == NULL);
    cs_resource *small = make_buffer(CS_HEAP_DEFAULT, 4096);
    CHECK(small != NULL);
    cs_resource_release(small);
}

/* >>threads */

enum { THREADS = 4, THREAD_ROUNDS = 300, THREAD_LIVE = 8 };

static int churn_thread(void *arg)
{
    uint32_t seed = (uint32_t)(uintptr_t)arg;
    cs_resource *live[THREAD_LIVE] = {0};
    uint64_t sizes[THREAD_LIVE] = {0};
    uint32_t seeds[THREAD_LIVE] = {0};
    for (uint32_t round = 0; round < THREAD_ROUNDS; round++) {
        uint32_t slot = pattern(seed, round) % THREAD_LIVE;
        if (live[slot]) {
            /* still holds what this thread wrote */
            CHECK(matches(cs_buffer_mapped(live[slot]), sizes[slot],
                          seeds[slot]));
            cs_resource_release(live[slot]);
            live[slot] = NULL;
        }
        sizes[slot] = 64 + pattern(seed + 1, round) % (256 * 1024);
        seeds[slot] = seed * 100000 + round;
        cs_heap_type type = round % 2 ? CS_HEAP_UPLOAD : CS_HEAP_READBACK;
        live[slot] = make_buffer(type, sizes[slot]);
        if (!live[slot]) {
            atomic_fetch_add(&check_failures, 1);
            break;
        }
        fill(cs_buffer_mapped(live[slot]), sizes[slot], seeds[slot]);
        /* and a device buffer made and destroyed */
        cs_resource *d = make_buffer(CS_HEAP_DEFAULT, sizes[slot]);
        if (!d)
            atomic_fetch_add(&check_failures, 1);
        cs_resource_release(d);
    }
    for (uint32_t i = 0; i < THREAD_LIVE; i++) {
        if (live[i])
            CHECK(matches(cs_buffer_mapped(live[i]), sizes[i], seeds[i]));
        cs_resource_release(live[i]);
    }
    return 0;
}

static void test_threads(void)
{
    cs_thread threads[THREADS];
    for (uintptr_t i = 0; i < THREADS; i++)
        CHECK_OR_RETURN(
            cs_thread_create(&threads[i], churn_thread, (void *)(i + 1), 0));
    for (int i = 0; i < THREADS; i++)
        cs_thread_join(threads[i], NULL);
    vk_memory_stats s = stats();
    CHECK(s.allocations == 0 && s.used_bytes == 0);
}

/* >>main */

int main(void)
{
    harness_require_backend("vulkan");
    harness_pin_vulkan_libraries();
    if (!harness_open_device(&instance, &device))
        return 1;
    if (strcmp(cs_instance_backend_name(instance), "vulkan") != 0) {
        fprintf(stderr, "no Vulkan device\n");
        cs_instance_release(instance);
        return 1;
    }
    cs_device_info info;
    cs_device_get_info(device, &info);
    fprintf(stderr, "device: %s\n", info.name);
    /* opens the logical device */
    cs_resource_release(make_buffer(CS_HEAP_DEFAULT, 4));

    const test_case tests[] = {
        {"mixed_sizes_distinct", test_mixed_sizes_distinct},
        {"free_and_reuse", test_free_and_reuse},
        {"mapped_suballocations", test_mapped_suballocations},
        {"textures_apart", test_textures_apart},
        {"heap_placement", test_heap_placement},
        {"out_of_memory", test_out_of_memory},
        {"threads", test_threads},
    };
    HARNESS_RUN_TESTS(tests, device);
    cs_instance_release(instance);
    return harness_finish();
}
