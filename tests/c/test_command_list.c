/*
 * test_command_list.c - command lists and fences through the public API:
 * dependent dispatches, copies and dispatches in order, async submit and
 * waits, reuse and reset, lifetimes, GPU timestamps, errors; and the
 * immediate dispatch's reused command buffer (push changes, threads). The
 * instance runs with CS_INSTANCE_DEBUG (sync validation) and every test
 * also requires zero validation messages.
 *
 * Built and run by `make test-c`. Prints "N passed, M failed".
 * CS_TEST_ONLY=name runs one test.
 */
#include "harness.h"

#include "platform/platform.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cs_instance *instance;
static cs_device *device;

static cs_resource *make_buffer(cs_device *on, cs_heap_type heap_type,
                                uint64_t size, uint32_t stride)
{
    cs_resource_desc desc = {
        .heap_type = heap_type, .size = size, .stride = stride};
    cs_resource *resource = NULL;
    if (cs_resource_create(on, &desc, &resource) != CS_OK)
        fprintf(stderr, "buffer creation failed: %s\n", cs_last_error());
    return resource;
}

/* counter[0] += push.add (push.add 0 counts as 1), atomically: the
 * groups of one dispatch run concurrently on a GPU */
static const char add_source[] =
    "struct P { uint add; };\n"
    "[[vk::push_constant]] ConstantBuffer<P> push;\n"
    "RWStructuredBuffer<uint> counter : register(u0);\n"
    "[numthreads(1, 1, 1)]\n"
    "void main() { InterlockedAdd(counter[0], push.add == 0 ? 1 : "
    "push.add); }\n";

/* data[i] = data[i] * 2 + 1 for 64 elements */
static const char twice_source[] =
    "RWStructuredBuffer<uint> data : register(u0);\n"
    "[numthreads(64, 1, 1)]\n"
    "void main(uint3 tid : SV_DispatchThreadID)\n"
    "{ data[tid.x] = data[tid.x] * 2 + 1; }\n";

static spirv_blob add_spirv, twice_spirv;

static cs_compute *make_compute(cs_device *on, const spirv_blob *spirv,
                                cs_resource *uav, uint32_t push_size)
{
    cs_compute_desc desc = {.spirv = spirv->words,
                            .spirv_size = spirv->size,
                            .uav = &uav,
                            .uav_count = 1,
                            .push_size = push_size};
    cs_compute *compute = NULL;
    if (cs_compute_create(on, &desc, &compute) != CS_OK)
        fprintf(stderr, "compute creation failed: %s\n", cs_last_error());
    return compute;
}

/* The counter: a device-local uint set to 0, its readback buffer. */
typedef struct counter {
    cs_resource *value, *upload, *readback;
    cs_compute *add;
} counter;

static bool counter_create(counter *c)
{
    memset(c, 0, sizeof *c);
    c->value = make_buffer(device, CS_HEAP_DEFAULT, 4, 4);
    c->upload = make_buffer(device, CS_HEAP_UPLOAD, 4, 0);
    c->readback = make_buffer(device, CS_HEAP_READBACK, 4, 0);
    uint32_t zero = 0;
    bool ok = c->value && c->upload && c->readback &&
              cs_buffer_upload(c->upload, 0, &zero, 4) == CS_OK &&
              cs_resource_copy(c->upload, c->value, NULL) == CS_OK;
    c->add = ok ? make_compute(device, &add_spirv, c->value, 4) : NULL;
    return c->add != NULL;
}

static uint32_t counter_read(counter *c)
{
    uint32_t value = UINT32_MAX;
    if (cs_resource_copy(c->value, c->readback, NULL) != CS_OK ||
        cs_buffer_readback(c->readback, 0, &value, 4) != CS_OK)
        fprintf(stderr, "counter_read: %s\n", cs_last_error());
    return value;
}

static void counter_release(counter *c)
{
    cs_compute_release(c->add);
    cs_resource_release(c->value);
    cs_resource_release(c->upload);
    cs_resource_release(c->readback);
}

/* >>tests */

