/* test_host_copy.c - large host copies split over threads (core/host_copy.c)
 * copy every byte where they should: generated sizes around the split
 * threshold, unaligned ends, several threads copying at once (one gets the
 * pool, the others copy alone), a forked child (no pool there), and through
 * uploads and readbacks of real buffers. */
#include "harness.h"

#include "core/internal.h"

#include "platform/platform.h"
#ifndef CS_PLATFORM_WINDOWS
#include <sys/wait.h>
#include <unistd.h>
#endif

static cs_instance *instance;
static cs_device *device;

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t next_random(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void fill(unsigned char *p, size_t size, unsigned seed)
{
    for (size_t i = 0; i < size; i++)
        p[i] = (unsigned char)(i * 131 + seed * 7 + (i >> 12));
}

/* copies size bytes between offsets of two buffers; checks the bytes and
 * that nothing around the destination range changed */
static bool copy_and_check(size_t size, size_t src_offset, size_t dst_offset)
{
    size_t total = size + 256;
    unsigned char *src = malloc(total), *dst = malloc(total);
    if (!src || !dst) {
        free(src);
        free(dst);
        return false;
    }
    fill(src, total, (unsigned)size);
    memset(dst, 0xA5, total);
    cs_host_copy(dst + dst_offset, src + src_offset, size);
    bool ok = memcmp(dst + dst_offset, src + src_offset, size) == 0;
    for (size_t i = 0; i < dst_offset && ok; i++)
        ok = dst[i] == 0xA5;
    for (size_t i = dst_offset + size; i < total && ok; i++)
        ok = dst[i] == 0xA5;
    free(src);
    free(dst);
    return ok;
}

static void test_generated_sizes(void)
{
    CHECK(cs_host_copy_threads() == 3 ||
          strcmp(getenv("COMPUSHADY_HOST_COPY_THREADS"), "3") != 0);
    const size_t split = CS_HOST_COPY_SPLIT_BYTES;
    const size_t fixed[] = {
        0, 1, 63, 64, split - 1, split, split + 1, split + 63, 3 * split + 17};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        CHECK(copy_and_check(fixed[i], i % 7, (i * 13) % 64));
    for (int i = 0; i < 12; i++) {
        size_t size = split / 2 + next_random() % (3 * split);
        CHECK(copy_and_check(size, next_random() % 100, next_random() % 100));
    }
}

static int copy_thread(void *arg)
{
    size_t size = CS_HOST_COPY_SPLIT_BYTES + (size_t)(uintptr_t)arg * 4099;
    for (int i = 0; i < 4; i++)
        if (!copy_and_check(size, (size_t)(uintptr_t)arg, 3))
            return 1;
    return 0;
}

static void test_threads_copy_at_once(void)
{
    cs_thread threads[4];
    for (uintptr_t i = 0; i < 4; i++)
        CHECK_OR_RETURN(
            cs_thread_create(&threads[i], copy_thread, (void *)i, 0));
    for (int i = 0; i < 4; i++) {
        int result = 1;
        cs_thread_join(threads[i], &result);
        CHECK(result == 0);
    }
}

static void test_forked_child_copies_alone(void)
{
#ifdef CS_PLATFORM_WINDOWS
    harness_skip("Windows has no fork()");
#else
    CHECK(copy_and_check(2 * CS_HOST_COPY_SPLIT_BYTES, 1, 2)); /* pool up */
    fflush(NULL);
    pid_t child = fork();
    CHECK_OR_RETURN(child >= 0);
    if (child == 0)
        _exit(cs_host_copy_threads() == 1 &&
                      copy_and_check(2 * CS_HOST_COPY_SPLIT_BYTES + 5, 3, 1)
                  ? 0
                  : 1);
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
#endif
}

static void test_upload_and_readback(void)
{
    size_t size = 2 * CS_HOST_COPY_SPLIT_BYTES + 12;
    unsigned char *data = malloc(size), *back = malloc(size);
    cs_resource *upload = NULL, *readback = NULL;
    cs_resource_desc desc = {.heap_type = CS_HEAP_UPLOAD, .size = size};
    CHECK(data && back);
    if (data && back && cs_resource_create(device, &desc, &upload) == CS_OK) {
        desc.heap_type = CS_HEAP_READBACK;
        CHECK_OK(cs_resource_create(device, &desc, &readback));
        fill(data, size, 5);
        CHECK_OK(cs_buffer_upload(upload, 0, data, size));
        if (readback) {
            CHECK_OK(cs_resource_copy(upload, readback, NULL));
            memset(back, 0, size);
            CHECK_OK(cs_buffer_readback(readback, 0, back, size));
            CHECK(memcmp(back, data, size) == 0);
            /* an offset that is not a multiple of anything */
            memset(back, 0, size);
            CHECK_OK(cs_buffer_readback(readback, 3, back, size - 3));
            CHECK(memcmp(back, data + 3, size - 3) == 0);
        }
    } else {
        CHECK(false);
    }
    cs_resource_release(readback);
    cs_resource_release(upload);
    free(data);
    free(back);
}

int main(void)
{
    /* the pool is what is tested, also on machines where the default
     * (half the processors) would be one thread */
    cs_env_set("COMPUSHADY_HOST_COPY_THREADS", "3", false);
    harness_pin_vulkan_libraries();
    if (!harness_open_device(&instance, &device))
        return 1;
    const test_case tests[] = {
        {"generated_sizes", test_generated_sizes},
        {"threads_copy_at_once", test_threads_copy_at_once},
        {"forked_child_copies_alone", test_forked_child_copies_alone},
        {"upload_and_readback", test_upload_and_readback},
    };
    HARNESS_RUN_TESTS(tests, device);
    cs_instance_release(instance);
    return harness_finish();
}
