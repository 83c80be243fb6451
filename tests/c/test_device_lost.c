/*
 * test_device_lost.c - device loss and wait timeouts through the public
 * API. Loss is simulated (cs_debug_simulate_device_lost, an internal test
 * hook) on an instance of its own: afterwards every call on that device
 * fails with CS_ERROR_DEVICE_LOST and a message naming the device,
 * releases work, and another instance still works. Timeouts use a shader
 * that runs for about a second: with a 50 ms wait timeout the dispatch
 * returns CS_TIMEOUT at once, and the device goes on working.
 *
 * Built and run by `make test-c`. Prints "N passed, M failed".
 * CS_TEST_ONLY=name runs one test.
 */
#include "harness.h"

#include "core/internal.h" /* cs_debug_simulate_device_lost */

#include "platform/platform.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cs_instance *instance;
static cs_device *device;

static char lost_text[512];

/* The call failed with CS_ERROR_DEVICE_LOST and the device-lost message. */
#define CHECK_LOST(call) check_lost((call), #call, __LINE__)

static void check_lost(cs_status got, const char *call, int line)
{
    const char *message = cs_last_error();
    if (got != CS_ERROR_DEVICE_LOST || !strstr(message, lost_text) ||
        !strstr(message, "create a new instance")) {
        check_failures++;
        fprintf(stderr,
                "%s:%d: %s returned %s, message \"%s\" (expected "
                "CS_ERROR_DEVICE_LOST, \"%s...\")\n",
                __FILE__, line, call, cs_status_name(got), message, lost_text);
    }
}

static double now_s(void)
{
    return (double)cs_time_monotonic_ns() / 1e9;
}

static cs_resource *make_buffer(cs_device *on, cs_heap_type heap_type,
                                uint64_t size)
{
    cs_resource_desc desc = {.heap_type = heap_type, .size = size, .stride = 4};
    cs_resource *resource = NULL;
    if (cs_resource_create(on, &desc, &resource) != CS_OK)
        fprintf(stderr, "buffer creation failed: %s\n", cs_last_error());
    return resource;
}

/* Every thread runs push.n steps of a hash on one element (threads of
 * large dispatches share elements: racing writes, values unused). llvmpipe
 * stops any loop after 65535 iterations, so long runs come from many
 * groups. */
static const char loop_source[] =
    "struct P { uint n; };\n"
    "[[vk::push_constant]] ConstantBuffer<P> push;\n"
    "RWStructuredBuffer<uint> data : register(u0);\n"
    "[numthreads(64, 1, 1)]\n"
    "void main(uint3 tid : SV_DispatchThreadID)\n"
    "{\n"
    "    uint k = tid.x & 255u;\n"
    "    uint x = data[k] + tid.y;\n"
    "    for (uint i = 0; i < push.n; i++)\n"
    "        x = (x ^ (x >> 13)) * 0x5bd1e995u + i;\n"
    "    data[k] = x + 1;\n"
    "}\n";

enum { ELEMENTS = 256 }; /* 4 groups */

static spirv_blob loop_spirv;

static cs_compute *make_compute(cs_device *on, cs_resource *uav)
{
    cs_compute_desc desc = {.spirv = loop_spirv.words,
                            .spirv_size = loop_spirv.size,
                            .uav = &uav,
                            .uav_count = 1,
                            .push_size = 4};
    cs_compute *compute = NULL;
    if (cs_compute_create(on, &desc, &compute) != CS_OK)
        fprintf(stderr, "compute creation failed: %s\n", cs_last_error());
    return compute;
}

enum { STEPS = 60000 };

static cs_status run_loop(cs_compute *compute, uint32_t n)
{
    return cs_compute_dispatch(compute, ELEMENTS / 64, 1, 1, &n, sizeof n);
}

/* STEPS steps in each of groups_x * groups_y groups. */
static cs_status run_long(cs_compute *compute, uint32_t groups_x,
                          uint32_t groups_y)
{
    uint32_t n = STEPS;
    return cs_compute_dispatch(compute, groups_x, groups_y, 1, &n, sizeof n);
}

