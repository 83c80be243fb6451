/*
 * test_vulkan_backend.c - drives cs_vulkan_backend's table directly, with
 * hand-filled core objects, under the validation layer (synchronization
 * validation included): every test also requires zero validation messages.
 *
 * Build and run from the repository root:
 *   make build/tests/test_vulkan_backend && build/tests/test_vulkan_backend
 * (make test-asan runs it under the sanitizers).
 */
#define _POSIX_C_SOURCE 200809L
#include "../../src/core/backend.h"
#include "shaders/test_shaders.h"

#define HARNESS_SUPPRESS_VALIDATION_LAYER_LEAKS
#include "harness.h"

#include "platform/platform.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the table of src/backends/vulkan/vk_backend.c (registered through
 * src/backends/backends.def) */
extern const cs_backend cs_vulkan_backend;
static const cs_backend *const backend = &cs_vulkan_backend;
static atomic_int debug_message_count;

/* >>stubs of the core, overridden when the core is linked in */

__attribute__((weak)) void cs_instance_push_debug_message(cs_instance *instance,
                                                          const char *message)
{
    (void)instance;
    atomic_fetch_add(&debug_message_count, 1);
    fprintf(stderr, "validation: %s\n", message);
}

__attribute__((weak)) const char *cs_format_name(cs_format format)
{
    return format == 42 ? "R32_UINT" : format == 28 ? "R8G8B8A8_UNORM" : "?";
}

__attribute__((weak)) uint32_t cs_format_texel_size(cs_format format)
{
    return format == 42 || format == 28 ? 4 : 0;
}

/* Messages seen by the stub above, or by the core's collector when the
 * test is linked with the library. */
static cs_instance test_instance;
static int collected_messages(void)
{
    cs_mutex_lock(&test_instance.debug_lock);
    int count = (int)test_instance.debug_count;
    cs_mutex_unlock(&test_instance.debug_lock);
    return count + atomic_load(&debug_message_count);
}

/* >>helpers */

static cs_device *device;

static cs_resource *new_resource(cs_resource_kind kind, cs_heap_type heap_type,
                                 uint64_t size)
{
    cs_resource *resource = calloc(1, sizeof *resource);
    resource->device = device;
    resource->info.kind = kind;
    resource->info.heap_type = heap_type;
    resource->info.size = size;
    resource->info.width = (uint32_t)size;
    resource->info.height = 1;
    resource->info.depth = 1;
    resource->info.slices = 1;
    return resource;
}

static cs_resource *create_buffer(cs_heap_type heap_type, uint64_t size)
{
    cs_resource *resource = new_resource(CS_RESOURCE_BUFFER, heap_type, size);
    if (backend->resource_create(resource) != CS_OK) {
        fprintf(stderr, "buffer create failed: %s\n", cs_last_error());
        free(resource);
        return NULL;
    }
    return resource;
}

static cs_resource *create_texture2d(uint32_t width, uint32_t height,
                                     uint32_t slices, cs_format format)
{
    cs_resource *resource =
        new_resource(CS_RESOURCE_TEXTURE2D, CS_HEAP_DEFAULT, 0);
    resource->info.width = width;
    resource->info.height = height;
    resource->info.slices = slices;
    resource->info.format = format;
    resource->info.row_pitch = width * cs_format_texel_size(format);
    resource->info.size = (uint64_t)resource->info.row_pitch * height * slices;
    if (backend->resource_create(resource) != CS_OK) {
        fprintf(stderr, "texture create failed: %s\n", cs_last_error());
        free(resource);
        return NULL;
    }
    return resource;
}

static void destroy_resource(cs_resource *resource)
{
    if (!resource)
        return;
    backend->resource_destroy(resource);
    free(resource);
}

static cs_status copy_buffer(cs_resource *src, cs_resource *dst, uint64_t size,
                             uint64_t src_offset, uint64_t dst_offset)
{
    cs_copy_desc desc = {
        .size = size, .src_offset = src_offset, .dst_offset = dst_offset};
    return backend->copy(src, dst, &desc);
}

