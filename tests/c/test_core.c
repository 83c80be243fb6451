/*
 * test_core.c - tests of the core through the public API only: instances
 * and devices, argument checks of resource creation, uploads and readbacks,
 * copies, compute (compile, dispatch, binding checks, bad SPIR-V),
 * lifetimes and threads. The instance runs with CS_INSTANCE_DEBUG and every
 * test also requires zero validation messages.
 *
 * Built and run by `make test-c` (and `make test-asan`). Prints
 * "N passed, M failed" (tests, not checks); exits non-zero on failure.
 * CS_TEST_ONLY=name runs one test.
 */
#define HARNESS_SUPPRESS_VALIDATION_LAYER_LEAKS
#include "harness.h"

#include "platform/platform.h"
#include "shader/shader_libraries.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef CS_PLATFORM_WINDOWS
#include <sys/wait.h>
#include <unistd.h>
#endif

static cs_instance *instance;
static cs_device *device;
static cs_device_info device_info;

/* >>checks */

/* >>helpers */

static cs_resource *make_buffer_on(cs_device *on, cs_heap_type heap_type,
                                   uint64_t size, uint32_t stride,
                                   cs_format format)
{
    cs_resource_desc desc = {.heap_type = heap_type,
                             .size = size,
                             .stride = stride,
                             .format = format};
    cs_resource *resource = NULL;
    if (cs_resource_create(on, &desc, &resource) != CS_OK) {
        fprintf(stderr, "buffer creation failed: %s\n", cs_last_error());
        return NULL;
    }
    return resource;
}

static cs_resource *make_buffer(cs_heap_type heap_type, uint64_t size)
{
    return make_buffer_on(device, heap_type, size, 0, 0);
}

static cs_resource *make_texture(cs_resource_kind kind, uint32_t width,
                                 uint32_t height, uint32_t depth,
                                 uint32_t slices, cs_format format)
{
    cs_resource_desc desc = {.kind = kind,
                             .format = format,
                             .width = width,
                             .height = height,
                             .depth = depth,
                             .slices = slices};
    cs_resource *resource = NULL;
    if (cs_resource_create(device, &desc, &resource) != CS_OK) {
        fprintf(stderr, "texture creation failed: %s\n", cs_last_error());
        return NULL;
    }
    return resource;
}

enum { R32_UINT = 42, R8G8B8A8_UNORM = 28, R32G32B32A32_FLOAT = 2 };

/* Copies size bytes of any resource into host memory through a readback
 * buffer. */
static cs_status read_resource(cs_resource *resource, void *data, uint64_t size)
{
    cs_resource *readback = make_buffer_on(cs_resource_device(resource),
                                           CS_HEAP_READBACK, size, 0, 0);
    if (!readback)
        return CS_ERROR_BACKEND;
    cs_status status = cs_resource_copy(resource, readback, NULL);
    if (status == CS_OK)
        status = cs_buffer_readback(readback, 0, data, size);
    cs_resource_release(readback);
    return status;
}

/* Fills any resource with size bytes of data through an upload buffer. */
static cs_status write_resource(cs_resource *resource, const void *data,
                                uint64_t size)
{
    cs_resource *upload = make_buffer_on(cs_resource_device(resource),
                                         CS_HEAP_UPLOAD, size, 0, 0);
    if (!upload)
        return CS_ERROR_BACKEND;
    cs_status status = cs_buffer_upload(upload, 0, data, size);
    if (status == CS_OK)
        status = cs_resource_copy(upload, resource, NULL);
    cs_resource_release(upload);
    return status;
}

/* u0 = t0 * push.mul + push.add + base, for the first count elements */
static const char main_source[] =
    "struct P { uint add; uint mul; };\n"
    "[[vk::push_constant]] ConstantBuffer<P> push;\n"
    "cbuffer Params : register(b0) { uint base; uint count; };\n"
    "StructuredBuffer<uint> input : register(t0);\n"
    "RWStructuredBuffer<uint> output : register(u0);\n"
    "[numthreads(64, 1, 1)]\n"
    "void main(uint3 tid : SV_DispatchThreadID)\n"
    "{\n"
    "    if (tid.x < count)\n"
    "        output[tid.x] = input[tid.x] * push.mul + push.add + base;\n"
    "}\n";

/* u0[push.region * 64 + i] = push.value + i */
static const char region_source[] =
    "struct P { uint region; uint value; };\n"
    "[[vk::push_constant]] ConstantBuffer<P> push;\n"
    "RWStructuredBuffer<uint> output : register(u0);\n"
    "[numthreads(64, 1, 1)]\n"
    "void main(uint3 tid : SV_DispatchThreadID)\n"
    "{\n"
    "    output[push.region * 64 + tid.x] = push.value + tid.x;\n"
    "}\n";

static const char typed_source[] =
    "RWBuffer<uint> output : register(u0);\n"
    "[numthreads(1, 1, 1)]\n"
    "void main(uint3 tid : SV_DispatchThreadID)\n"
    "{\n"
    "    output[tid.x] = tid.x;\n"
    "}\n";

static spirv_blob main_spirv, region_spirv, typed_spirv;

/* The resources main_source binds, filled for count elements: input[i] =
 * i + 1, base, count. */
typedef struct main_set {
    cs_resource *cbv, *srv, *uav, *readback;
    uint32_t count;
} main_set;

static void main_set_release(main_set *set)
{
    cs_resource_release(set->cbv);
    cs_resource_release(set->srv);
    cs_resource_release(set->uav);
    cs_resource_release(set->readback);
    memset(set, 0, sizeof *set);
}

static bool main_set_create(main_set *set, uint32_t count, uint32_t base)
{
    memset(set, 0, sizeof *set);
    set->count = count;
    uint64_t bytes = (uint64_t)count * 4;
    set->cbv = make_buffer(CS_HEAP_DEFAULT, 16);
    set->srv = make_buffer_on(device, CS_HEAP_DEFAULT, bytes, 4, 0);
    set->uav = make_buffer_on(device, CS_HEAP_DEFAULT, bytes, 4, 0);
    set->readback = make_buffer(CS_HEAP_READBACK, bytes);
    bool ok = set->cbv && set->srv && set->uav && set->readback;
    uint32_t params[4] = {base, count, 0, 0};
    ok = ok && write_resource(set->cbv, params, sizeof params) == CS_OK;
    uint32_t *input = malloc(bytes);
    ok = ok && input;
    for (uint32_t i = 0; ok && i < count; i++)
        input[i] = i + 1;
    ok = ok && write_resource(set->srv, input, bytes) == CS_OK;
    free(input);
    if (!ok) {
        fprintf(stderr, "main_set_create failed: %s\n", cs_last_error());
        main_set_release(set);
    }
    return ok;
}

static cs_status main_compute_create(cs_device *on, const main_set *set,
                                     cs_compute **out)
{
    cs_compute_desc desc = {.spirv = main_spirv.words,
                            .spirv_size = main_spirv.size,
                            .cbv = &set->cbv,
                            .cbv_count = 1,
                            .srv = &set->srv,
                            .srv_count = 1,
                            .uav = &set->uav,
                            .uav_count = 1,
                            .push_size = 8};
    return cs_compute_create(on, &desc, out);
}

/* Number of elements of set's output that differ from the expected. */
static uint32_t main_set_errors(main_set *set, uint32_t base, uint32_t add,
                                uint32_t mul)
{
    uint32_t *out = calloc(set->count, 4);
    if (!out)
        return set->count;
    uint32_t errors = 0;
    if (cs_resource_copy(set->uav, set->readback, NULL) != CS_OK ||
        cs_buffer_readback(set->readback, 0, out, (uint64_t)set->count * 4) !=
            CS_OK) {
        fprintf(stderr, "reading the output failed: %s\n", cs_last_error());
        errors = set->count;
    }
    for (uint32_t i = 0; !errors && i < set->count; i++) {
        uint32_t expected = (i + 1) * mul + add + base;
        if (out[i] != expected) {
            if (errors++ < 4)
                fprintf(stderr, "output[%u] = %u, expected %u\n", i, out[i],
                        expected);
        }
    }
    free(out);
    return errors;
}

/* >>instance and devices */

static void test_instance(void)
{
    CHECK(cs_instance_device_count(instance) > 0);
    CHECK(strcmp(cs_instance_backend_name(instance), harness_backend_name()) ==
          0);
    CHECK(cs_instance_get_device(instance,
                                 cs_instance_device_count(instance)) == NULL);
    for (size_t i = 0; i < cs_instance_device_count(instance); i++) {
        cs_device *dev = cs_instance_get_device(instance, i);
        CHECK_OR_RETURN(dev != NULL);
        cs_device_info info;
        memset(&info, 0, sizeof info);
        cs_device_get_info(dev, &info);
        CHECK(info.name[0] != '\0');
        CHECK(memchr(info.name, '\0', sizeof info.name) != NULL);
        CHECK(info.max_push_constants_size >= 128);
        for (int axis = 0; axis < 3; axis++) {
            CHECK(info.max_compute_workgroup_count[axis] > 0);
            CHECK(info.max_compute_workgroup_size[axis] > 0);
        }
        CHECK(info.max_buffer_size > 0);
        CHECK(info.max_image_dimension_1d > 0);
        CHECK(info.max_image_dimension_2d > 0);
        CHECK(info.max_image_dimension_3d > 0);
        CHECK(info.max_image_array_layers > 0);
        CHECK(info.max_texel_buffer_elements > 0);
        CHECK(info.max_uniform_buffer_range > 0);
        CHECK(info.dedicated_system_memory == 0);
    }

    /* a second instance, default desc (on the backend in use), released at
     * once */
    cs_instance *other = NULL;
    cs_instance_desc on_backend = {.backend = harness_backend()};
    CHECK_OK_OR_RETURN(
        cs_instance_create(harness_backend() ? &on_backend : NULL, &other));
    CHECK(cs_instance_device_count(other) ==
          cs_instance_device_count(instance));
    cs_instance_retain(other);
    cs_instance_release(other);
    cs_instance_release(other);
    cs_instance_release(NULL);

    cs_instance_desc bad = {.backend = "metal-on-a-toaster"};
    cs_instance *never = NULL;
    CHECK_FAILS(cs_instance_create(&bad, &never), CS_ERROR_INVALID_ARGUMENT,
                "metal-on-a-toaster");
    CHECK(never == NULL);
    cs_instance_desc named = {.backend = "vulkan"};
    CHECK_FAILS(cs_instance_create(&named, NULL), CS_ERROR_INVALID_ARGUMENT,
                "NULL");

    CHECK(strcmp(cs_status_name(CS_OK), "CS_OK") == 0);
    CHECK(strcmp(cs_status_name(CS_ERROR_INVALID_ARGUMENT),
                 "CS_ERROR_INVALID_ARGUMENT") == 0);
    CHECK(strcmp(cs_status_name(CS_ERROR_BINDING_MISMATCH),
                 "CS_ERROR_BINDING_MISMATCH") == 0);
    CHECK(strcmp(cs_status_name(CS_ERROR_BACKEND), "CS_ERROR_BACKEND") == 0);
    for (int s = CS_OK; s <= CS_ERROR_BACKEND; s++)
        CHECK(strncmp(cs_status_name((cs_status)s), "CS_", 3) == 0);
    CHECK(cs_status_name((cs_status)1000) != NULL);

    CHECK(cs_format_texel_size(R32_UINT) == 4);
    CHECK(cs_format_texel_size(R32G32B32A32_FLOAT) == 16);
    CHECK(cs_format_texel_size(0) == 0);
    CHECK(cs_format_texel_size(9999) == 0);
    CHECK(strcmp(cs_format_name(R8G8B8A8_UNORM), "R8G8B8A8_UNORM") == 0);
    CHECK(cs_format_name(9999) == NULL);
}