static void test_device_lost(void)
{
    cs_instance *lost_instance = NULL;
    cs_instance_desc desc = harness_instance_desc();
    CHECK_OK_OR_RETURN(cs_instance_create(&desc, &lost_instance));
    cs_device *lost = cs_instance_get_device(lost_instance, 0);
    CHECK_OR_RETURN(lost);
    cs_device_info info;
    cs_device_get_info(lost, &info);
    snprintf(lost_text, sizeof lost_text,
             "device '%s' was lost (VK_ERROR_DEVICE_LOST during ", info.name);

    /* objects made before the loss */
    cs_resource *upload = make_buffer(lost, CS_HEAP_UPLOAD, 1024);
    cs_resource *readback = make_buffer(lost, CS_HEAP_READBACK, 1024);
    cs_resource *data = make_buffer(lost, CS_HEAP_DEFAULT, 1024);
    CHECK_OR_RETURN(upload && readback && data);
    cs_compute *compute = make_compute(lost, data);
    CHECK_OR_RETURN(compute);
    cs_heap *heap = NULL;
    CHECK_OK_OR_RETURN(cs_heap_create(lost, CS_HEAP_DEFAULT, 65536, &heap));
    cs_command_list *list = NULL, *recorded = NULL;
    CHECK_OK_OR_RETURN(cs_command_list_create(lost, 0, &list));
    CHECK_OK_OR_RETURN(cs_command_list_create(lost, 0, &recorded));
    uint32_t n = 4;
    CHECK_OK_OR_RETURN(
        cs_command_list_dispatch(recorded, compute, 4, 1, 1, &n, 4));
    CHECK_OK_OR_RETURN(run_loop(compute, 4));
    cs_fence *fence = NULL;
    CHECK_OK_OR_RETURN(cs_command_list_submit(recorded, &fence));

    cs_debug_simulate_device_lost(lost);

    /* every call on the device fails fast, naming it */
    cs_resource *resource = NULL;
    cs_resource_desc buffer_desc = {.heap_type = CS_HEAP_DEFAULT, .size = 64};
    CHECK_LOST(cs_resource_create(lost, &buffer_desc, &resource));
    cs_resource_desc texture_desc = {
        .kind = CS_RESOURCE_TEXTURE2D, .width = 4, .height = 4, .format = 28};
    CHECK_LOST(cs_resource_create(lost, &texture_desc, &resource));
    cs_heap *new_heap = NULL;
    CHECK_LOST(cs_heap_create(lost, CS_HEAP_UPLOAD, 65536, &new_heap));
    cs_sampler *sampler = NULL;
    CHECK_LOST(cs_sampler_create(lost, NULL, &sampler));
    cs_compute *new_compute = NULL;
    cs_compute_desc compute_desc = {.spirv = loop_spirv.words,
                                    .spirv_size = loop_spirv.size,
                                    .uav = &data,
                                    .uav_count = 1,
                                    .push_size = 4};
    CHECK_LOST(cs_compute_create(lost, &compute_desc, &new_compute));
    CHECK_LOST(run_loop(compute, 4));
    CHECK_LOST(cs_compute_dispatch_indirect(compute, data, 0, &n, 4));
    uint64_t gpu_ns = 0;
    CHECK_LOST(cs_compute_dispatch_timed(compute, 1, 1, 1, &n, 4, &gpu_ns));
    CHECK_LOST(cs_resource_copy(upload, data, NULL));
    CHECK_LOST(cs_resource_copy(data, readback, NULL));
    uint32_t words[4] = {1, 2, 3, 4};
    CHECK_LOST(cs_buffer_upload(upload, 0, words, sizeof words));
    CHECK_LOST(cs_buffer_readback(readback, 0, words, sizeof words));
    CHECK_LOST(cs_buffer_upload2d(upload, words, 16, 8, 2, 2, 4));
    CHECK_LOST(cs_buffer_readback2d(readback, words, 16, 8, 2, 2, 4));
    CHECK_LOST(cs_buffer_upload_chunked(upload, words, 16, 4, words, 4));
    cs_command_list *new_list = NULL;
    CHECK_LOST(cs_command_list_create(lost, 0, &new_list));
    CHECK_LOST(cs_command_list_dispatch(list, compute, 1, 1, 1, &n, 4));
    CHECK_LOST(cs_command_list_copy(list, upload, data, NULL));
    CHECK_LOST(cs_command_list_submit(list, NULL));
    CHECK_LOST(cs_fence_wait(fence, UINT64_MAX));
    CHECK_LOST(cs_fence_wait(fence, 1000));
    CHECK(!cs_fence_is_done(fence));
    CHECK_LOST(cs_command_list_submit(recorded, NULL));
    CHECK_LOST(cs_command_list_reset(recorded));
    /* the mapping itself stays valid until release */
    CHECK(cs_buffer_mapped(upload) != NULL);

    /* releases work, in any order, and the instance goes without hanging */
    cs_fence_release(fence);
    cs_command_list_release(recorded);
    cs_command_list_release(list);
    cs_compute_release(compute);
    cs_heap_release(heap);
    cs_resource_release(upload);
    cs_resource_release(readback);
    cs_resource_release(data);
    char **messages = NULL;
    size_t count = cs_device_take_debug_messages(lost, &messages);
    for (size_t i = 0; i < count; i++)
        fprintf(stderr, "validation (lost instance): %s\n", messages[i]);
    cs_free_strings(messages);
    CHECK(count == 0);
    double start = now_s();
    cs_instance_release(lost_instance);
    CHECK(now_s() - start < 5.0);

    /* the other instance still works */
    cs_resource *counter = make_buffer(device, CS_HEAP_DEFAULT, 4 * ELEMENTS);
    CHECK_OR_RETURN(counter);
    cs_compute *still = make_compute(device, counter);
    CHECK_OR_RETURN(still);
    CHECK_OK(run_loop(still, 1));
    cs_compute_release(still);
    cs_resource_release(counter);
}