static cs_compute *new_compute(const uint32_t *spirv, size_t spirv_size,
                               cs_bound_slot *slots, uint32_t slot_count,
                               uint32_t push_size)
{
    cs_compute *compute = calloc(1, sizeof *compute);
    compute->device = device;
    compute->spirv = spirv;
    compute->spirv_size = spirv_size;
    compute->entry_point = "main";
    compute->push_size = push_size;
    compute->reflection.push_constant_size = push_size;
    compute->slots = slots;
    compute->slot_count = slot_count;
    if (backend->compute_create(compute) != CS_OK) {
        fprintf(stderr, "compute create failed: %s\n", cs_last_error());
        free(compute);
        return NULL;
    }
    return compute;
}

static void destroy_compute(cs_compute *compute)
{
    if (!compute)
        return;
    backend->compute_destroy(compute);
    free(compute);
}

static cs_bound_slot storage_slot(uint32_t binding, cs_resource *resource)
{
    cs_bound_slot slot = {
        .binding = {.binding = binding,
                    .type = CS_BINDING_STORAGE_BUFFER,
                    .array_size = 1},
        .resource = resource,
    };
    return slot;
}

/* >>tests */

static bool test_discovery(void)
{
    CHECK_OR_RETURN_FALSE(test_instance.device_count >= 1);
    const cs_device_info *info = &device->info;
    CHECK_OR_RETURN_FALSE(info->name[0] != '\0');
    CHECK_OR_RETURN_FALSE(device->instance == &test_instance);
    CHECK_OR_RETURN_FALSE(device->index == 0);
    CHECK_OR_RETURN_FALSE(info->max_push_constants_size >= 128);
    CHECK_OR_RETURN_FALSE(info->max_compute_workgroup_count[0] > 0);
    CHECK_OR_RETURN_FALSE(info->max_buffer_size > 0);
    CHECK_OR_RETURN_FALSE(info->dedicated_system_memory == 0);
    if (strstr(info->name, "llvmpipe")) {
        CHECK_OR_RETURN_FALSE(!info->is_hardware);
        CHECK_OR_RETURN_FALSE(!info->is_discrete);
        CHECK_OR_RETURN_FALSE(!info->supports_sparse);
        CHECK_OR_RETURN_FALSE(!info->supports_storage_image_without_format);
    }
    return true;
}

static bool test_buffer_heaps(void)
{
    cs_heap_type types[] = {CS_HEAP_DEFAULT, CS_HEAP_UPLOAD, CS_HEAP_READBACK};
    for (int i = 0; i < 3; i++) {
        cs_resource *buffer = create_buffer(types[i], 1000);
        CHECK_OR_RETURN_FALSE(buffer);
        CHECK_OR_RETURN_FALSE(buffer->info.heap_size >= 1000);
        CHECK_OR_RETURN_FALSE((buffer->mapped != NULL) ==
                              (types[i] != CS_HEAP_DEFAULT));
        CHECK_OK_OR_RETURN_FALSE(backend->buffer_flush(buffer, 10, 100));
        CHECK_OK_OR_RETURN_FALSE(backend->buffer_invalidate(buffer, 10, 100));
        destroy_resource(buffer);
    }
    return true;
}

static bool test_upload_copy_readback(void)
{
    enum { SIZE = 4096 };
    cs_resource *upload = create_buffer(CS_HEAP_UPLOAD, SIZE);
    cs_resource *gpu = create_buffer(CS_HEAP_DEFAULT, SIZE);
    cs_resource *readback = create_buffer(CS_HEAP_READBACK, SIZE);
    CHECK_OR_RETURN_FALSE(upload && gpu && readback);
    uint8_t *bytes = upload->mapped;
    for (int i = 0; i < SIZE; i++)
        bytes[i] = (uint8_t)(i * 7);
    CHECK_OK_OR_RETURN_FALSE(backend->buffer_flush(upload, 0, SIZE));
    CHECK_OK_OR_RETURN_FALSE(copy_buffer(upload, gpu, SIZE, 0, 0));
    CHECK_OK_OR_RETURN_FALSE(copy_buffer(gpu, readback, 1000, 16, 100));
    CHECK_OK_OR_RETURN_FALSE(backend->buffer_invalidate(readback, 0, SIZE));
    const uint8_t *out = readback->mapped;
    for (int i = 0; i < 1000; i++)
        CHECK_OR_RETURN_FALSE(out[100 + i] == (uint8_t)((16 + i) * 7));
    destroy_resource(upload);
    destroy_resource(gpu);
    destroy_resource(readback);
    return true;
}