static void test_dependent_dispatches(void)
{
    counter c;
    CHECK_OR_RETURN(counter_create(&c));
    cs_command_list *list = NULL;
    CHECK_OK_OR_RETURN(cs_command_list_create(device, 0, &list));
    for (int i = 0; i < 1000; i++)
        CHECK_OK(cs_command_list_dispatch(list, c.add, 1, 1, 1, NULL, 0));
    CHECK(cs_command_list_count(list) == 1000);
    CHECK_OK(cs_command_list_submit(list, NULL));
    CHECK(counter_read(&c) == 1000);
    /* submitted again: the same commands run again */
    CHECK_OK(cs_command_list_submit(list, NULL));
    CHECK(counter_read(&c) == 2000);
    CHECK_FAILS(cs_command_list_dispatch(list, c.add, 1, 1, 1, NULL, 0),
                CS_ERROR_INVALID_OPERATION, "reset it");
    /* reset: recording again, with push constants */
    CHECK_OK(cs_command_list_reset(list));
    CHECK(cs_command_list_count(list) == 0);
    uint32_t add = 5;
    CHECK_OK(cs_command_list_dispatch(list, c.add, 1, 1, 1, &add, 4));
    add = 7; /* the list copied the first push */
    CHECK_OK(cs_command_list_dispatch(list, c.add, 1, 1, 1, &add, 4));
    CHECK_OK(cs_command_list_submit(list, NULL));
    CHECK(counter_read(&c) == 2012);
    cs_command_list_release(list);
    counter_release(&c);
}

static void test_copies_and_dispatches_in_order(void)
{
    cs_resource *upload = make_buffer(device, CS_HEAP_UPLOAD, 256, 0);
    cs_resource *a = make_buffer(device, CS_HEAP_DEFAULT, 256, 4);
    cs_resource *b = make_buffer(device, CS_HEAP_DEFAULT, 256, 4);
    cs_resource *readback = make_buffer(device, CS_HEAP_READBACK, 512, 0);
    CHECK_OR_RETURN(upload && a && b && readback);
    cs_compute *twice_a = make_compute(device, &twice_spirv, a, 0);
    cs_compute *twice_b = make_compute(device, &twice_spirv, b, 0);
    CHECK_OR_RETURN(twice_a && twice_b);
    uint32_t values[64];
    for (uint32_t i = 0; i < 64; i++)
        values[i] = i;
    CHECK_OK_OR_RETURN(cs_buffer_upload(upload, 0, values, sizeof values));
    cs_command_list *list = NULL;
    CHECK_OK_OR_RETURN(cs_command_list_create(device, 0, &list));
    /* a = upload; a = 2a+1; b = a; b = 2b+1; a = 2a+1; readback = a, b */
    CHECK_OK(cs_command_list_copy(list, upload, a, NULL));
    CHECK_OK(cs_command_list_dispatch(list, twice_a, 1, 1, 1, NULL, 0));
    CHECK_OK(cs_command_list_copy(list, a, b, NULL));
    CHECK_OK(cs_command_list_dispatch(list, twice_b, 1, 1, 1, NULL, 0));
    CHECK_OK(cs_command_list_dispatch(list, twice_a, 1, 1, 1, NULL, 0));
    cs_copy_desc to_second = {.dst_offset = 256};
    CHECK_OK(cs_command_list_copy(list, a, readback, NULL));
    CHECK_OK(cs_command_list_copy(list, b, readback, &to_second));
    CHECK_OK(cs_command_list_submit(list, NULL));
    uint32_t out[128];
    CHECK_OK(cs_buffer_readback(readback, 0, out, sizeof out));
    uint32_t wrong = 0;
    for (uint32_t i = 0; i < 64; i++) {
        uint32_t once = i * 2 + 1, twice = once * 2 + 1;
        wrong += out[i] != twice || out[64 + i] != twice;
    }
    CHECK(wrong == 0);
    cs_command_list_release(list);
    cs_compute_release(twice_a);
    cs_compute_release(twice_b);
    cs_resource_release(upload);
    cs_resource_release(a);
    cs_resource_release(b);
    cs_resource_release(readback);
}

static void test_async_and_lifetimes(void)
{
    counter c;
    CHECK_OR_RETURN(counter_create(&c));
    cs_command_list *list = NULL;
    CHECK_OK_OR_RETURN(cs_command_list_create(device, 0, &list));
    /* a compute and buffers only the list keeps */
    cs_resource *own = make_buffer(device, CS_HEAP_DEFAULT, 256, 4);
    cs_compute *twice = make_compute(device, &twice_spirv, own, 0);
    CHECK_OR_RETURN(own && twice);
    for (int i = 0; i < 200; i++) {
        CHECK_OK(cs_command_list_dispatch(list, c.add, 1, 1, 1, NULL, 0));
        CHECK_OK(cs_command_list_dispatch(list, twice, 1, 1, 1, NULL, 0));
    }
    CHECK_OK(cs_command_list_copy(list, own, own,
                                  &(cs_copy_desc){.size = 4, .dst_offset = 8}));
    cs_compute_release(twice);
    cs_resource_release(own);
    cs_fence *fence = NULL;
    CHECK_OK_OR_RETURN(cs_command_list_submit(list, &fence));
    /* other work meanwhile, on the same device */
    cs_resource *other = make_buffer(device, CS_HEAP_READBACK, 16, 0);
    CHECK(other != NULL);
    cs_resource_release(other);
    cs_status status = cs_fence_wait(fence, 0);
    CHECK(status == CS_OK || status == CS_TIMEOUT);
    CHECK_OK(cs_fence_wait(fence, UINT64_MAX));
    CHECK(cs_fence_is_done(fence));
    CHECK(counter_read(&c) == 200);
    /* the list goes first: the fence keeps it */
    cs_command_list_release(list);
    CHECK_OK(cs_fence_wait(fence, 1000));
    uint64_t total;
    CHECK_FAILS(cs_fence_gpu_time_ns(fence, &total, NULL, 0),
                CS_ERROR_INVALID_OPERATION, "CS_COMMAND_LIST_TIMESTAMPS");
    cs_fence_release(fence);
    /* a fence released before its work is done; then the list */
    CHECK_OK_OR_RETURN(cs_command_list_create(device, 0, &list));
    for (int i = 0; i < 100; i++)
        CHECK_OK(cs_command_list_dispatch(list, c.add, 1, 1, 1, NULL, 0));
    CHECK_OK_OR_RETURN(cs_command_list_submit(list, &fence));
    cs_fence_release(fence);
    cs_command_list_release(list); /* waits */
    CHECK(counter_read(&c) == 300);
    counter_release(&c);
}