static void test_wait_timeout(void)
{
    cs_resource *data = make_buffer(device, CS_HEAP_DEFAULT, 4 * ELEMENTS);
    cs_resource *upload = make_buffer(device, CS_HEAP_UPLOAD, 4 * ELEMENTS);
    cs_resource *readback = make_buffer(device, CS_HEAP_READBACK, 4 * ELEMENTS);
    CHECK_OR_RETURN(data && upload && readback);
    cs_compute *compute = make_compute(device, data);
    CHECK_OR_RETURN(compute);
    CHECK(cs_device_get_wait_timeout(device) == 0);

    /* calibrate: groups that take about 1 s */
    uint32_t groups_x = 16, groups_y = 1;
    double took = 0;
    for (;;) {
        double start = now_s();
        CHECK_OK_OR_RETURN(run_long(compute, groups_x, groups_y));
        took = now_s() - start;
        if (took > 0.2 || groups_y >= 4096)
            break;
        if (groups_x < 4096)
            groups_x *= 4;
        else
            groups_y *= 4;
    }
    double scale = 1.0 / took;
    if (groups_x < 4096)
        groups_x = (uint32_t)(groups_x * scale) + 1;
    else
        groups_y = (uint32_t)(groups_y * scale) + 1;
    if (took * scale < 0.5 || groups_x > 65535 || groups_y > 65535) {
        printf("wait_timeout: skipped, cannot make a dispatch that long\n");
        cs_compute_release(compute);
        cs_resource_release(data);
        cs_resource_release(upload);
        cs_resource_release(readback);
        return;
    }

    cs_device_set_wait_timeout(device, 50 * 1000 * 1000);
    CHECK(cs_device_get_wait_timeout(device) == 50 * 1000 * 1000);
    double start = now_s();
    cs_status status = run_long(compute, groups_x, groups_y);
    double waited = now_s() - start;
    CHECK(status == CS_TIMEOUT);
    CHECK(strstr(cs_last_error(), "still running") != NULL);
    CHECK(waited < 1.0);
    /* the same compute again, while its cached buffer is parked: through
     * a pooled one, queued behind the long one */
    start = now_s();
    CHECK(run_long(compute, groups_x, groups_y) == CS_TIMEOUT);
    CHECK(now_s() - start < 1.0);
    /* a list submitted without a fence times out too, reset waits */
    cs_command_list *list = NULL;
    CHECK_OK_OR_RETURN(cs_command_list_create(device, 0, &list));
    uint32_t steps = STEPS;
    CHECK_OK_OR_RETURN(cs_command_list_dispatch(list, compute, groups_x,
                                                groups_y, 1, &steps, 4));
    CHECK(cs_command_list_submit(list, NULL) == CS_TIMEOUT);
    CHECK(strstr(cs_last_error(), "still running") != NULL);
    /* a copy waiting behind them */
    CHECK(cs_resource_copy(upload, data, NULL) == CS_TIMEOUT);

    cs_device_set_wait_timeout(device, 0);
    CHECK_OK(cs_command_list_reset(list));
    cs_command_list_release(list);
    uint32_t zeros[ELEMENTS] = {0};
    CHECK_OK_OR_RETURN(cs_buffer_upload(upload, 0, zeros, sizeof zeros));
    CHECK_OK_OR_RETURN(cs_resource_copy(upload, data, NULL));
    CHECK_OK_OR_RETURN(run_loop(compute, 0));
    CHECK_OK_OR_RETURN(cs_resource_copy(data, readback, NULL));
    uint32_t got[ELEMENTS];
    CHECK_OK_OR_RETURN(cs_buffer_readback(readback, 0, got, sizeof got));
    CHECK(got[0] == 1 && got[ELEMENTS - 1] == 1);
    cs_compute_release(compute);
    cs_resource_release(data);
    cs_resource_release(upload);
    cs_resource_release(readback);
}

int main(void)
{
    if (!harness_open_device(&instance, &device))
        return 1;
    loop_spirv = harness_compile(loop_source);
    const test_case tests[] = {
        {"device_lost", test_device_lost},
        {"wait_timeout", test_wait_timeout},
    };
    HARNESS_RUN_TESTS(tests, device);
    cs_free(loop_spirv.words);
    double start = now_s();
    cs_instance_release(instance);
    if (now_s() - start > 10.0) {
        fprintf(stderr, "instance release took %.1f s\n", now_s() - start);
        failed++;
    }
    return harness_finish();
}