static bool run_write_index(uint32_t elements, uint32_t push_value,
                            bool indirect)
{
    cs_resource *gpu = create_buffer(CS_HEAP_DEFAULT, elements * 4);
    cs_resource *readback = create_buffer(CS_HEAP_READBACK, elements * 4);
    cs_resource *args = create_buffer(CS_HEAP_UPLOAD, 16);
    CHECK_OR_RETURN_FALSE(gpu && readback && args);
    cs_bound_slot slot = storage_slot(CS_REGISTER_U_BASE, gpu);
    cs_compute *compute =
        new_compute(write_index_spirv, sizeof write_index_spirv, &slot, 1, 4);
    CHECK_OR_RETURN_FALSE(compute);
    uint32_t groups[3] = {elements / 64, 1, 1};
    uint32_t *indirect_args = args->mapped;
    indirect_args[1] = groups[0];
    indirect_args[2] = 1;
    indirect_args[3] = 1;
    CHECK_OK_OR_RETURN_FALSE(backend->buffer_flush(args, 0, 16));
    for (int round = 0; round < 3; round++) {
        uint32_t value = push_value + (uint32_t)round;
        CHECK_OK_OR_RETURN_FALSE(backend->compute_dispatch(
            compute, groups, indirect ? args : NULL, 4, &value, NULL));
        CHECK_OK_OR_RETURN_FALSE(
            copy_buffer(gpu, readback, elements * 4, 0, 0));
        CHECK_OK_OR_RETURN_FALSE(
            backend->buffer_invalidate(readback, 0, elements * 4));
        const uint32_t *out = readback->mapped;
        for (uint32_t i = 0; i < elements; i++)
            CHECK_OR_RETURN_FALSE(out[i] == i * 2 + value);
    }
    destroy_compute(compute);
    destroy_resource(gpu);
    destroy_resource(readback);
    destroy_resource(args);
    return true;
}

static bool test_dispatch_push_constants(void)
{
    return run_write_index(1024, 17, false);
}

static bool test_dispatch_indirect(void)
{
    return run_write_index(256, 1000, true);
}

static int dispatch_thread(void *arg)
{
    uintptr_t seed = (uintptr_t)arg;
    for (int i = 0; i < 25; i++) {
        if (!run_write_index(128, (uint32_t)(seed * 100 + i), i % 2 == 0))
            return 1;
    }
    return 0;
}

static bool test_concurrent_dispatch(void)
{
    enum { THREADS = 4 };
    cs_thread threads[THREADS];
    for (uintptr_t i = 0; i < THREADS; i++)
        CHECK_OR_RETURN_FALSE(
            cs_thread_create(&threads[i], dispatch_thread, (void *)(i + 1), 0));
    bool ok = true;
    for (int i = 0; i < THREADS; i++) {
        int result = 1;
        cs_thread_join(threads[i], &result);
        ok = ok && result == 0;
    }
    CHECK_OR_RETURN_FALSE(ok);
    return true;
}