/* >>resource creation */

static cs_status create(const cs_resource_desc *desc)
{
    cs_resource *resource = NULL;
    cs_status status = cs_resource_create(device, desc, &resource);
    if (status == CS_OK)
        cs_resource_release(resource);
    return status;
}

static void test_resource_create_errors(void)
{
    cs_resource_desc desc = {.size = 0};
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT,
                "size must be greater than 0");
    desc = (cs_resource_desc){.size = 64, .heap_type = (cs_heap_type)7};
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "heap type 7");
    desc = (cs_resource_desc){.size = 64, .format = 9999};
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "format 9999");
    desc = (cs_resource_desc){.size = device_info.max_buffer_size + 1};
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "limit");
    desc = (cs_resource_desc){.size = UINT64_MAX};
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "limit");
    /* a typed buffer of one element more than the device's limit */
    desc = (cs_resource_desc){
        .size = ((uint64_t)device_info.max_texel_buffer_elements + 1) * 4,
        .format = R32_UINT};
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "limit");
    desc = (cs_resource_desc){.kind = (cs_resource_kind)99, .size = 64};
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "kind 99");
    desc = (cs_resource_desc){.size = 64, .heap_offset = 16};
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "without a heap");
    CHECK_FAILS(cs_resource_create(device, NULL, NULL),
                CS_ERROR_INVALID_ARGUMENT, "NULL");
    desc = (cs_resource_desc){.size = 64};
    cs_resource *never = NULL;
    CHECK_FAILS(cs_resource_create(NULL, &desc, &never),
                CS_ERROR_INVALID_ARGUMENT, "NULL");
    CHECK(never == NULL);

    /* textures */
    const cs_resource_kind kinds[3] = {
        CS_RESOURCE_TEXTURE1D, CS_RESOURCE_TEXTURE2D, CS_RESOURCE_TEXTURE3D};
    for (int k = 0; k < 3; k++) {
        desc = (cs_resource_desc){.kind = kinds[k],
                                  .format = R32_UINT,
                                  .width = 0,
                                  .height = 4,
                                  .depth = 4};
        CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT,
                    "width must be greater than 0");
        desc.width = 4;
        desc.height = 0;
        if (kinds[k] == CS_RESOURCE_TEXTURE1D)
            CHECK_OK(create(&desc)); /* a 1D texture has no height */
        else
            CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT,
                        "height must be greater than 0");
        desc.height = 4;
        desc.depth = 0;
        if (kinds[k] == CS_RESOURCE_TEXTURE3D)
            CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT,
                        "depth must be greater than 0");
        else
            CHECK_OK(create(&desc));
        desc.depth = 4;
        desc.format = 0;
        CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "format 0");
        desc.format = 9999;
        CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "format 9999");
        desc.format = R32_UINT;
        desc.heap_type = CS_HEAP_UPLOAD;
        CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT,
                    "textures live in HEAP_DEFAULT");
        desc.heap_type = CS_HEAP_READBACK;
        CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "HEAP_READBACK");
        desc.heap_type = CS_HEAP_DEFAULT;
        desc.width = UINT32_MAX;
        CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "Texture");
        /* one texel past the device's limit */
        desc.width = kinds[k] == CS_RESOURCE_TEXTURE1D
                         ? device_info.max_image_dimension_1d + 1
                     : kinds[k] == CS_RESOURCE_TEXTURE2D
                         ? device_info.max_image_dimension_2d + 1
                         : device_info.max_image_dimension_3d + 1;
        CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "device's limit");
        desc.width = 4;
        CHECK_OK(create(&desc));
    }
    desc = (cs_resource_desc){.kind = CS_RESOURCE_TEXTURE3D,
                              .format = R32_UINT,
                              .width = 4,
                              .height = 4,
                              .depth = 4,
                              .slices = 2};
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "no slices");
    desc = (cs_resource_desc){.kind = CS_RESOURCE_TEXTURE2D,
                              .format = R32_UINT,
                              .width = 4,
                              .height = 4,
                              .slices = device_info.max_image_array_layers + 1};
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "slices");

    /* the info of a created texture */
    cs_resource *texture =
        make_texture(CS_RESOURCE_TEXTURE2D, 5, 3, 0, 2, R8G8B8A8_UNORM);
    CHECK_OR_RETURN(texture != NULL);
    cs_resource_info info;
    cs_resource_get_info(texture, &info);
    CHECK(info.kind == CS_RESOURCE_TEXTURE2D);
    CHECK(info.width == 5 && info.height == 3 && info.depth == 1);
    CHECK(info.slices == 2);
    CHECK(info.row_pitch == 20);
    CHECK(info.size == 20 * 3 * 2);
    CHECK(info.heap_size >= info.size);
    CHECK(cs_resource_device(texture) == device);
    cs_resource_release(texture);

    /* heaps */
    cs_heap *upload_heap = NULL, *default_heap = NULL;
    CHECK_FAILS(cs_heap_create(device, CS_HEAP_UPLOAD, 0, &upload_heap),
                CS_ERROR_INVALID_ARGUMENT, "greater than 0");
    CHECK_FAILS(cs_heap_create(device, (cs_heap_type)5, 4096, &upload_heap),
                CS_ERROR_INVALID_ARGUMENT, "heap type 5");
    CHECK_OK_OR_RETURN(
        cs_heap_create(device, CS_HEAP_UPLOAD, 65536, &upload_heap));
    CHECK_OK_OR_RETURN(
        cs_heap_create(device, CS_HEAP_DEFAULT, 65536, &default_heap));
    CHECK(cs_heap_size(upload_heap) == 65536);
    CHECK(cs_heap_get_type(upload_heap) == CS_HEAP_UPLOAD);

    desc = (cs_resource_desc){
        .heap_type = CS_HEAP_DEFAULT, .size = 256, .heap = upload_heap};
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT,
                "the heap is HEAP_UPLOAD, expected HEAP_DEFAULT");
    desc = (cs_resource_desc){
        .heap_type = CS_HEAP_READBACK, .size = 256, .heap = default_heap};
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT,
                "the heap is HEAP_DEFAULT, expected HEAP_READBACK");
    desc = (cs_resource_desc){.kind = CS_RESOURCE_TEXTURE2D,
                              .format = R32_UINT,
                              .width = 4,
                              .height = 4,
                              .heap = upload_heap};
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT,
                "the heap is HEAP_UPLOAD, expected HEAP_DEFAULT");
    desc = (cs_resource_desc){.heap_type = CS_HEAP_UPLOAD,
                              .size = 256,
                              .heap = upload_heap,
                              .heap_offset = 65536};
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "past the end");
    desc.heap_offset = UINT64_MAX;
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "past the end");
    /* inside the heap, but the buffer runs past its end */
    desc.heap_offset = 65536 - 256;
    desc.size = 4096;
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "heap");
    desc.size = 65536 * 2;
    desc.heap_offset = 0;
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "heap");

    /* two buffers aliasing the upload heap see the same bytes */
    cs_resource *whole = NULL, *part = NULL;
    desc = (cs_resource_desc){
        .heap_type = CS_HEAP_UPLOAD, .size = 65536, .heap = upload_heap};
    CHECK_OK_OR_RETURN(cs_resource_create(device, &desc, &whole));
    desc.size = 256;
    desc.heap_offset = 4096;
    CHECK_OK_OR_RETURN(cs_resource_create(device, &desc, &part));
    cs_heap_release(upload_heap); /* the buffers keep it */
    uint8_t bytes[256];
    for (int i = 0; i < 256; i++)
        bytes[i] = (uint8_t)(i * 7 + 1);
    CHECK_OK(cs_buffer_upload(part, 0, bytes, sizeof bytes));
    const uint8_t *mapped = cs_buffer_mapped(whole);
    CHECK(mapped && memcmp(mapped + 4096, bytes, sizeof bytes) == 0);
    cs_resource_release(whole);
    cs_resource_release(part);
    cs_heap_release(default_heap);

    /* sparse: lavapipe has no sparse binding */
    desc = (cs_resource_desc){.size = 65536, .sparse = true};
    if (!device_info.supports_sparse) {
        CHECK_FAILS(create(&desc), CS_ERROR_UNSUPPORTED, "sparse");
        desc = (cs_resource_desc){.kind = CS_RESOURCE_TEXTURE2D,
                                  .format = R32_UINT,
                                  .width = 64,
                                  .height = 64,
                                  .sparse = true};
        CHECK_FAILS(create(&desc), CS_ERROR_UNSUPPORTED, "sparse");
    }
    desc = (cs_resource_desc){
        .heap_type = CS_HEAP_UPLOAD, .size = 65536, .sparse = true};
    CHECK_FAILS(create(&desc), CS_ERROR_INVALID_ARGUMENT, "HEAP_UPLOAD");

    cs_resource_release(NULL);
    cs_heap_release(NULL);
}

/* >>uploads and readbacks */