static void test_timestamps(void)
{
    counter c;
    CHECK_OR_RETURN(counter_create(&c));
    cs_command_list *list = NULL;
    cs_status status =
        cs_command_list_create(device, CS_COMMAND_LIST_TIMESTAMPS, &list);
    if (status == CS_ERROR_UNSUPPORTED) {
        fprintf(stderr, "no timestamps: %s\n", cs_last_error());
        counter_release(&c);
        return;
    }
    CHECK_OK_OR_RETURN(status);
    for (int i = 0; i < 300; i++) /* more than one pool of queries */
        CHECK_OK(cs_command_list_dispatch(list, c.add, 1, 1, 1, NULL, 0));
    cs_fence *fence = NULL;
    CHECK_OK_OR_RETURN(cs_command_list_submit(list, &fence));
    uint64_t total = 0, each[300] = {0};
    CHECK_OK(cs_fence_gpu_time_ns(fence, &total, each, 300));
    CHECK(total > 0);
    uint64_t sum = 0;
    for (int i = 0; i < 300; i++)
        sum += each[i];
    CHECK(sum == total || (sum > total - 300 && sum < total + 300));
    CHECK_FAILS(cs_fence_gpu_time_ns(fence, &total, each, 301),
                CS_ERROR_INVALID_ARGUMENT, "301 command times");
    /* again: the first fence keeps its times */
    cs_fence *second = NULL;
    CHECK_OK_OR_RETURN(cs_command_list_submit(list, &second));
    uint64_t again = 0, first_again = 0;
    CHECK_OK(cs_fence_gpu_time_ns(second, &again, NULL, 0));
    CHECK_OK(cs_fence_gpu_time_ns(fence, &first_again, NULL, 0));
    CHECK(again > 0 && first_again == total);
    cs_fence_release(second);
    cs_fence_release(fence);
    CHECK(counter_read(&c) == 600);
    uint64_t gpu_ns = 0;
    CHECK_OK(cs_compute_dispatch_timed(c.add, 1, 1, 1, NULL, 0, &gpu_ns));
    CHECK(gpu_ns > 0);
    CHECK(counter_read(&c) == 601);
    cs_command_list_release(list);
    counter_release(&c);
}