static bool test_texture_copies(void)
{
    enum { W = 8, H = 4, SLICES = 2 };
    cs_resource *texture = create_texture2d(W, H, SLICES, 42);
    cs_resource *other = create_texture2d(W, H, 1, 42);
    cs_resource *upload = create_buffer(CS_HEAP_UPLOAD, W * H * 4);
    cs_resource *readback = create_buffer(CS_HEAP_READBACK, W * H * 4);
    CHECK_OR_RETURN_FALSE(texture && other && upload && readback);
    CHECK_OR_RETURN_FALSE(texture->info.heap_size >= W * H * 4 * SLICES);
    uint32_t *texels = upload->mapped;
    for (uint32_t i = 0; i < W * H; i++)
        texels[i] = i * 3 + 1;
    cs_copy_desc to_slice1 = {
        .width = W, .height = H, .depth = 1, .dst_slice = 1};
    CHECK_OK_OR_RETURN_FALSE(backend->copy(upload, texture, &to_slice1));
    /* a 4x2 box of slice 1 at (2,1) -> (0,0) of the one-slice texture */
    cs_copy_desc box = {.width = 4,
                        .height = 2,
                        .depth = 1,
                        .src_x = 2,
                        .src_y = 1,
                        .src_slice = 1};
    CHECK_OK_OR_RETURN_FALSE(backend->copy(texture, other, &box));
    cs_copy_desc to_buffer = {.width = W, .height = H, .depth = 1};
    CHECK_OK_OR_RETURN_FALSE(backend->copy(other, readback, &to_buffer));
    const uint32_t *out = readback->mapped;
    for (uint32_t y = 0; y < 2; y++)
        for (uint32_t x = 0; x < 4; x++)
            CHECK_OR_RETURN_FALSE(out[y * W + x] ==
                                  ((y + 1) * W + x + 2) * 3 + 1);
    destroy_resource(texture);
    destroy_resource(other);
    destroy_resource(upload);
    destroy_resource(readback);
    return true;
}

static bool test_image_compute(void)
{
    enum { W = 8, H = 8 };
    cs_resource *src = create_texture2d(W, H, 1, 42);
    cs_resource *dst = create_texture2d(W, H, 1, 42);
    cs_resource *constants = create_buffer(CS_HEAP_DEFAULT, 256);
    cs_resource *upload = create_buffer(CS_HEAP_UPLOAD, W * H * 4);
    cs_resource *readback = create_buffer(CS_HEAP_READBACK, W * H * 4);
    CHECK_OR_RETURN_FALSE(src && dst && constants && upload && readback);
    uint32_t *data = upload->mapped;
    for (uint32_t i = 0; i < W * H; i++)
        data[i] = i;
    cs_copy_desc whole = {.width = W, .height = H, .depth = 1};
    CHECK_OK_OR_RETURN_FALSE(backend->copy(upload, src, &whole));
    data[0] = 500;
    CHECK_OK_OR_RETURN_FALSE(copy_buffer(upload, constants, 4, 0, 0));
    cs_bound_slot slots[3] = {
        {.binding = {.binding = 0,
                     .type = CS_BINDING_CONSTANT_BUFFER,
                     .array_size = 1},
         .resource = constants},
        {.binding = {.binding = 1024,
                     .type = CS_BINDING_SAMPLED_IMAGE,
                     .dim = CS_IMAGE_DIM_2D,
                     .array_size = 1},
         .resource = src},
        {.binding = {.binding = 2048,
                     .type = CS_BINDING_STORAGE_IMAGE,
                     .dim = CS_IMAGE_DIM_2D,
                     .array_size = 1},
         .resource = dst},
    };
    cs_compute *compute =
        new_compute(image_add_spirv, sizeof image_add_spirv, slots, 3, 0);
    CHECK_OR_RETURN_FALSE(compute);
    uint32_t groups[3] = {W / 4, H / 4, 1};
    CHECK_OK_OR_RETURN_FALSE(
        backend->compute_dispatch(compute, groups, NULL, 0, NULL, NULL));
    CHECK_OK_OR_RETURN_FALSE(backend->copy(dst, readback, &whole));
    const uint32_t *out = readback->mapped;
    for (uint32_t i = 0; i < W * H; i++)
        CHECK_OR_RETURN_FALSE(out[i] == i + 500);
    destroy_compute(compute);
    destroy_resource(src);
    destroy_resource(dst);
    destroy_resource(constants);
    destroy_resource(upload);
    destroy_resource(readback);
    return true;
}

static bool test_texel_buffer(void)
{
    cs_resource *typed = new_resource(CS_RESOURCE_BUFFER, CS_HEAP_DEFAULT, 256);
    typed->info.format = 42;
    CHECK_OK_OR_RETURN_FALSE(backend->resource_create(typed));
    CHECK_OR_RETURN_FALSE(typed->impl != NULL);
    destroy_resource(typed);
    return true;
}