static void test_upload_readback(void)
{
    enum { SIZE = 1024 };
    cs_resource *upload = make_buffer(CS_HEAP_UPLOAD, SIZE);
    cs_resource *gpu = make_buffer(CS_HEAP_DEFAULT, SIZE);
    cs_resource *readback = make_buffer(CS_HEAP_READBACK, SIZE);
    CHECK_OR_RETURN(upload && gpu && readback);
    uint8_t data[SIZE], out[SIZE];
    for (int i = 0; i < SIZE; i++)
        data[i] = (uint8_t)(i * 31 + 5);
    CHECK(cs_buffer_mapped(upload) != NULL);
    CHECK(cs_buffer_mapped(readback) != NULL);
    CHECK(cs_buffer_mapped(gpu) == NULL);
    CHECK(strstr(cs_last_error(), "HEAP_DEFAULT") != NULL);

    CHECK_OK(cs_buffer_upload(upload, 0, data, SIZE));
    CHECK_OK(cs_resource_copy(upload, gpu, NULL));
    CHECK_OK(cs_resource_copy(gpu, readback, NULL));
    memset(out, 0, sizeof out);
    CHECK_OK(cs_buffer_readback(readback, 0, out, SIZE));
    CHECK(memcmp(out, data, SIZE) == 0);
    CHECK(memcmp(cs_buffer_mapped(readback), data, SIZE) == 0);
    /* partial upload and readback at offsets */
    CHECK_OK(cs_buffer_upload(upload, 100, data, 24));
    CHECK_OK(cs_resource_copy(upload, readback, NULL));
    CHECK_OK(cs_buffer_readback(readback, 96, out, 32));
    CHECK(memcmp(out, data + 96, 4) == 0);
    CHECK(memcmp(out + 4, data, 24) == 0);
    CHECK(memcmp(out + 28, data + 124, 4) == 0);
    /* writes through the mapping reach the GPU */
    uint8_t *mapped = cs_buffer_mapped(upload);
    CHECK_OR_RETURN(mapped != NULL);
    memset(mapped, 0x5a, SIZE);
    CHECK_OK(cs_resource_copy(upload, gpu, NULL));
    CHECK_OK(cs_resource_copy(gpu, readback, NULL));
    CHECK_OK(cs_buffer_readback(readback, SIZE - 1, out, 1));
    CHECK(out[0] == 0x5a);

    /* bounds, overflow-proof */
    const struct {
        uint64_t offset, size;
    } bad[] = {
        {SIZE, 1},
        {SIZE + 1, 0},
        {0, SIZE + 1},
        {1, SIZE},
        {SIZE - 1, 2},
        {UINT64_MAX, 1},
        {UINT64_MAX, 0},
        {1, UINT64_MAX},
        {UINT64_MAX - 3, 8},
        {8, UINT64_MAX - 7},
        {UINT64_MAX, UINT64_MAX},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_FAILS(cs_buffer_upload(upload, bad[i].offset, data, bad[i].size),
                    CS_ERROR_INVALID_ARGUMENT, "does not fit");
        CHECK_FAILS(
            cs_buffer_readback(readback, bad[i].offset, out, bad[i].size),
            CS_ERROR_INVALID_ARGUMENT, "does not fit");
    }
    CHECK_OK(cs_buffer_upload(upload, SIZE, data, 0));
    CHECK_OK(cs_buffer_readback(readback, SIZE, out, 0));
    CHECK_OK(cs_buffer_upload(upload, SIZE - 1, data, 1));
    CHECK_FAILS(cs_buffer_upload(upload, 0, NULL, 4), CS_ERROR_INVALID_ARGUMENT,
                "NULL");
    CHECK_FAILS(cs_buffer_readback(readback, 0, NULL, 4),
                CS_ERROR_INVALID_ARGUMENT, "NULL");

    /* host access needs a host-visible buffer */
    CHECK_FAILS(cs_buffer_upload(gpu, 0, data, 4), CS_ERROR_INVALID_OPERATION,
                "HEAP_DEFAULT");
    CHECK_FAILS(cs_buffer_readback(gpu, 0, out, 4), CS_ERROR_INVALID_OPERATION,
                "HEAP_DEFAULT");
    cs_resource *texture =
        make_texture(CS_RESOURCE_TEXTURE2D, 4, 4, 0, 0, R32_UINT);
    CHECK_OR_RETURN(texture != NULL);
    CHECK_FAILS(cs_buffer_upload(texture, 0, data, 4),
                CS_ERROR_INVALID_OPERATION, "Texture2D");
    CHECK(cs_buffer_mapped(texture) == NULL);
    CHECK_FAILS(cs_buffer_upload2d(texture, data, 16, 16, 4, 1, 4),
                CS_ERROR_INVALID_OPERATION, "Texture2D");
    CHECK_FAILS(cs_buffer_upload(NULL, 0, data, 4), CS_ERROR_INVALID_ARGUMENT,
                "NULL");
    CHECK(cs_buffer_mapped(NULL) == NULL);
    cs_resource_release(texture);

    cs_resource_release(upload);
    cs_resource_release(gpu);
    cs_resource_release(readback);
}

