/*
 * test_backend_contract.c - what the core promises every backend
 * (src/core/backend.h), checked by swapping the instance's own table for
 * one whose entries record what they receive: push constants always
 * compute->push_size bytes, zero-padded (the core is their one owner), in
 * immediate dispatches and in command lists alike; the storage bindings a
 * backend prepares its module with (cs_compute_storage_bindings).
 */
#include "harness.h"

#include "core/backend.h"
#include "shader/shader.h"

static cs_instance *instance;
static cs_device *device;

enum { PUSH_SIZE = 32, R32_UINT = 42, R8G8B8A8_UNORM = 28 };

static unsigned char received[PUSH_SIZE + 16];
static size_t received_size;
static bool received_null;

static void record(const void *push, size_t size)
{
    received_null = push == NULL;
    received_size = size;
    memset(received, 0xAB, sizeof received);
    if (push && size <= sizeof received)
        memcpy(received, push, size);
}

static cs_status record_dispatch(cs_compute *compute, const uint32_t groups[3],
                                 cs_resource *indirect,
                                 uint64_t indirect_offset, const void *push,
                                 uint64_t *out_gpu_ns)
{
    (void)groups, (void)indirect, (void)indirect_offset, (void)out_gpu_ns;
    record(push, compute->push_size);
    return CS_OK;
}

static cs_status record_list_dispatch(cs_command_list *list,
                                      cs_compute *compute,
                                      const uint32_t groups[3],
                                      cs_resource *indirect,
                                      uint64_t indirect_offset,
                                      const void *push, size_t push_size)
{
    (void)list, (void)groups, (void)indirect, (void)indirect_offset;
    CHECK(push_size == compute->push_size);
    record(push, push_size);
    return CS_OK;
}

static cs_compute *push_compute(uint32_t push_size)
{
    spirv_blob blob = harness_compile(
        "struct P { uint4 a; uint4 b; };\n"
        "[[vk::push_constant]] ConstantBuffer<P> p;\n"
        "RWStructuredBuffer<uint> o : register(u0);\n"
        "[numthreads(1, 1, 1)] void main() { o[0] = p.a.x + p.b.w; }\n");
    cs_resource_desc desc = {.size = 16, .stride = 4};
    cs_resource *output = NULL;
    cs_compute *compute = NULL;
    if (blob.words && cs_resource_create(device, &desc, &output) == CS_OK) {
        cs_compute_desc compute_desc = {.spirv = blob.words,
                                        .spirv_size = blob.size,
                                        .uav = &output,
                                        .uav_count = 1,
                                        .push_size = push_size};
        if (cs_compute_create(device, &compute_desc, &compute) != CS_OK)
            fprintf(stderr, "compute: %s\n", cs_last_error());
    }
    cs_resource_release(output);
    cs_free(blob.words);
    return compute;
}

/* every length of push data from 0 to push_size reaches the backend as
 * push_size bytes: the data, then zeros */
static void test_push_constants_arrive_padded(void)
{
    cs_compute *compute = push_compute(PUSH_SIZE);
    CHECK_OR_RETURN(compute);
    cs_command_list *list = NULL;
    CHECK_OK_OR_RETURN(cs_command_list_create(device, 0, &list));
    const cs_backend *own = instance->own_backend;
    cs_backend recorder = *own;
    recorder.compute_dispatch = record_dispatch;
    recorder.command_list_dispatch = record_list_dispatch;
    unsigned char data[PUSH_SIZE];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i + 1);
    instance->own_backend = &recorder;
    for (size_t given = 0; given <= PUSH_SIZE; given += 4) {
        for (int in_list = 0; in_list < 2; in_list++) {
            cs_status status =
                in_list ? cs_command_list_dispatch(list, compute, 1, 1, 1,
                                                   given ? data : NULL, given)
                        : cs_compute_dispatch(compute, 1, 1, 1,
                                              given ? data : NULL, given);
            CHECK_OK(status);
            CHECK(!received_null);
            CHECK(received_size == PUSH_SIZE);
            CHECK(memcmp(received, data, given) == 0);
            for (size_t i = given; i < PUSH_SIZE; i++)
                CHECK(received[i] == 0);
        }
    }
    instance->own_backend = own;
    cs_command_list_release(list);
    cs_compute_release(compute);
}