static cs_heap *create_heap(cs_heap_type type, uint64_t size)
{
    cs_heap *heap = calloc(1, sizeof *heap);
    heap->device = device;
    heap->type = type;
    heap->size = size;
    if (backend->heap_create(heap) != CS_OK) {
        fprintf(stderr, "heap create failed: %s\n", cs_last_error());
        free(heap);
        return NULL;
    }
    return heap;
}

static bool test_heaps(void)
{
    cs_heap *heap = create_heap(CS_HEAP_DEFAULT, 1 << 20);
    cs_heap *upload_heap = create_heap(CS_HEAP_UPLOAD, 1 << 16);
    CHECK_OR_RETURN_FALSE(heap && upload_heap);
    cs_resource *in_heap =
        new_resource(CS_RESOURCE_BUFFER, CS_HEAP_DEFAULT, 4096);
    in_heap->heap = heap;
    in_heap->heap_offset = 65536;
    CHECK_OK_OR_RETURN_FALSE(backend->resource_create(in_heap));
    cs_resource *texture =
        new_resource(CS_RESOURCE_TEXTURE2D, CS_HEAP_DEFAULT, 0);
    texture->info.width = texture->info.height = 16;
    texture->info.format = 28;
    texture->info.row_pitch = 64;
    texture->heap = heap;
    texture->heap_offset = 0;
    CHECK_OK_OR_RETURN_FALSE(backend->resource_create(texture));
    cs_resource *misaligned =
        new_resource(CS_RESOURCE_BUFFER, CS_HEAP_DEFAULT, 64);
    misaligned->heap = heap;
    misaligned->heap_offset = 3;
    CHECK_OR_RETURN_FALSE(backend->resource_create(misaligned) ==
                          CS_ERROR_INVALID_ARGUMENT);
    CHECK_OR_RETURN_FALSE(strstr(cs_last_error(), "aligned"));
    free(misaligned);
    cs_resource *mapped = new_resource(CS_RESOURCE_BUFFER, CS_HEAP_UPLOAD, 256);
    mapped->heap = upload_heap;
    mapped->heap_offset = 1024;
    CHECK_OK_OR_RETURN_FALSE(backend->resource_create(mapped));
    CHECK_OR_RETURN_FALSE(mapped->mapped != NULL);
    memset(mapped->mapped, 0x5a, 256);
    CHECK_OK_OR_RETURN_FALSE(backend->buffer_flush(mapped, 0, 256));
    CHECK_OK_OR_RETURN_FALSE(copy_buffer(mapped, in_heap, 256, 0, 0));
    destroy_resource(mapped);
    destroy_resource(texture);
    destroy_resource(in_heap);
    backend->heap_destroy(heap);
    backend->heap_destroy(upload_heap);
    free(heap);
    free(upload_heap);
    return true;
}

static bool test_sampler(void)
{
    cs_sampler sampler = {.device = device,
                          .desc = {.address_u = CS_ADDRESS_MODE_CLAMP,
                                   .address_v = CS_ADDRESS_MODE_MIRROR,
                                   .filter_min = CS_FILTER_LINEAR}};
    CHECK_OK_OR_RETURN_FALSE(backend->sampler_create(&sampler));
    CHECK_OR_RETURN_FALSE(sampler.impl != NULL);
    backend->sampler_destroy(&sampler);
    return true;
}

static bool test_errors_name_the_call(void)
{
    cs_resource *huge = new_resource(CS_RESOURCE_BUFFER, CS_HEAP_DEFAULT, 0);
    huge->info.size = (uint64_t)1 << 62;
    cs_status status = backend->resource_create(huge);
    free(huge);
    CHECK_OR_RETURN_FALSE(status != CS_OK);
    CHECK_OR_RETURN_FALSE(strstr(cs_last_error(), "failed: VK_ERROR_") ||
                          strstr(cs_last_error(), "memory"));
    return true;
}