static void test_upload2d_chunked(void)
{
    enum { PITCH = 32, WIDTH = 5, HEIGHT = 4, BPP = 4, SIZE = PITCH * HEIGHT };
    cs_resource *upload = make_buffer(CS_HEAP_UPLOAD, SIZE);
    cs_resource *readback = make_buffer(CS_HEAP_READBACK, SIZE);
    CHECK_OR_RETURN(upload && readback);
    uint8_t *mapped = cs_buffer_mapped(upload);
    CHECK_OR_RETURN(mapped != NULL);
    uint8_t packed[WIDTH * HEIGHT * BPP], out[WIDTH * HEIGHT * BPP];
    for (size_t i = 0; i < sizeof packed; i++)
        packed[i] = (uint8_t)(i + 1);

    memset(mapped, 0xaa, SIZE);
    CHECK_OK(cs_buffer_upload2d(upload, packed, sizeof packed, PITCH, WIDTH,
                                HEIGHT, BPP));
    for (int y = 0; y < HEIGHT; y++) {
        const uint8_t *row = mapped + y * PITCH;
        CHECK(memcmp(row, packed + y * WIDTH * BPP, WIDTH * BPP) == 0);
        for (int x = WIDTH * BPP; x < PITCH; x++)
            CHECK(row[x] == 0xaa);
    }
    /* through the GPU and back with readback2d */
    CHECK_OK(cs_resource_copy(upload, readback, NULL));
    memset(out, 0, sizeof out);
    CHECK_OK(cs_buffer_readback2d(readback, out, sizeof out, PITCH, WIDTH,
                                  HEIGHT, BPP));
    CHECK(memcmp(out, packed, sizeof packed) == 0);

    /* short data: copied as far as it goes (6 bytes into row 1) */
    memset(mapped, 0xaa, SIZE);
    CHECK_OK(cs_buffer_upload2d(upload, packed, WIDTH * BPP + 6, PITCH, WIDTH,
                                HEIGHT, BPP));
    CHECK(memcmp(mapped, packed, WIDTH * BPP) == 0);
    CHECK(memcmp(mapped + PITCH, packed + WIDTH * BPP, 6) == 0);
    CHECK(mapped[PITCH + 6] == 0xaa);
    CHECK(mapped[2 * PITCH] == 0xaa);

    /* the rows must fit in the pitch and in the buffer */
    CHECK_FAILS(cs_buffer_upload2d(upload, packed, sizeof packed, 16, WIDTH,
                                   HEIGHT, BPP),
                CS_ERROR_INVALID_ARGUMENT, "longer than the pitch");
    CHECK_FAILS(cs_buffer_upload2d(upload, packed, sizeof packed, PITCH + 8,
                                   WIDTH, HEIGHT, BPP),
                CS_ERROR_INVALID_ARGUMENT, "the buffer has");
    CHECK_FAILS(cs_buffer_upload2d(upload, packed, sizeof packed, UINT32_MAX,
                                   WIDTH, HEIGHT, BPP),
                CS_ERROR_INVALID_ARGUMENT, "the buffer has");
    /* one row of 2^32-1 bytes, of which the data holds the first 80 */
    CHECK_OK(cs_buffer_upload2d(upload, packed, sizeof packed, UINT32_MAX,
                                UINT32_MAX, UINT32_MAX, 1));
    CHECK(memcmp(mapped, packed, sizeof packed) == 0);
    CHECK_FAILS(cs_buffer_readback2d(readback, out, sizeof out - 1, PITCH,
                                     WIDTH, HEIGHT, BPP),
                CS_ERROR_INVALID_ARGUMENT, "bytes of data");
    CHECK_FAILS(cs_buffer_readback2d(readback, out, UINT64_MAX, PITCH, WIDTH,
                                     HEIGHT + 1, BPP),
                CS_ERROR_INVALID_ARGUMENT, "the buffer has");
    CHECK_FAILS(
        cs_buffer_readback2d(readback, out, sizeof out, 8, WIDTH, HEIGHT, BPP),
        CS_ERROR_INVALID_ARGUMENT, "longer than the pitch");
    CHECK_OK(cs_buffer_upload2d(upload, packed, sizeof packed, PITCH, 0, HEIGHT,
                                BPP));
    CHECK_OK(cs_buffer_readback2d(readback, out, 0, PITCH, WIDTH, 0, BPP));

    /* upload_chunked: RGB -> RGBA, the last chunk short */
    const uint8_t rgb[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const uint8_t alpha = 0xff;
    memset(mapped, 0xaa, SIZE);
    CHECK_OK(cs_buffer_upload_chunked(upload, rgb, sizeof rgb, 3, &alpha, 1));
    const uint8_t expected[14] = {1,    2, 3, 0xff, 4,    5,  6,
                                  0xff, 7, 8, 9,    0xff, 10, 0xff};
    CHECK(memcmp(mapped, expected, sizeof expected) == 0);
    CHECK(mapped[sizeof expected] == 0xaa);
    CHECK_OK(cs_resource_copy(upload, readback, NULL));
    uint8_t back[14];
    CHECK_OK(cs_buffer_readback(readback, 0, back, sizeof back));
    CHECK(memcmp(back, expected, sizeof expected) == 0);
    /* a filler of several bytes */
    const uint8_t filler[3] = {0xf0, 0xf1, 0xf2};
    CHECK_OK(cs_buffer_upload_chunked(upload, rgb, 4, 2, filler, 3));
    const uint8_t expected2[10] = {1, 2, 0xf0, 0xf1, 0xf2,
                                   3, 4, 0xf0, 0xf1, 0xf2};
    CHECK(memcmp(mapped, expected2, sizeof expected2) == 0);
    /* no filler: a plain copy */
    CHECK_OK(cs_buffer_upload_chunked(upload, rgb, sizeof rgb, 4, NULL, 0));
    CHECK(memcmp(mapped, rgb, sizeof rgb) == 0);
    CHECK_FAILS(cs_buffer_upload_chunked(upload, rgb, sizeof rgb, 0, &alpha, 1),
                CS_ERROR_INVALID_ARGUMENT, "stride");
    uint8_t *big = calloc(SIZE, 1);
    CHECK_OR_RETURN(big != NULL);
    CHECK_FAILS(cs_buffer_upload_chunked(upload, big, SIZE, 3, &alpha, 1),
                CS_ERROR_INVALID_ARGUMENT, "the buffer has");
    CHECK_OK(cs_buffer_upload_chunked(upload, big, SIZE / 4 * 3, 3, &alpha, 1));
    free(big);
    cs_resource *gpu = make_buffer(CS_HEAP_DEFAULT, SIZE);
    CHECK_OR_RETURN(gpu != NULL);
    CHECK_FAILS(cs_buffer_upload_chunked(gpu, rgb, sizeof rgb, 3, &alpha, 1),
                CS_ERROR_INVALID_OPERATION, "HEAP_DEFAULT");
    CHECK_FAILS(cs_buffer_upload2d(gpu, packed, sizeof packed, PITCH, WIDTH,
                                   HEIGHT, BPP),
                CS_ERROR_INVALID_OPERATION, "HEAP_DEFAULT");
    CHECK_FAILS(
        cs_buffer_readback2d(gpu, out, sizeof out, PITCH, WIDTH, HEIGHT, BPP),
        CS_ERROR_INVALID_OPERATION, "HEAP_DEFAULT");
    cs_resource_release(gpu);
    cs_resource_release(upload);
    cs_resource_release(readback);
}

/* The size computation of upload_chunked must not wrap around: 2^63 bytes
 * of data with one filler byte after every byte need 2^64 bytes, which is
 * 0 in uint64_t. The library must refuse before reading any data, so the
 * claimed size is never read; the call runs in a child process, so that a
 * wrong answer (a copy far past the buffer) fails the test instead of
 * crashing the run. */
static void test_upload_chunked_overflow(void)
{
    cs_resource *upload = make_buffer(CS_HEAP_UPLOAD, 4096);
    CHECK_OR_RETURN(upload != NULL);
    const uint8_t data[16] = {0}, filler = 0xff;
#ifdef CS_PLATFORM_WINDOWS
    /* no fork(): asked in this process */
    CHECK(cs_buffer_upload_chunked(upload, data, UINT64_C(1) << 63, 1, &filler,
                                   1) == CS_ERROR_INVALID_ARGUMENT);
    cs_resource_release(upload);
#else
    fflush(NULL);
    pid_t child = fork();
    CHECK_OR_RETURN(child >= 0);
    if (child == 0) {
        cs_status status = cs_buffer_upload_chunked(
            upload, data, UINT64_C(1) << 63, 1, &filler, 1);
        _exit(status == CS_ERROR_INVALID_ARGUMENT ? 0 : 10 + (int)status);
    }
    int wstatus = 0;
    CHECK_OR_RETURN(waitpid(child, &wstatus, 0) == child);
    if (WIFSIGNALED(wstatus))
        fprintf(stderr,
                "upload_chunked(data_size=2^63, stride=1, filler_size=1) "
                "crashed with signal %d\n",
                WTERMSIG(wstatus));
    else if (WEXITSTATUS(wstatus) != 0)
        fprintf(stderr,
                "upload_chunked(data_size=2^63, stride=1, filler_size=1) "
                "exited %d (10 + its status, or a sanitizer's exit)\n",
                WEXITSTATUS(wstatus));
    CHECK(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
    cs_resource_release(upload);
#endif
}

/* >>copies */

static void test_buffer_copies(void)
{
    enum { SIZE = 256 };
    cs_resource *upload = make_buffer(CS_HEAP_UPLOAD, SIZE);
    cs_resource *gpu = make_buffer(CS_HEAP_DEFAULT, SIZE);
    cs_resource *small = make_buffer(CS_HEAP_DEFAULT, 16);
    cs_resource *readback = make_buffer(CS_HEAP_READBACK, SIZE);
    CHECK_OR_RETURN(upload && gpu && small && readback);
    uint8_t data[SIZE], out[SIZE], zero[SIZE];
    for (int i = 0; i < SIZE; i++)
        data[i] = (uint8_t)(255 - i);
    memset(zero, 0, sizeof zero);
    CHECK_OK(cs_buffer_upload(upload, 0, zero, SIZE));
    CHECK_OK(cs_resource_copy(upload, gpu, NULL));
    CHECK_OK(cs_buffer_upload(upload, 0, data, SIZE));

    /* offsets and sizes */
    cs_copy_desc desc = {.size = 12, .src_offset = 4, .dst_offset = 8};
    CHECK_OK(cs_resource_copy(upload, gpu, &desc));
    CHECK_OK(cs_resource_copy(gpu, readback, NULL));
    CHECK_OK(cs_buffer_readback(readback, 0, out, SIZE));
    CHECK(memcmp(out, zero, 8) == 0);
    CHECK(memcmp(out + 8, data + 4, 12) == 0);
    CHECK(memcmp(out + 20, zero, SIZE - 20) == 0);
    /* size 0: the rest of the source past src_offset */
    desc = (cs_copy_desc){.src_offset = SIZE - 16, .dst_offset = 0};
    CHECK_OK(cs_resource_copy(upload, small, &desc));
    desc = (cs_copy_desc){.dst_offset = 100};
    CHECK_OK(cs_resource_copy(small, readback, &desc));
    CHECK_OK(cs_buffer_readback(readback, 100, out, 16));
    CHECK(memcmp(out, data + SIZE - 16, 16) == 0);
    /* nothing left past src_offset: nothing to do */
    desc = (cs_copy_desc){.src_offset = SIZE};
    CHECK_OK(cs_resource_copy(upload, gpu, &desc));
    /* the whole source into a larger destination */
    CHECK_OK(cs_resource_copy(small, gpu, NULL));

    /* out of bounds */
    const struct {
        uint64_t size, src_offset, dst_offset;
        const char *text;
    } bad[] = {
        {0, SIZE + 1, 0, "src_offset"},
        {SIZE + 1, 0, 0, "source"},
        {2, SIZE - 1, 0, "source"},
        {UINT64_MAX, 0, 0, "source"},
        {UINT64_MAX - 7, 8, 0, "source"},
        {0, UINT64_MAX, 0, "src_offset"},
        {17, 0, 0, "destination"},         /* into small */
        {0, 0, 0, "destination"},          /* whole 256 bytes into small */
        {1, 0, 16, "destination"},         /* dst_offset at the end */
        {8, 0, 12, "destination"},         /* runs past the end */
        {1, 0, UINT64_MAX, "destination"}, /* no wrap around */
        {8, 0, UINT64_MAX - 3, "destination"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        desc = (cs_copy_desc){.size = bad[i].size,
                              .src_offset = bad[i].src_offset,
                              .dst_offset = bad[i].dst_offset};
        CHECK_FAILS(cs_resource_copy(upload, small, &desc),
                    CS_ERROR_INVALID_ARGUMENT, bad[i].text);
    }
    CHECK_FAILS(cs_resource_copy(NULL, small, NULL), CS_ERROR_INVALID_ARGUMENT,
                "NULL");
    CHECK_FAILS(cs_resource_copy(small, NULL, NULL), CS_ERROR_INVALID_ARGUMENT,
                "NULL");

    /* resources of another instance's device */
    cs_instance *other = NULL;
    cs_instance_desc other_desc = harness_instance_desc();
    CHECK_OK_OR_RETURN(cs_instance_create(&other_desc, &other));
    cs_resource *foreign = make_buffer_on(cs_instance_get_device(other, 0),
                                          CS_HEAP_DEFAULT, SIZE, 0, 0);
    cs_instance_release(other);
    CHECK_OR_RETURN(foreign != NULL);
    CHECK_FAILS(cs_resource_copy(foreign, gpu, NULL), CS_ERROR_INVALID_ARGUMENT,
                "one device");
    cs_resource_release(foreign);

    cs_resource_release(upload);
    cs_resource_release(gpu);
    cs_resource_release(small);
    cs_resource_release(readback);
}

static void test_texture_copies(void)
{
    enum { W = 16, H = 8, TEXELS = W * H, BYTES = TEXELS * 4 };
    cs_resource *a = make_texture(CS_RESOURCE_TEXTURE2D, W, H, 0, 0, R32_UINT);
    cs_resource *b = make_texture(CS_RESOURCE_TEXTURE2D, W, H, 0, 0, R32_UINT);
    cs_resource *layered =
        make_texture(CS_RESOURCE_TEXTURE2D, W, H, 0, 3, R32_UINT);
    cs_resource *wide =
        make_texture(CS_RESOURCE_TEXTURE2D, W, H, 0, 0, R32G32B32A32_FLOAT);
    cs_resource *volume =
        make_texture(CS_RESOURCE_TEXTURE3D, 4, 4, 4, 0, R32_UINT);
    cs_resource *line =
        make_texture(CS_RESOURCE_TEXTURE1D, W, 0, 0, 0, R32_UINT);
    cs_resource *upload = make_buffer(CS_HEAP_UPLOAD, BYTES);
    cs_resource *readback = make_buffer(CS_HEAP_READBACK, BYTES);
    cs_resource *small = make_buffer(CS_HEAP_READBACK, BYTES - 4);
    CHECK_OR_RETURN(a && b && layered && wide && volume && line && upload &&
                    readback && small);
    uint32_t pattern_a[TEXELS], pattern_b[TEXELS], out[TEXELS];
    for (uint32_t i = 0; i < TEXELS; i++) {
        pattern_a[i] = 0xa0000000u | i;
        pattern_b[i] = 0xb0000000u | i;
    }

    /* buffer -> texture -> buffer */
    CHECK_OK(cs_buffer_upload(upload, 0, pattern_a, BYTES));
    CHECK_OK(cs_resource_copy(upload, a, NULL));
    CHECK_OK(cs_buffer_upload(upload, 0, pattern_b, BYTES));
    CHECK_OK(cs_resource_copy(upload, b, NULL));
    CHECK_OK(cs_resource_copy(a, readback, NULL));
    CHECK_OK(cs_buffer_readback(readback, 0, out, BYTES));
    CHECK(memcmp(out, pattern_a, BYTES) == 0);

    /* texture -> texture box: 4x3 texels from (2,1) of a to (5,2) of b */
    cs_copy_desc desc = {.width = 4,
                         .height = 3,
                         .src_x = 2,
                         .src_y = 1,
                         .dst_x = 5,
                         .dst_y = 2};
    CHECK_OK(cs_resource_copy(a, b, &desc));
    CHECK_OK(cs_resource_copy(b, readback, NULL));
    CHECK_OK(cs_buffer_readback(readback, 0, out, BYTES));
    int wrong = 0;
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            bool inside = x >= 5 && x < 9 && y >= 2 && y < 5;
            uint32_t expected = inside ? pattern_a[(y - 1) * W + (x - 3)]
                                       : pattern_b[y * W + x];
            wrong += out[y * W + x] != expected;
        }
    }
    CHECK(wrong == 0);

    /* texture box -> buffer: the buffer side holds rows of the texture's
     * row_pitch (as in the original module), from dst_offset */
    desc = (cs_copy_desc){
        .width = 3, .height = 2, .src_x = 13, .src_y = 6, .dst_offset = 8};
    CHECK_OK(cs_resource_copy(a, readback, &desc));
    CHECK_OK(cs_buffer_readback(readback, 8, out, W * 4 + 12));
    for (uint32_t y = 0; y < 2; y++)
        for (uint32_t x = 0; x < 3; x++)
            CHECK(out[y * W + x] == pattern_a[(6 + y) * W + 13 + x]);

    /* buffer -> texture box: rows of row_pitch from src_offset */
    desc = (cs_copy_desc){
        .width = 2, .height = 2, .dst_x = 0, .dst_y = 6, .src_offset = 16};
    CHECK_OK(cs_buffer_upload(upload, 0, pattern_b, BYTES));
    CHECK_OK(cs_resource_copy(upload, a, &desc));
    CHECK_OK(cs_resource_copy(a, readback, NULL));
    CHECK_OK(cs_buffer_readback(readback, 0, out, BYTES));
    CHECK(out[6 * W] == pattern_b[4] && out[6 * W + 1] == pattern_b[5]);
    CHECK(out[7 * W] == pattern_b[4 + W] && out[7 * W + 1] == pattern_b[5 + W]);
    CHECK(out[6 * W + 2] == pattern_a[6 * W + 2]);
    CHECK(out[5 * W] == pattern_a[5 * W]);

    /* slices: write slice 2 only, read slices 2 and 0 back */
    CHECK_OK(cs_buffer_upload(upload, 0, pattern_a, BYTES));
    desc = (cs_copy_desc){.dst_slice = 2};
    CHECK_OK(cs_resource_copy(upload, layered, &desc));
    desc = (cs_copy_desc){.src_slice = 2};
    CHECK_OK(cs_resource_copy(layered, readback, &desc));
    CHECK_OK(cs_buffer_readback(readback, 0, out, BYTES));
    CHECK(memcmp(out, pattern_a, BYTES) == 0);
    desc = (cs_copy_desc){.src_slice = 2, .dst_slice = 0};
    CHECK_OK(cs_resource_copy(layered, b, &desc));
    CHECK_OK(cs_resource_copy(b, readback, NULL));
    CHECK_OK(cs_buffer_readback(readback, 0, out, BYTES));
    CHECK(memcmp(out, pattern_a, BYTES) == 0);
    desc = (cs_copy_desc){.dst_slice = 3};
    CHECK_FAILS(cs_resource_copy(upload, layered, &desc),
                CS_ERROR_INVALID_ARGUMENT, "dst_slice 3 is out of range");
    desc = (cs_copy_desc){.src_slice = 3};
    CHECK_FAILS(cs_resource_copy(layered, readback, &desc),
                CS_ERROR_INVALID_ARGUMENT, "src_slice 3 is out of range");
    desc = (cs_copy_desc){.src_slice = 1};
    CHECK_FAILS(cs_resource_copy(a, b, &desc), CS_ERROR_INVALID_ARGUMENT,
                "src_slice 1");
    desc = (cs_copy_desc){.dst_slice = UINT32_MAX};
    CHECK_FAILS(cs_resource_copy(a, layered, &desc), CS_ERROR_INVALID_ARGUMENT,
                "dst_slice");

    /* Texture3D and Texture1D round trips */
    CHECK_OK(cs_resource_copy(upload, volume, NULL)); /* 4x4x4 = 256 bytes */
    CHECK_OK(cs_resource_copy(volume, readback, NULL));
    CHECK_OK(cs_buffer_readback(readback, 0, out, 256));
    CHECK(memcmp(out, pattern_a, 256) == 0);
    desc = (cs_copy_desc){.width = 2,
                          .height = 2,
                          .depth = 2,
                          .src_x = 2,
                          .src_y = 2,
                          .src_z = 2};
    CHECK_OK(cs_resource_copy(volume, readback, &desc));
    /* rows of 4 texels, 2 rows (the box's height) per depth slice */
    CHECK_OK(cs_buffer_readback(readback, 0, out, 14 * 4));
    for (uint32_t z = 0; z < 2; z++)
        for (uint32_t y = 0; y < 2; y++)
            for (uint32_t x = 0; x < 2; x++)
                CHECK(out[(z * 2 + y) * 4 + x] ==
                      pattern_a[(z + 2) * 16 + (y + 2) * 4 + x + 2]);
    CHECK_OK(cs_resource_copy(upload, line, NULL));
    CHECK_OK(cs_resource_copy(line, readback, NULL));
    CHECK_OK(cs_buffer_readback(readback, 0, out, W * 4));
    CHECK(memcmp(out, pattern_a, W * 4) == 0);

    /* out of bounds */
    desc = (cs_copy_desc){.src_x = W};
    CHECK_FAILS(cs_resource_copy(a, readback, &desc), CS_ERROR_INVALID_ARGUMENT,
                "src_x 16 is outside");
    desc = (cs_copy_desc){.src_y = H};
    CHECK_FAILS(cs_resource_copy(a, b, &desc), CS_ERROR_INVALID_ARGUMENT,
                "src_y 8 is outside");
    desc = (cs_copy_desc){.src_z = 1};
    CHECK_FAILS(cs_resource_copy(a, b, &desc), CS_ERROR_INVALID_ARGUMENT,
                "src_z 1 is outside");
    desc = (cs_copy_desc){.dst_x = UINT32_MAX};
    CHECK_FAILS(cs_resource_copy(upload, a, &desc), CS_ERROR_INVALID_ARGUMENT,
                "dst_x");
    desc = (cs_copy_desc){.width = W + 1};
    CHECK_FAILS(cs_resource_copy(a, readback, &desc), CS_ERROR_INVALID_ARGUMENT,
                "exceeds");
    desc = (cs_copy_desc){.width = UINT32_MAX, .src_x = 1};
    CHECK_FAILS(cs_resource_copy(a, b, &desc), CS_ERROR_INVALID_ARGUMENT,
                "exceeds");
    desc = (cs_copy_desc){.height = 5, .src_y = 4};
    CHECK_FAILS(cs_resource_copy(a, b, &desc), CS_ERROR_INVALID_ARGUMENT,
                "exceeds");
    /* the source box fits, the destination cannot take it */
    desc = (cs_copy_desc){.width = 4, .height = 4, .dst_x = 13};
    CHECK_FAILS(cs_resource_copy(a, b, &desc), CS_ERROR_INVALID_ARGUMENT,
                "dst_x 13");
    desc = (cs_copy_desc){.dst_y = 1}; /* whole source into b from y=1 */
    CHECK_FAILS(cs_resource_copy(a, b, &desc), CS_ERROR_INVALID_ARGUMENT,
                "dst_y 1");
    /* buffers too small for the box */
    CHECK_FAILS(cs_resource_copy(a, small, NULL), CS_ERROR_INVALID_ARGUMENT,
                "destination buffer needs 512 bytes");
    desc = (cs_copy_desc){.dst_offset = 4};
    CHECK_FAILS(cs_resource_copy(a, readback, &desc), CS_ERROR_INVALID_ARGUMENT,
                "destination buffer");
    desc = (cs_copy_desc){.dst_offset = UINT64_MAX - 3}; /* whole texels */
    CHECK_FAILS(cs_resource_copy(a, readback, &desc), CS_ERROR_INVALID_ARGUMENT,
                "destination buffer");
    desc = (cs_copy_desc){.src_offset = UINT64_MAX - 3};
    CHECK_FAILS(cs_resource_copy(upload, a, &desc), CS_ERROR_INVALID_ARGUMENT,
                "source buffer");
    desc = (cs_copy_desc){.src_offset = 4};
    CHECK_FAILS(cs_resource_copy(upload, a, &desc), CS_ERROR_INVALID_ARGUMENT,
                "source buffer");
    /* a box narrower than the texture still spans rows of row_pitch in the
     * buffer: 3x2 texels of a 16-texel-wide R32_UINT texture touch 64 + 12
     * bytes, not 24. The buffers sit at the start of large heaps, so that a
     * copy past their end stays inside memory the test owns. */
    cs_heap *upload_heap = NULL, *readback_heap = NULL;
    CHECK_OK_OR_RETURN(
        cs_heap_create(device, CS_HEAP_UPLOAD, 65536, &upload_heap));
    CHECK_OK_OR_RETURN(
        cs_heap_create(device, CS_HEAP_READBACK, 65536, &readback_heap));
    cs_resource_desc placed = {
        .heap_type = CS_HEAP_UPLOAD, .size = 24, .heap = upload_heap};
    cs_resource *upload24 = NULL, *readback24 = NULL;
    CHECK_OK_OR_RETURN(cs_resource_create(device, &placed, &upload24));
    placed.heap_type = CS_HEAP_READBACK;
    placed.heap = readback_heap;
    CHECK_OK_OR_RETURN(cs_resource_create(device, &placed, &readback24));
    cs_heap_release(upload_heap);
    cs_heap_release(readback_heap);
    desc = (cs_copy_desc){.width = 3, .height = 2};
    CHECK_FAILS(cs_resource_copy(upload24, a, &desc), CS_ERROR_INVALID_ARGUMENT,
                "source buffer");
    CHECK_FAILS(cs_resource_copy(a, readback24, &desc),
                CS_ERROR_INVALID_ARGUMENT, "destination buffer");
    cs_resource_release(upload24);
    cs_resource_release(readback24);
    /* texel sizes must agree */
    CHECK_FAILS(cs_resource_copy(a, wide, NULL), CS_ERROR_INVALID_ARGUMENT,
                "texel sizes differ");

    cs_resource_release(a);
    cs_resource_release(b);
    cs_resource_release(layered);
    cs_resource_release(wide);
    cs_resource_release(volume);
    cs_resource_release(line);
    cs_resource_release(upload);
    cs_resource_release(readback);
    cs_resource_release(small);
}

/* >>compute */

static void test_compute_dispatch(void)
{
    CHECK_OR_RETURN(main_spirv.words != NULL);
    cs_shader_reflection reflection;
    CHECK_OK_OR_RETURN(
        cs_shader_reflect(main_spirv.words, main_spirv.size, &reflection));
    CHECK(reflection.workgroup_size[0] == 64);
    CHECK(reflection.push_constant_size == 8);
    CHECK(reflection.binding_count == 3);
    cs_shader_reflection_free(&reflection);

    main_set set;
    CHECK_OR_RETURN(main_set_create(&set, 200, 1000));
    cs_compute *compute = NULL;
    CHECK_OK_OR_RETURN(main_compute_create(device, &set, &compute));
    uint32_t push[2] = {7, 3};
    CHECK_OK(cs_compute_dispatch(compute, 4, 1, 1, push, sizeof push));
    CHECK(main_set_errors(&set, 1000, 7, 3) == 0);
    /* short push data is zero-padded: mul = 0 */
    CHECK_OK(cs_compute_dispatch(compute, 4, 1, 1, push, 4));
    CHECK(main_set_errors(&set, 1000, 7, 0) == 0);
    CHECK_OK(cs_compute_dispatch(compute, 4, 1, 1, NULL, 0));
    CHECK(main_set_errors(&set, 1000, 0, 0) == 0);

    /* indirect: group counts at offset 12 of an upload buffer */
    cs_resource *indirect = make_buffer(CS_HEAP_UPLOAD, 64);
    CHECK_OR_RETURN(indirect != NULL);
    const uint32_t groups[6] = {0, 0, 0, 4, 1, 1};
    CHECK_OK(cs_buffer_upload(indirect, 0, groups, sizeof groups));
    push[0] = 11;
    push[1] = 5;
    CHECK_OK(
        cs_compute_dispatch_indirect(compute, indirect, 12, push, sizeof push));
    CHECK(main_set_errors(&set, 1000, 11, 5) == 0);
    /* from a device-local buffer, too */
    cs_resource *indirect_gpu = make_buffer(CS_HEAP_DEFAULT, 64);
    CHECK_OR_RETURN(indirect_gpu != NULL);
    CHECK_OK(cs_resource_copy(indirect, indirect_gpu, NULL));
    push[0] = 2;
    CHECK_OK(cs_compute_dispatch_indirect(compute, indirect_gpu, 12, push,
                                          sizeof push));
    CHECK(main_set_errors(&set, 1000, 2, 5) == 0);
    /* zero groups: nothing runs */
    push[0] = 99;
    CHECK_OK(
        cs_compute_dispatch_indirect(compute, indirect, 0, push, sizeof push));
    CHECK(main_set_errors(&set, 1000, 2, 5) == 0);
    CHECK_OK(cs_compute_dispatch(compute, 0, 1, 1, push, sizeof push));
    CHECK(main_set_errors(&set, 1000, 2, 5) == 0);
    CHECK_FAILS(cs_compute_dispatch_indirect(compute, indirect, 56, push, 8),
                CS_ERROR_INVALID_ARGUMENT, "do not fit");
    CHECK_FAILS(cs_compute_dispatch_indirect(compute, indirect, 64, push, 8),
                CS_ERROR_INVALID_ARGUMENT, "do not fit");
    CHECK_FAILS(cs_compute_dispatch_indirect(compute, indirect, UINT64_MAX - 3,
                                             push, 8),
                CS_ERROR_INVALID_ARGUMENT, "do not fit");
    CHECK_FAILS(cs_compute_dispatch_indirect(compute, indirect, 2, push, 8),
                CS_ERROR_INVALID_ARGUMENT, "multiple of 4");
    CHECK_FAILS(cs_compute_dispatch_indirect(compute, NULL, 0, push, 8),
                CS_ERROR_INVALID_ARGUMENT, "NULL");
    cs_resource *texture =
        make_texture(CS_RESOURCE_TEXTURE2D, 4, 4, 0, 0, R32_UINT);
    CHECK_OR_RETURN(texture != NULL);
    CHECK_FAILS(cs_compute_dispatch_indirect(compute, texture, 0, push, 8),
                CS_ERROR_INVALID_ARGUMENT, "Texture2D");
    cs_resource_release(texture);

    /* push data longer than push_size */
    uint32_t long_push[3] = {1, 2, 3};
    CHECK_FAILS(
        cs_compute_dispatch(compute, 1, 1, 1, long_push, sizeof long_push),
        CS_ERROR_INVALID_ARGUMENT, "push_size of 8");
    CHECK_FAILS(cs_compute_dispatch_indirect(compute, indirect, 12, long_push,
                                             sizeof long_push),
                CS_ERROR_INVALID_ARGUMENT, "push_size of 8");
    CHECK_FAILS(cs_compute_dispatch(compute, 1, 1, 1, NULL, 4),
                CS_ERROR_INVALID_ARGUMENT, "NULL");
    CHECK_FAILS(cs_compute_dispatch(
                    compute, device_info.max_compute_workgroup_count[0] + 1, 1,
                    1, push, 8),
                CS_ERROR_INVALID_ARGUMENT, "limit");
    CHECK_FAILS(cs_compute_dispatch(NULL, 1, 1, 1, NULL, 0),
                CS_ERROR_INVALID_ARGUMENT, "NULL");
    /* the failures changed nothing */
    CHECK(main_set_errors(&set, 1000, 2, 5) == 0);

    cs_compute_retain(compute);
    cs_compute_release(compute);
    cs_compute_release(compute);
    cs_compute_release(NULL);
    cs_resource_release(indirect);
    cs_resource_release(indirect_gpu);
    main_set_release(&set);
}

/* A cbuffer binding sees at most max_uniform_buffer_range bytes of a
 * larger buffer: binding one is fine, and the shader reads its start. */
static void test_large_constant_buffer(void)
{
    CHECK_OR_RETURN(main_spirv.words != NULL);
    main_set set;
    CHECK_OR_RETURN(main_set_create(&set, 64, 0));
    uint64_t size = 2 * (uint64_t)(device_info.max_uniform_buffer_range
                                       ? device_info.max_uniform_buffer_range
                                       : 65536);
    cs_resource *large = make_buffer(CS_HEAP_DEFAULT, size);
    CHECK_OR_RETURN(large != NULL);
    uint32_t params[4] = {77, 64, 0, 0};
    CHECK_OK(write_resource(large, params, sizeof params));
    cs_resource_release(set.cbv);
    set.cbv = large;
    cs_compute *compute = NULL;
    CHECK_OK_OR_RETURN(main_compute_create(device, &set, &compute));
    uint32_t push[2] = {1, 2};
    CHECK_OK(cs_compute_dispatch(compute, 1, 1, 1, push, sizeof push));
    CHECK(main_set_errors(&set, 77, 1, 2) == 0);
    cs_compute_release(compute);
    main_set_release(&set);
}

static void test_compute_bindings(void)
{
    CHECK_OR_RETURN(main_spirv.words && typed_spirv.words);
    main_set set;
    CHECK_OR_RETURN(main_set_create(&set, 64, 0));
    cs_resource *texture =
        make_texture(CS_RESOURCE_TEXTURE2D, 8, 8, 0, 0, R32_UINT);
    cs_resource *plain = make_buffer(CS_HEAP_DEFAULT, 256);
    cs_resource *typed =
        make_buffer_on(device, CS_HEAP_DEFAULT, 256, 0, R32_UINT);
    CHECK_OR_RETURN(texture && plain && typed);
    cs_compute *compute = NULL;
    cs_compute_desc desc = {.spirv = main_spirv.words,
                            .spirv_size = main_spirv.size,
                            .cbv = &set.cbv,
                            .cbv_count = 1,
                            .srv = &set.srv,
                            .srv_count = 1,
                            .uav = &set.uav,
                            .uav_count = 1,
                            .push_size = 8};
    /* missing uav */
    desc.uav_count = 0;
    CHECK_FAILS(cs_compute_create(device, &desc, &compute),
                CS_ERROR_BINDING_MISMATCH, "u0");
    desc.uav_count = 1;
    /* missing srv, missing cbv */
    desc.srv_count = 0;
    CHECK_FAILS(cs_compute_create(device, &desc, &compute),
                CS_ERROR_BINDING_MISMATCH, "t0");
    desc.srv_count = 1;
    desc.cbv_count = 0;
    CHECK_FAILS(cs_compute_create(device, &desc, &compute),
                CS_ERROR_BINDING_MISMATCH, "b0");
    desc.cbv_count = 1;
    /* a texture where a buffer is declared */
    desc.uav = &texture;
    CHECK_FAILS(cs_compute_create(device, &desc, &compute),
                CS_ERROR_BINDING_MISMATCH, "register u0");
    CHECK(strstr(cs_last_error(), "Texture2D") != NULL);
    desc.uav = &set.uav;
    desc.srv = &texture;
    CHECK_FAILS(cs_compute_create(device, &desc, &compute),
                CS_ERROR_BINDING_MISMATCH, "register t0");
    desc.srv = &set.srv;
    /* push constants: the shader declares 8 bytes */
    desc.push_size = 4;
    CHECK_FAILS(cs_compute_create(device, &desc, &compute),
                CS_ERROR_BINDING_MISMATCH, "push");
    desc.push_size = 6;
    CHECK_FAILS(cs_compute_create(device, &desc, &compute),
                CS_ERROR_INVALID_ARGUMENT, "multiple of 4");
    desc.push_size = device_info.max_push_constants_size + 4;
    CHECK_FAILS(cs_compute_create(device, &desc, &compute),
                CS_ERROR_INVALID_ARGUMENT, "limit");
    desc.push_size = 8;
    /* NULL in a list, a list without array */
    cs_resource *null_resource = NULL;
    desc.uav = &null_resource;
    CHECK_FAILS(cs_compute_create(device, &desc, &compute),
                CS_ERROR_INVALID_ARGUMENT, "uav[0] is NULL");
    desc.uav = NULL;
    CHECK_FAILS(cs_compute_create(device, &desc, &compute),
                CS_ERROR_INVALID_ARGUMENT, "no array");
    desc.uav = &set.uav;
    desc.entry_point = "not_main";
    CHECK_FAILS(cs_compute_create(device, &desc, &compute),
                CS_ERROR_INVALID_ARGUMENT, "not_main");
    desc.entry_point = NULL;
    /* a resource of another device */
    cs_instance *other = NULL;
    cs_instance_desc other_desc = harness_instance_desc();
    CHECK_OK_OR_RETURN(cs_instance_create(&other_desc, &other));
    cs_resource *foreign = make_buffer_on(cs_instance_get_device(other, 0),
                                          CS_HEAP_DEFAULT, 256, 4, 0);
    CHECK_OR_RETURN(foreign != NULL);
    desc.uav = &foreign;
    CHECK_FAILS(cs_compute_create(device, &desc, &compute),
                CS_ERROR_INVALID_ARGUMENT, "device");
    cs_resource_release(foreign);
    cs_instance_release(other);
    desc.uav = &set.uav;
    /* everything right, extra resources ignored */
    cs_resource *two[2] = {set.uav, plain};
    desc.uav = two;
    desc.uav_count = 2;
    CHECK_OK(cs_compute_create(device, &desc, &compute));
    cs_compute_release(compute);
    compute = NULL;

    /* typed buffer: needs a format */
    cs_compute_desc typed_desc = {.spirv = typed_spirv.words,
                                  .spirv_size = typed_spirv.size,
                                  .uav = &plain,
                                  .uav_count = 1};
    CHECK_FAILS(cs_compute_create(device, &typed_desc, &compute),
                CS_ERROR_BINDING_MISMATCH, "u0");
    CHECK(strstr(cs_last_error(), "format") != NULL);
    typed_desc.uav = &texture;
    CHECK_FAILS(cs_compute_create(device, &typed_desc, &compute),
                CS_ERROR_BINDING_MISMATCH, "u0");
    typed_desc.uav = &typed;
    CHECK_OK_OR_RETURN(cs_compute_create(device, &typed_desc, &compute));
    CHECK_OK(cs_compute_dispatch(compute, 64, 1, 1, NULL, 0));
    uint32_t out[64];
    CHECK_OK(read_resource(typed, out, sizeof out));
    for (uint32_t i = 0; i < 64; i++)
        CHECK(out[i] == i);
    CHECK_FAILS(cs_compute_dispatch(compute, 1, 1, 1, out, 4),
                CS_ERROR_INVALID_ARGUMENT, "push_size of 0");
    CHECK_FAILS(cs_compute_bind(compute, CS_BIND_UAV, 0, typed),
                CS_ERROR_INVALID_OPERATION, "bindless");
    cs_compute_release(compute);

    cs_resource_release(texture);
    cs_resource_release(plain);
    cs_resource_release(typed);
    main_set_release(&set);
}

static void test_invalid_spirv(void)
{
    /* modules that reflection accepts and the driver may not survive:
     * refused only where SPIRV-Tools validates (on Windows, with its DLL) */
    if (cs_spirv_tools_load() != CS_OK) {
        harness_skip(cs_last_error());
        return;
    }
    CHECK_OR_RETURN(region_spirv.words != NULL);
    cs_resource *uav = make_buffer_on(device, CS_HEAP_DEFAULT, 4096, 4, 0);
    CHECK_OR_RETURN(uav != NULL);
    cs_compute_desc desc = {.uav = &uav, .uav_count = 1, .push_size = 8};
    cs_compute *compute = NULL;

    /* garbage, with and without the magic number */
    uint32_t garbage[64];
    uint32_t seed = 12345;
    for (int round = 0; round < 8; round++) {
        for (int i = 0; i < 64; i++) {
            seed = seed * 1664525u + 1013904223u;
            garbage[i] = seed;
        }
        if (round % 2)
            garbage[0] = 0x07230203;
        desc.spirv = garbage;
        desc.spirv_size = sizeof garbage;
        CHECK_FAILS(cs_compute_create(device, &desc, &compute),
                    CS_ERROR_INVALID_SHADER, "");
    }
    desc.spirv = garbage;
    desc.spirv_size = 0;
    CHECK_FAILS(cs_compute_create(device, &desc, &compute),
                CS_ERROR_INVALID_SHADER, "empty");
    desc.spirv = NULL;
    desc.spirv_size = 64;
    CHECK_FAILS(cs_compute_create(device, &desc, &compute),
                CS_ERROR_INVALID_SHADER, "empty");

    /* a valid module cut short, at word boundaries and between them */
    size_t size = region_spirv.size;
    uint8_t *copy = malloc(size);
    CHECK_OR_RETURN(copy != NULL);
    size_t lengths[] = {1,        3,        4,        19,       20,
                        21,       24,       40,       size / 4, size / 3,
                        size / 2, size - 8, size - 4, size - 1};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        /* a heap copy of exactly that length, so ASan sees over-reads */
        memcpy(copy, region_spirv.words, lengths[i]);
        uint8_t *exact = malloc(lengths[i]);
        CHECK_OR_RETURN(exact != NULL);
        memcpy(exact, copy, lengths[i]);
        desc.spirv = exact;
        desc.spirv_size = lengths[i];
        cs_status status = cs_compute_create(device, &desc, &compute);
        if (status != CS_ERROR_INVALID_SHADER)
            fprintf(stderr, "truncated to %zu of %zu bytes: %s (%s)\n",
                    lengths[i], size, cs_status_name(status), cs_last_error());
        CHECK(status == CS_ERROR_INVALID_SHADER);
        if (status == CS_OK)
            cs_compute_release(compute);
        cs_shader_reflection reflection;
        status = cs_shader_reflect(exact, lengths[i], &reflection);
        CHECK(status == CS_ERROR_INVALID_SHADER || status == CS_OK);
        if (status == CS_OK)
            cs_shader_reflection_free(&reflection);
        free(exact);
    }
    /* a corrupted word in the middle of a valid module */
    for (size_t word = 5; word < size / 4; word += size / 4 / 6) {
        memcpy(copy, region_spirv.words, size);
        ((uint32_t *)copy)[word] = 0xffffffffu;
        desc.spirv = copy;
        desc.spirv_size = size;
        cs_status status = cs_compute_create(device, &desc, &compute);
        CHECK(status == CS_ERROR_INVALID_SHADER ||
              status == CS_ERROR_BINDING_MISMATCH || status == CS_OK);
        if (status == CS_OK)
            cs_compute_release(compute);
    }
    /* the whole module, misaligned in memory, still works */
    uint8_t *misaligned = malloc(size + 1);
    CHECK_OR_RETURN(misaligned != NULL);
    memcpy(misaligned + 1, region_spirv.words, size);
    desc.spirv = misaligned + 1;
    desc.spirv_size = size;
    CHECK_OK(cs_compute_create(device, &desc, &compute));
    cs_compute_release(compute);
    free(misaligned);
    free(copy);
    cs_resource_release(uav);
}