static cs_status record_storage(cs_compute *compute)
{
    cs_storage_binding *storage = NULL;
    size_t count = 0;
    CHECK_OK(cs_compute_storage_bindings(compute, &storage, &count));
    CHECK(count == 2);
    if (count == 2) {
        /* RWBuffer<uint> u0 bound to R32_UINT; RWTexture2D<float4> u1 to
         * R8G8B8A8_UNORM (glslang declares Rgba32f for float4) */
        CHECK(storage[0].binding == CS_REGISTER_U_BASE + 0);
        CHECK(storage[0].format == R32_UINT);
        CHECK(storage[1].binding == CS_REGISTER_U_BASE + 1);
        CHECK(storage[1].format == R8G8B8A8_UNORM);
        CHECK(storage[1].declared_format !=
              cs_spirv_image_format_from_dxgi(R8G8B8A8_UNORM));
    }
    free(storage);
    return cs_fail(CS_ERROR_UNSUPPORTED, "recorded");
}

static void test_storage_bindings_of_a_compute(void)
{
    spirv_blob blob = harness_compile(
        "RWBuffer<uint> b : register(u0);\n"
        "RWTexture2D<float4> t : register(u1);\n"
        "StructuredBuffer<uint> s : register(t0);\n"
        "[numthreads(1, 1, 1)] void main() { b[0] = s[0]; t[uint2(0, 0)] = 1; "
        "}\n");
    CHECK_OR_RETURN(blob.words);
    cs_resource_desc typed = {.size = 16, .format = R32_UINT};
    cs_resource_desc texture = {.kind = CS_RESOURCE_TEXTURE2D,
                                .format = R8G8B8A8_UNORM,
                                .width = 4,
                                .height = 4};
    cs_resource_desc structured = {.size = 16, .stride = 4};
    cs_resource *uav[2] = {NULL, NULL}, *srv = NULL;
    CHECK_OK(cs_resource_create(device, &typed, &uav[0]));
    CHECK_OK(cs_resource_create(device, &texture, &uav[1]));
    CHECK_OK(cs_resource_create(device, &structured, &srv));
    const cs_backend *own = instance->own_backend;
    cs_backend recorder = *own;
    recorder.compute_create = record_storage;
    instance->own_backend = &recorder;
    cs_compute_desc desc = {.spirv = blob.words,
                            .spirv_size = blob.size,
                            .uav = uav,
                            .uav_count = 2,
                            .srv = &srv,
                            .srv_count = 1};
    cs_compute *never = NULL;
    CHECK_FAILS(cs_compute_create(device, &desc, &never), CS_ERROR_UNSUPPORTED,
                "recorded");
    instance->own_backend = own;
    /* and the real backend runs it: R8G8B8A8 written as float4 */
    cs_compute *compute = NULL;
    CHECK_OK(cs_compute_create(device, &desc, &compute));
    CHECK_OK(cs_compute_dispatch(compute, 1, 1, 1, NULL, 0));
    cs_compute_release(compute);
    cs_resource_release(uav[0]);
    cs_resource_release(uav[1]);
    cs_resource_release(srv);
    cs_free(blob.words);
}

int main(void)
{
    if (!harness_open_device(&instance, &device))
        return 1;
    const test_case tests[] = {
        {"push_constants_arrive_padded", test_push_constants_arrive_padded},
        {"storage_bindings_of_a_compute", test_storage_bindings_of_a_compute},
    };
    HARNESS_RUN_TESTS(tests, device);
    cs_instance_release(instance);
    return harness_finish();
}
