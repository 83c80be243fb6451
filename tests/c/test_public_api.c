/*
 * test_public_api.c - a program that uses include/compushady.h only, with
 * precompiled SPIR-V (tests/c/shaders): devices, buffers, a dispatch with
 * push constants, copies and readback, each result checked, and instances
 * made and released again and again (a backend's threads, such as the
 * OpenGL device's own, go with them). On Linux it
 * links the static library like the other tests; make windows links it
 * against compushady.dll's import library instead, so that under Wine it
 * checks the DLL itself: its exports, and the library working from it.
 *
 * CS_TEST_ONLY=name runs one test.
 */
#include "harness.h"

#include "shaders/test_shaders.h"

#include <stdio.h>
#include <string.h>

enum { COUNT = 1000, GROUP = 64 };

static cs_instance *instance;
static cs_device *device;

static void test_device_info(void)
{
    cs_device_info info;
    cs_device_get_info(device, &info);
    CHECK(info.name[0] != '\0');
    CHECK(cs_instance_device_count(instance) >= 1);
    CHECK(strcmp(cs_instance_backend_name(instance), harness_backend_name()) ==
          0);
    CHECK(strcmp(cs_status_name(CS_ERROR_INVALID_ARGUMENT),
                 "CS_ERROR_INVALID_ARGUMENT") == 0);
}

/* On dev: write_index over count values with push values 7, 1007, ...
 * (rounds of them), each read back and checked. */
static void dispatch_and_check(cs_device *dev, uint32_t count, uint32_t rounds)
{
    cs_resource_desc out_desc = {.size = count * 4, .stride = 4};
    cs_resource_desc readback_desc = {.heap_type = CS_HEAP_READBACK,
                                      .size = count * 4};
    cs_resource *out = NULL, *readback = NULL;
    cs_compute *compute = NULL;
    CHECK_OK_OR_RETURN(cs_resource_create(dev, &out_desc, &out));
    CHECK_OK(cs_resource_create(dev, &readback_desc, &readback));
    cs_compute_desc desc = {.spirv = write_index_spirv,
                            .spirv_size = sizeof write_index_spirv,
                            .uav = &out,
                            .uav_count = 1,
                            .push_size = 4};
    CHECK_OK(cs_compute_create(dev, &desc, &compute));
    static uint32_t got[COUNT];
    for (uint32_t push = 0; compute && readback && push < rounds; push++) {
        uint32_t value = push * 1000 + 7;
        CHECK_OK(cs_compute_dispatch(compute, (count + GROUP - 1) / GROUP, 1, 1,
                                     &value, sizeof value));
        CHECK_OK(cs_resource_copy(out, readback, NULL));
        CHECK_OK(cs_buffer_readback(readback, 0, got, count * 4));
        int wrong = 0;
        for (uint32_t i = 0; i < count; i++)
            wrong += got[i] != i * 2 + value;
        CHECK(wrong == 0);
    }
    cs_compute_release(compute);
    cs_resource_release(readback);
    cs_resource_release(out);
}

static void test_dispatch_and_readback(void)
{
    dispatch_and_check(device, COUNT, 3);
}

static void test_refusals_carry_messages(void)
{
    cs_resource *buffer = NULL;
    cs_resource_desc empty = {.size = 0};
    CHECK_FAILS(cs_resource_create(device, &empty, &buffer),
                CS_ERROR_INVALID_ARGUMENT, "size");
    CHECK(buffer == NULL);
    cs_compute *compute = NULL;
    uint32_t garbage[16] = {0x07230203};
    cs_compute_desc desc = {.spirv = garbage, .spirv_size = 3};
    CHECK_FAILS(cs_compute_create(device, &desc, &compute),
                CS_ERROR_INVALID_SHADER, "");
}

/* The threads of the process (Linux: /proc/self/status), or -1. */
static int thread_count(void)
{
    int threads = -1;
#ifdef __linux__
    FILE *status = fopen("/proc/self/status", "r");
    char line[256];
    while (status && fgets(line, sizeof line, status))
        if (sscanf(line, "Threads: %d", &threads) == 1)
            break;
    if (status)
        fclose(status);
#endif
    return threads;
}

/* One instance's life: its first device runs a dispatch, read back. */
static void instance_life(void)
{
    cs_instance *other = NULL;
    cs_device *other_device = NULL;
    CHECK_OR_RETURN(harness_open_device(&other, &other_device));
    dispatch_and_check(other_device, GROUP, 1);
    cs_instance_release(other);
}

static void test_instances_come_and_go(void)
{
    /* the drivers' own threads (kept per process) start in the first */
    instance_life();
    instance_life();
    int before = thread_count();
    for (int i = 0; i < 20; i++)
        instance_life();
    int after = thread_count();
    /* a thread left per instance would be 20 more */
    if (before >= 0)
        CHECK(after <= before + 2);
}

int main(void)
{
    if (!harness_open_device(&instance, &device))
        return 1;
    const test_case tests[] = {
        {"device_info", test_device_info},
        {"dispatch_and_readback", test_dispatch_and_readback},
        {"refusals_carry_messages", test_refusals_carry_messages},
        {"instances_come_and_go", test_instances_come_and_go},
    };
    HARNESS_RUN_TESTS(tests, device);
    cs_instance_release(instance);
    return harness_finish();
}