static void test_compile_errors(void)
{
    if (!harness_have_compiler())
        return;
    static const char broken[] = "RWStructuredBuffer<uint> output;\n"
                                 "[numthreads(1, 1, 1)]\n"
                                 "void main() {\n"
                                 "    output[0] = undefined_thing;\n"
                                 "}\n";
    cs_shader_compile_desc desc = {.source = broken};
    void *spirv = NULL;
    size_t size = 0;
    CHECK_FAILS(cs_shader_compile(&desc, &spirv, &size),
                CS_ERROR_SHADER_COMPILE, "undefined_thing");
    CHECK(strstr(cs_last_error(), ":4") != NULL);
    CHECK(spirv == NULL);
    static const char syntax[] = "[numthreads(1, 1, 1)]\n"
                                 "void main() {\n"
                                 "    int x = ;\n"
                                 "}\n";
    desc.source = syntax;
    desc.file_name = "broken.hlsl";
    CHECK_FAILS(cs_shader_compile(&desc, &spirv, &size),
                CS_ERROR_SHADER_COMPILE, "broken.hlsl:3");
    desc.source = main_source;
    desc.file_name = NULL;
    desc.entry_point = "nowhere";
    CHECK_FAILS(cs_shader_compile(&desc, &spirv, &size),
                CS_ERROR_SHADER_COMPILE, "nowhere");
    desc.entry_point = NULL;
    desc.source = NULL;
    CHECK_FAILS(cs_shader_compile(&desc, &spirv, &size),
                CS_ERROR_INVALID_ARGUMENT, "");
    /* source_size limits the source */
    desc.source = main_source;
    desc.source_size = 40;
    CHECK_FAILS(cs_shader_compile(&desc, &spirv, &size),
                CS_ERROR_SHADER_COMPILE, "");
    desc.source_size = 0;
    CHECK_OK(cs_shader_compile(&desc, &spirv, &size));
    CHECK(size > 20 && size % 4 == 0);
    CHECK(spirv && ((uint32_t *)spirv)[0] == 0x07230203);
    cs_free(spirv);
}