static bool test_bindless_bind(void)
{
    if (!device->info.supports_bindless)
        return true;
    enum { ELEMENTS = 128 };
    cs_resource *gpu = create_buffer(CS_HEAP_DEFAULT, ELEMENTS * 4);
    cs_resource *readback = create_buffer(CS_HEAP_READBACK, ELEMENTS * 4);
    CHECK_OR_RETURN_FALSE(gpu && readback);
    cs_bound_slot slot = storage_slot(CS_REGISTER_U_BASE, NULL);
    slot.binding.array_size = 0;
    cs_compute *compute = calloc(1, sizeof *compute);
    compute->device = device;
    compute->spirv = write_index_spirv;
    compute->spirv_size = sizeof write_index_spirv;
    compute->entry_point = "main";
    compute->push_size = 4;
    compute->bindless = true;
    compute->max_bindless = 8;
    compute->slots = &slot;
    compute->slot_count = 1;
    CHECK_OK_OR_RETURN_FALSE(backend->compute_create(compute));
    /* the shader reads element 0 of what is a runtime array here */
    CHECK_OK_OR_RETURN_FALSE(
        backend->compute_bind(compute, &slot.binding, 0, gpu));
    uint32_t groups[3] = {ELEMENTS / 64, 1, 1}, value = 9;
    CHECK_OK_OR_RETURN_FALSE(
        backend->compute_dispatch(compute, groups, NULL, 0, &value, NULL));
    CHECK_OK_OR_RETURN_FALSE(copy_buffer(gpu, readback, ELEMENTS * 4, 0, 0));
    const uint32_t *out = readback->mapped;
    for (uint32_t i = 0; i < ELEMENTS; i++)
        CHECK_OR_RETURN_FALSE(out[i] == i * 2 + 9);
    destroy_compute(compute);
    destroy_resource(gpu);
    destroy_resource(readback);
    return true;
}

typedef struct backend_test {
    const char *name;
    bool (*run)(void);
} backend_test;

int main(void)
{
    harness_require_backend("vulkan");
    harness_pin_vulkan_libraries();
    cs_mutex_init(&test_instance.debug_lock);
    test_instance.backend = backend;
    test_instance.own_backend = backend;
    /* CS_TEST_NO_DEBUG=1 runs without the validation layer. */
    test_instance.flags = harness_instance_flags();
    if (backend->instance_create(&test_instance) != CS_OK) {
        fprintf(stderr, "instance_create failed: %s\n", cs_last_error());
        return 1;
    }
    if (test_instance.device_count == 0) {
        fprintf(stderr, "no Vulkan device\n");
        return 1;
    }
    device = &test_instance.devices[0];
    fprintf(stderr, "device: %s\n", device->info.name);
    const backend_test tests[] = {
        {"discovery", test_discovery},
        {"buffer_heaps", test_buffer_heaps},
        {"upload_copy_readback", test_upload_copy_readback},
        {"dispatch_push_constants", test_dispatch_push_constants},
        {"dispatch_indirect", test_dispatch_indirect},
        {"concurrent_dispatch", test_concurrent_dispatch},
        {"texture_copies", test_texture_copies},
        {"image_compute", test_image_compute},
        {"texel_buffer", test_texel_buffer},
        {"heaps", test_heaps},
        {"bindless_bind", test_bindless_bind},
        {"sampler", test_sampler},
        {"errors_name_the_call", test_errors_name_the_call},
    };
    /* CS_TEST_ONLY=name runs one test (to bisect a leak or a message). */
    const char *only = getenv("CS_TEST_ONLY");
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (only && strcmp(only, tests[i].name) != 0)
            continue;
        int before = collected_messages();
        bool ok = tests[i].run();
        int messages = collected_messages() - before;
        if (ok && messages == 0) {
            passed++;
        } else {
            failed++;
            fprintf(stderr, "FAIL %s (%d validation messages)\n", tests[i].name,
                    messages);
        }
    }
    backend->instance_destroy(&test_instance);
    free(test_instance.devices);
    for (size_t i = 0; i < test_instance.debug_count; i++)
        fprintf(stderr, "validation: %s\n", test_instance.debug_messages[i]);
    if (collected_messages() != 0 && failed == 0) {
        failed++;
        fprintf(stderr, "FAIL teardown (validation messages)\n");
    }
    return harness_finish();
}