static void test_errors(void)
{
    counter c;
    CHECK_OR_RETURN(counter_create(&c));
    cs_command_list *list = NULL;
    CHECK_FAILS(cs_command_list_create(device, 0x80, &list),
                CS_ERROR_INVALID_ARGUMENT, "unknown flags");
    CHECK_OK_OR_RETURN(cs_command_list_create(device, 0, &list));
    /* the same checks and messages as the immediate calls */
    uint32_t push[4] = {0};
    CHECK_FAILS(cs_command_list_dispatch(list, c.add, 1, 1, 1, push, 16),
                CS_ERROR_INVALID_ARGUMENT, "more than the compute's");
    CHECK_FAILS(cs_compute_dispatch(c.add, 1, 1, 1, push, 16),
                CS_ERROR_INVALID_ARGUMENT, "more than the compute's");
    CHECK_FAILS(
        cs_command_list_dispatch(list, c.add, UINT32_MAX, 1, 1, NULL, 0),
        CS_ERROR_INVALID_ARGUMENT, "exceed the device's limit");
    CHECK_FAILS(
        cs_command_list_dispatch_indirect(list, c.add, c.upload, 0, NULL, 0),
        CS_ERROR_INVALID_ARGUMENT, "do not fit in the 4-byte buffer");
    CHECK_FAILS(cs_command_list_copy(list, c.value, c.readback,
                                     &(cs_copy_desc){.size = 8}),
                CS_ERROR_INVALID_ARGUMENT, "exceed the 4-byte source buffer");
    CHECK_FAILS(cs_command_list_copy(list, NULL, c.readback, NULL),
                CS_ERROR_INVALID_ARGUMENT, "must not be NULL");
    CHECK(cs_command_list_count(list) == 0);
    /* objects of another device */
    cs_instance *other = NULL;
    cs_instance_desc desc = harness_instance_desc();
    CHECK_OK_OR_RETURN(cs_instance_create(&desc, &other));
    cs_device *other_device = cs_instance_get_device(other, 0);
    cs_resource *far = make_buffer(other_device, CS_HEAP_DEFAULT, 4, 4);
    cs_compute *far_add = make_compute(other_device, &add_spirv, far, 4);
    CHECK_OR_RETURN(far && far_add);
    CHECK_FAILS(cs_command_list_dispatch(list, far_add, 1, 1, 1, NULL, 0),
                CS_ERROR_INVALID_ARGUMENT, "the compute belongs to device");
    CHECK_FAILS(cs_command_list_copy(list, far, c.value, NULL),
                CS_ERROR_INVALID_ARGUMENT, "the source belongs to device");
    CHECK_FAILS(cs_command_list_copy(list, c.value, far, NULL),
                CS_ERROR_INVALID_ARGUMENT, "copies stay on one device");
    cs_compute_release(far_add);
    cs_resource_release(far);
    cs_instance_release(other);
    /* an empty list submits and waits */
    CHECK_OK(cs_command_list_submit(list, NULL));
    cs_fence *fence = NULL;
    CHECK_OK(cs_command_list_submit(list, &fence));
    CHECK_OK(cs_fence_wait(fence, UINT64_MAX));
    cs_fence_release(fence);
    cs_command_list_release(list);
    counter_release(&c);
}

/* The immediate dispatch reuses one recorded command buffer per compute:
 * changing groups or push must record again. */
static void test_cached_dispatch(void)
{
    counter c;
    CHECK_OR_RETURN(counter_create(&c));
    uint32_t add = 3;
    for (int i = 0; i < 10; i++)
        CHECK_OK(cs_compute_dispatch(c.add, 1, 1, 1, NULL, 0));
    CHECK_OK(cs_compute_dispatch(c.add, 1, 1, 1, &add, 4));
    CHECK_OK(cs_compute_dispatch(c.add, 1, 1, 1, &add, 4));
    add = 100;
    CHECK_OK(cs_compute_dispatch(c.add, 1, 1, 1, &add, 4));
    CHECK_OK(cs_compute_dispatch(c.add, 2, 1, 1, &add, 4)); /* 2 groups */
    CHECK(counter_read(&c) == 10 + 6 + 100 + 200);
    counter_release(&c);
}

typedef struct thread_work {
    cs_compute *compute;
    int failures;
} thread_work;

static int dispatch_thread(void *arg)
{
    thread_work *work = arg;
    for (int i = 0; i < 250; i++) {
        if (cs_compute_dispatch(work->compute, 1, 1, 1, NULL, 0) != CS_OK)
            work->failures++;
    }
    return 0;
}

static void test_threads_one_compute(void)
{
    counter c;
    CHECK_OR_RETURN(counter_create(&c));
    cs_thread threads[4];
    thread_work work[4];
    for (int i = 0; i < 4; i++) {
        work[i] = (thread_work){.compute = c.add};
        CHECK(cs_thread_create(&threads[i], dispatch_thread, &work[i], 0));
    }
    int failures = 0;
    for (int i = 0; i < 4; i++) {
        cs_thread_join(threads[i], NULL);
        failures += work[i].failures;
    }
    CHECK(failures == 0);
    CHECK(counter_read(&c) == 1000);
    counter_release(&c);
}

int main(void)
{
    if (!harness_open_device(&instance, &device))
        return 1;
    add_spirv = harness_compile(add_source);
    twice_spirv = harness_compile(twice_source);
    const test_case tests[] = {
        {"dependent_dispatches", test_dependent_dispatches},
        {"copies_and_dispatches_in_order", test_copies_and_dispatches_in_order},
        {"async_and_lifetimes", test_async_and_lifetimes},
        {"timestamps", test_timestamps},
        {"errors", test_errors},
        {"cached_dispatch", test_cached_dispatch},
        {"threads_one_compute", test_threads_one_compute},
    };
    HARNESS_RUN_TESTS(tests, device);
    cs_free(add_spirv.words);
    cs_free(twice_spirv.words);
    cs_instance_release(instance);
    return harness_finish();
}