/* >>lifetimes */

static void test_lifetimes(void)
{
    CHECK_OR_RETURN(main_spirv.words != NULL);
    /* resources released before the compute that uses them */
    main_set set;
    CHECK_OR_RETURN(main_set_create(&set, 128, 5));
    cs_compute *compute = NULL;
    CHECK_OK_OR_RETURN(main_compute_create(device, &set, &compute));
    cs_resource *uav = set.uav;
    cs_resource_retain(uav); /* to read the result back */
    cs_resource_release(set.cbv);
    cs_resource_release(set.srv);
    cs_resource_release(set.uav);
    set.cbv = set.srv = set.uav = NULL;
    uint32_t push[2] = {3, 4};
    CHECK_OK(cs_compute_dispatch(compute, 2, 1, 1, push, sizeof push));
    cs_compute_release(compute);
    set.uav = uav; /* the only reference left */
    CHECK(main_set_errors(&set, 5, 3, 4) == 0);
    main_set_release(&set);

    /* the compute keeps working with every other reference gone */
    CHECK_OR_RETURN(main_set_create(&set, 64, 0));
    CHECK_OK_OR_RETURN(main_compute_create(device, &set, &compute));
    cs_resource *readback = set.readback;
    uav = set.uav;
    cs_resource_retain(uav);
    cs_resource_release(set.cbv);
    cs_resource_release(set.srv);
    cs_resource_release(set.uav);
    for (uint32_t i = 0; i < 3; i++) {
        push[0] = i;
        CHECK_OK(cs_compute_dispatch(compute, 1, 1, 1, push, sizeof push));
    }
    cs_compute_release(compute);
    uint32_t out[64];
    CHECK_OK(cs_resource_copy(uav, readback, NULL));
    CHECK_OK(cs_buffer_readback(readback, 0, out, sizeof out));
    for (uint32_t i = 0; i < 64; i++)
        CHECK(out[i] == (i + 1) * 4 + 2);
    cs_resource_release(uav);
    cs_resource_release(readback);

    /* an instance released before its resources */
    cs_instance_desc instance_desc = harness_instance_desc();
    cs_instance *other = NULL;
    CHECK_OK_OR_RETURN(cs_instance_create(&instance_desc, &other));
    cs_device *other_device = cs_instance_get_device(other, 0);
    CHECK_OR_RETURN(other_device != NULL);
    cs_resource *upload =
        make_buffer_on(other_device, CS_HEAP_UPLOAD, 256, 0, 0);
    cs_resource *gpu = make_buffer_on(other_device, CS_HEAP_DEFAULT, 256, 4, 0);
    cs_resource *back =
        make_buffer_on(other_device, CS_HEAP_READBACK, 256, 0, 0);
    cs_heap *heap = NULL;
    CHECK_OK(cs_heap_create(other_device, CS_HEAP_UPLOAD, 4096, &heap));
    cs_sampler *sampler = NULL;
    CHECK_OK(cs_sampler_create(other_device, NULL, &sampler));
    cs_compute *other_compute = NULL;
    cs_compute_desc desc = {.spirv = region_spirv.words,
                            .spirv_size = region_spirv.size,
                            .uav = &gpu,
                            .uav_count = 1,
                            .push_size = 8};
    CHECK_OK(cs_compute_create(other_device, &desc, &other_compute));
    cs_instance_release(other);
    CHECK_OR_RETURN(upload && gpu && back && heap && sampler && other_compute);
    CHECK(cs_resource_device(gpu) == other_device);
    cs_device_info info;
    cs_device_get_info(other_device, &info);
    CHECK(info.name[0] != '\0');
    const uint32_t region[2] = {0, 1000};
    CHECK_OK(
        cs_compute_dispatch(other_compute, 1, 1, 1, region, sizeof region));
    CHECK_OK(cs_resource_copy(gpu, back, NULL));
    CHECK_OK(cs_buffer_readback(back, 0, out, sizeof out));
    for (uint32_t i = 0; i < 64; i++)
        CHECK(out[i] == 1000 + i);
    cs_compute_release(other_compute);
    cs_sampler_release(sampler);
    cs_heap_release(heap);
    CHECK_OK(cs_buffer_upload(upload, 0, out, sizeof out));
    CHECK_OK(cs_resource_copy(upload, gpu, NULL));
    cs_resource_release(upload);
    cs_resource_release(gpu);
    /* the last object standing: the device, its messages still there */
    CHECK(harness_take_messages(other_device) == 0);
    CHECK_OK(cs_buffer_readback(back, 0, out, 4));
    cs_resource_release(back); /* the instance goes with it */
}

/* >>threads */

enum { THREADS = 4, THREAD_DISPATCHES = 50, SHARED_DISPATCHES = 25 };

typedef struct thread_work {
    int index;
    int failures;
    char message[256];
    cs_compute *shared; /* the shared-compute test */
    cs_resource *shared_uav;
} thread_work;

static void thread_fail(thread_work *work, const char *what)
{
    if (work->failures++ == 0)
        snprintf(work->message, sizeof work->message, "%s: %s", what,
                 cs_last_error());
}

static int own_compute_thread(void *arg)
{
    thread_work *work = arg;
    uint32_t base = 100 * (uint32_t)work->index;
    main_set set;
    if (!main_set_create(&set, 96 + 32 * (uint32_t)work->index, base)) {
        thread_fail(work, "creating buffers");
        return 0;
    }
    /* a compile per thread, too */
    spirv_blob spirv = harness_compile(main_source);
    cs_compute *compute = NULL;
    if (!spirv.words) {
        thread_fail(work, "compiling");
    } else {
        cs_compute_desc desc = {.spirv = spirv.words,
                                .spirv_size = spirv.size,
                                .cbv = &set.cbv,
                                .cbv_count = 1,
                                .srv = &set.srv,
                                .srv_count = 1,
                                .uav = &set.uav,
                                .uav_count = 1,
                                .push_size = 8};
        if (cs_compute_create(device, &desc, &compute) != CS_OK)
            thread_fail(work, "creating the compute");
        cs_free(spirv.words);
    }
    for (uint32_t i = 0; compute && i < THREAD_DISPATCHES; i++) {
        uint32_t push[2] = {i * 1000 + (uint32_t)work->index, i + 1};
        if (cs_compute_dispatch(compute, (set.count + 63) / 64, 1, 1, push,
                                sizeof push) != CS_OK)
            thread_fail(work, "dispatching");
        else if (main_set_errors(&set, base, push[0], push[1]) != 0)
            thread_fail(work, "checking");
    }
    /* the failures of this thread stay on this thread */
    cs_resource_desc bad = {.size = 0};
    cs_resource *never = NULL;
    char expected[64];
    snprintf(expected, sizeof expected, "heap type %d", 100 + work->index);
    bad = (cs_resource_desc){.size = 4,
                             .heap_type = (cs_heap_type)(100 + work->index)};
    if (cs_resource_create(device, &bad, &never) != CS_ERROR_INVALID_ARGUMENT ||
        !strstr(cs_last_error(), expected))
        thread_fail(work, "per-thread error message");
    cs_compute_release(compute);
    main_set_release(&set);
    return 0;
}

static int shared_compute_thread(void *arg)
{
    thread_work *work = arg;
    cs_resource *readback = make_buffer(CS_HEAP_READBACK, 256);
    if (!readback) {
        thread_fail(work, "creating the readback buffer");
        return 0;
    }
    for (uint32_t i = 0; i < SHARED_DISPATCHES; i++) {
        uint32_t value = ((uint32_t)work->index << 24) | (i << 8);
        uint32_t push[2] = {(uint32_t)work->index, value};
        if (cs_compute_dispatch(work->shared, 1, 1, 1, push, sizeof push) !=
            CS_OK) {
            thread_fail(work, "dispatching");
            continue;
        }
        cs_copy_desc copy = {.src_offset = (uint64_t)work->index * 256,
                             .size = 256};
        uint32_t out[64];
        if (cs_resource_copy(work->shared_uav, readback, &copy) != CS_OK ||
            cs_buffer_readback(readback, 0, out, sizeof out) != CS_OK) {
            thread_fail(work, "reading back");
            continue;
        }
        for (uint32_t x = 0; x < 64; x++) {
            if (out[x] != value + x) {
                char what[96];
                snprintf(what, sizeof what,
                         "region %d dispatch %u: [%u] = 0x%x, expected 0x%x",
                         work->index, i, x, out[x], value + x);
                thread_fail(work, what);
                break;
            }
        }
    }
    cs_resource_release(readback);
    return 0;
}

static void run_threads(cs_thread_main start, thread_work *works)
{
    cs_thread threads[THREADS];
    bool started[THREADS];
    for (int i = 0; i < THREADS; i++) {
        works[i].index = i;
        started[i] = cs_thread_create(&threads[i], start, &works[i], 0);
        CHECK(started[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        if (started[i])
            cs_thread_join(threads[i], NULL);
        if (works[i].failures)
            fprintf(stderr, "thread %d: %d failures, first: %s\n", i,
                    works[i].failures, works[i].message);
        CHECK(works[i].failures == 0);
    }
}

static void test_threads_own_compute(void)
{
    CHECK_OR_RETURN(main_spirv.words != NULL);
    thread_work works[THREADS];
    memset(works, 0, sizeof works);
    run_threads(own_compute_thread, works);
}

static void test_threads_shared_compute(void)
{
    CHECK_OR_RETURN(region_spirv.words != NULL);
    cs_resource *uav =
        make_buffer_on(device, CS_HEAP_DEFAULT, THREADS * 256, 4, 0);
    CHECK_OR_RETURN(uav != NULL);
    cs_compute *compute = NULL;
    cs_compute_desc desc = {.spirv = region_spirv.words,
                            .spirv_size = region_spirv.size,
                            .uav = &uav,
                            .uav_count = 1,
                            .push_size = 8};
    CHECK_OK_OR_RETURN(cs_compute_create(device, &desc, &compute));
    thread_work works[THREADS];
    memset(works, 0, sizeof works);
    for (int i = 0; i < THREADS; i++) {
        works[i].shared = compute;
        works[i].shared_uav = uav;
    }
    run_threads(shared_compute_thread, works);
    /* every region holds its thread's last value */
    uint32_t out[THREADS * 64];
    CHECK_OK(read_resource(uav, out, sizeof out));
    for (uint32_t t = 0; t < THREADS; t++)
        for (uint32_t x = 0; x < 64; x++)
            CHECK(out[t * 64 + x] ==
                  ((t << 24) | ((SHARED_DISPATCHES - 1) << 8)) + x);
    cs_compute_release(compute);
    cs_resource_release(uav);
}

/* >>main */

int main(void)
{
    harness_pin_vulkan_libraries();
    if (!harness_open_device(&instance, &device))
        return 1;
    cs_device_get_info(device, &device_info);
    fprintf(stderr, "device: %s\n", device_info.name);
    main_spirv = harness_compile(main_source);
    region_spirv = harness_compile(region_source);
    typed_spirv = harness_compile(typed_source);

    const test_case tests[] = {
        {"instance", test_instance},
        {"resource_create_errors", test_resource_create_errors},
        {"upload_readback", test_upload_readback},
        {"upload2d_chunked", test_upload2d_chunked},
        {"upload_chunked_overflow", test_upload_chunked_overflow},
        {"buffer_copies", test_buffer_copies},
        {"texture_copies", test_texture_copies},
        {"compute_dispatch", test_compute_dispatch},
        {"compute_bindings", test_compute_bindings},
        {"large_constant_buffer", test_large_constant_buffer},
        {"invalid_spirv", test_invalid_spirv},
        {"compile_errors", test_compile_errors},
        {"lifetimes", test_lifetimes},
        {"threads_own_compute", test_threads_own_compute},
        {"threads_shared_compute", test_threads_shared_compute},
    };
    HARNESS_RUN_TESTS(tests, device);
    cs_free(main_spirv.words);
    cs_free(region_spirv.words);
    cs_free(typed_spirv.words);
    cs_instance_release(instance);
    return harness_finish();
}
