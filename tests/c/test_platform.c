/*
 * test_platform.c - the platform layer (src/platform/platform.h) on its
 * own, the same checks on Linux and, built by make windows, on Windows
 * under Wine: locks, condition variables, once, thread-local keys and
 * their destructors, thread stacks and results, clocks, files and folders
 * (sizes from 0 bytes to past a page, replacing, exclusive creation, size
 * limits), dynamic libraries, the environment and safe memory reads. No
 * device: nothing here needs the GPU, but the Vulkan loader is opened.
 *
 * CS_TEST_ONLY=name runs one test.
 */
#include "harness.h"

#include "platform/platform.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* >>locks and threads */

enum { THREADS = 4, ROUNDS = 20000 };

static cs_mutex counter_lock = CS_MUTEX_INIT;
static long counter;

static int add_rounds(void *unused)
{
    (void)unused;
    for (int i = 0; i < ROUNDS; i++) {
        cs_mutex_lock(&counter_lock);
        long seen = counter;
        if (i % 1000 == 0)
            cs_thread_yield(); /* a lost update shows up */
        counter = seen + 1;
        cs_mutex_unlock(&counter_lock);
    }
    return 7;
}

static void test_mutex_and_join(void)
{
    counter = 0;
    cs_thread threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        CHECK_OR_RETURN(cs_thread_create(&threads[i], add_rounds, NULL, 0));
    for (int i = 0; i < THREADS; i++) {
        int result = 0;
        CHECK(cs_thread_join(threads[i], &result));
        CHECK(result == 7);
    }
    CHECK(counter == (long)THREADS * ROUNDS);
}

static cs_mutex held_lock = CS_MUTEX_INIT;

static int try_held(void *out)
{
    *(bool *)out = cs_mutex_trylock(&held_lock);
    if (*(bool *)out)
        cs_mutex_unlock(&held_lock);
    return 0;
}

static int wait_for_held(void *out)
{
    uint64_t start = cs_time_monotonic_ns();
    bool got = cs_mutex_timedlock(&held_lock, 30 * 1000 * 1000);
    *(uint64_t *)out = got ? 0 : cs_time_monotonic_ns() - start;
    if (got)
        cs_mutex_unlock(&held_lock);
    return 0;
}

static void test_trylock_and_timedlock(void)
{
    cs_mutex_lock(&held_lock);
    bool taken = true;
    uint64_t waited = 0;
    cs_thread thread;
    CHECK_OR_RETURN(cs_thread_create(&thread, try_held, &taken, 0));
    cs_thread_join(thread, NULL);
    CHECK(!taken);
    CHECK_OR_RETURN(cs_thread_create(&thread, wait_for_held, &waited, 0));
    cs_thread_join(thread, NULL);
    CHECK(waited >= 25 * 1000 * 1000); /* timed out, after the timeout */
    cs_mutex_unlock(&held_lock);
    CHECK(cs_mutex_timedlock(&held_lock, 1000 * 1000));
    cs_mutex_unlock(&held_lock);
    CHECK(cs_mutex_trylock(&held_lock));
    cs_mutex_unlock(&held_lock);
}

static cs_rwlock table_lock = CS_RWLOCK_INIT;
static long table[2]; /* written together under the write lock */
static _Atomic long torn_reads;

static int read_or_write(void *argument)
{
    bool writer = (uintptr_t)argument % 2 == 0;
    for (int i = 0; i < ROUNDS / 4; i++) {
        if (writer) {
            cs_rwlock_write_lock(&table_lock);
            table[0]++;
            if (i % 500 == 0)
                cs_thread_yield();
            table[1]++;
            cs_rwlock_write_unlock(&table_lock);
        } else {
            cs_rwlock_read_lock(&table_lock);
            if (table[0] != table[1])
                torn_reads++;
            cs_rwlock_read_unlock(&table_lock);
        }
    }
    return 0;
}

static void test_rwlock(void)
{
    cs_rwlock fair;
    CHECK_OR_RETURN(cs_rwlock_init(&fair, true));
    cs_rwlock_read_lock(&fair);
    cs_rwlock_read_lock(&fair); /* readers share it */
    cs_rwlock_read_unlock(&fair);
    cs_rwlock_read_unlock(&fair);
    cs_rwlock_write_lock(&fair);
    cs_rwlock_write_unlock(&fair);
    cs_rwlock_destroy(&fair);
    cs_thread threads[THREADS];
    for (uintptr_t i = 0; i < THREADS; i++)
        CHECK_OR_RETURN(
            cs_thread_create(&threads[i], read_or_write, (void *)i, 0));
    for (int i = 0; i < THREADS; i++)
        cs_thread_join(threads[i], NULL);
    CHECK(torn_reads == 0);
    CHECK(table[0] == table[1] && table[0] == (THREADS / 2) * (ROUNDS / 4));
}

static struct {
    cs_mutex lock;
    cs_cond changed;
    int produced, consumed;
} queue;

static int consume(void *unused)
{
    (void)unused;
    cs_mutex_lock(&queue.lock);
    for (;;) {
        while (queue.consumed == queue.produced && queue.produced >= 0)
            cs_cond_wait(&queue.changed, &queue.lock);
        if (queue.produced < 0)
            break;
        queue.consumed++;
        cs_cond_broadcast(&queue.changed);
    }
    cs_mutex_unlock(&queue.lock);
    return 0;
}

static void test_condition_variable(void)
{
    CHECK_OR_RETURN(cs_mutex_init(&queue.lock));
    CHECK_OR_RETURN(cs_cond_init(&queue.changed));
    cs_thread thread;
    CHECK_OR_RETURN(cs_thread_create(&thread, consume, NULL, 0));
    for (int i = 0; i < 1000; i++) {
        cs_mutex_lock(&queue.lock);
        queue.produced++;
        cs_cond_signal(&queue.changed);
        while (queue.consumed != queue.produced)
            cs_cond_wait(&queue.changed, &queue.lock);
        cs_mutex_unlock(&queue.lock);
    }
    CHECK(queue.consumed == 1000);
    cs_mutex_lock(&queue.lock);
    queue.produced = -1;
    cs_cond_broadcast(&queue.changed);
    cs_mutex_unlock(&queue.lock);
    cs_thread_join(thread, NULL);
    cs_cond_destroy(&queue.changed);
    cs_mutex_destroy(&queue.lock);
}

static cs_once once = CS_ONCE_INIT;
static _Atomic int once_runs;

static void run_once(void)
{
    cs_sleep_ns(5 * 1000 * 1000); /* the others arrive meanwhile */
    once_runs++;
}

static int call_run_once(void *unused)
{
    (void)unused;
    cs_call_once(&once, run_once);
    return once_runs; /* 1 already: callers wait for the first */
}

static void test_once(void)
{
    cs_thread threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        CHECK_OR_RETURN(cs_thread_create(&threads[i], call_run_once, NULL, 0));
    for (int i = 0; i < THREADS; i++) {
        int seen = 0;
        cs_thread_join(threads[i], &seen);
        CHECK(seen == 1);
    }
    CHECK(once_runs == 1);
}

static cs_tls key;
static _Atomic int destroyed_sum;

static void destroy_value(void *value)
{
    destroyed_sum += (int)(intptr_t)value;
}

static int use_key(void *argument)
{
    if (cs_tls_get(key) != NULL)
        return 1;
    if (!cs_tls_set(key, argument))
        return 2;
    cs_thread_yield();
    return cs_tls_get(key) == argument ? 0 : 3;
}

static void test_thread_local_keys(void)
{
    CHECK_OR_RETURN(cs_tls_create(&key, destroy_value));
    cs_thread threads[THREADS];
    for (intptr_t i = 0; i < THREADS; i++)
        CHECK_OR_RETURN(
            cs_thread_create(&threads[i], use_key, (void *)(i + 1), 0));
    for (int i = 0; i < THREADS; i++) {
        int result = -1;
        cs_thread_join(threads[i], &result);
        CHECK(result == 0);
    }
    /* each thread's destructor ran as it ended: 1 + 2 + 3 + 4 */
    CHECK(destroyed_sum == THREADS * (THREADS + 1) / 2);
    CHECK(cs_tls_get(key) == NULL); /* this thread set nothing */
}

static int measure_stack(void *out)
{
    uintptr_t low = 0, high = 0;
    char here;
    if (!cs_thread_stack_bounds(&low, &high))
        return 1;
    *(size_t *)out = high - low;
    return (uintptr_t)&here > low && (uintptr_t)&here < high ? 0 : 2;
}

static void test_thread_stack_size(void)
{
    size_t sizes[] = {256u << 10, 8u << 20, 64u << 20};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t got = 0;
        int result = -1;
        cs_thread thread;
        CHECK_OR_RETURN(
            cs_thread_create(&thread, measure_stack, &got, sizes[i]));
        cs_thread_join(thread, &result);
        CHECK(result == 0);
        CHECK(got >= sizes[i]);
        if (got < sizes[i])
            fprintf(stderr, "asked %zu bytes of stack, got %zu\n", sizes[i],
                    got);
    }
}

static void test_clock_and_sleep(void)
{
    uint64_t before = cs_time_monotonic_ns();
    cs_sleep_ns(20 * 1000 * 1000);
    uint64_t after = cs_time_monotonic_ns();
    CHECK(after - before >= 19 * 1000 * 1000);
    CHECK(after - before < 2000u * 1000 * 1000);
    uint64_t last = cs_time_monotonic_ns();
    for (int i = 0; i < 10000; i++) {
        uint64_t now = cs_time_monotonic_ns();
        CHECK_OR_RETURN(now >= last);
        last = now;
    }
}

/* >>process */

static void test_process(void)
{
    CHECK(cs_process_id() > 0);
    CHECK(cs_cpu_count() >= 1);
    size_t page = cs_page_size();
    CHECK(page >= 4096 && (page & (page - 1)) == 0);
#ifdef CS_PLATFORM_WINDOWS
    CHECK(!cs_process_can_fork());
#else
    CHECK(cs_process_can_fork());
#endif
    CHECK(cs_env_set("CS_PLATFORM_TEST_VARIABLE", "one", true));
    CHECK(getenv("CS_PLATFORM_TEST_VARIABLE") &&
          strcmp(getenv("CS_PLATFORM_TEST_VARIABLE"), "one") == 0);
    CHECK(cs_env_set("CS_PLATFORM_TEST_VARIABLE", "two", false));
    CHECK(strcmp(getenv("CS_PLATFORM_TEST_VARIABLE"), "one") == 0);
    CHECK(cs_env_set("CS_PLATFORM_TEST_VARIABLE", "two", true));
    CHECK(strcmp(getenv("CS_PLATFORM_TEST_VARIABLE"), "two") == 0);
    CHECK(cs_env_set("CS_PLATFORM_TEST_VARIABLE", NULL, true));
    const char *gone = getenv("CS_PLATFORM_TEST_VARIABLE");
    CHECK(gone == NULL || *gone == '\0');
}

static void test_memory_read_safely(void)
{
    unsigned char source[300], copy[300];
    for (size_t i = 0; i < sizeof source; i++)
        source[i] = (unsigned char)(i * 7);
    CHECK(cs_memory_read_safely(source, copy, sizeof source));
    CHECK(memcmp(source, copy, sizeof source) == 0);
    CHECK(!cs_memory_read_safely((const void *)(uintptr_t)16, copy, 8));
    CHECK(!cs_memory_read_safely(NULL, copy, 1));
}

/* >>files and folders */

static char scratch[900]; /* a fresh folder for this run */

static bool make_scratch(void)
{
    const char *base = getenv("TEMP");
    if (!base || !*base)
        base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    snprintf(scratch, sizeof scratch, "%s/cs-platform-%d-%llu/a/b", base,
             cs_process_id(), (unsigned long long)cs_time_monotonic_ns());
    return cs_dir_make_all(scratch);
}

static void remove_scratch(void)
{
    /* .../a/b, then .../a, then the run's folder */
    for (int level = 0; level < 3; level++) {
        cs_dir_remove(scratch);
        char *slash = strrchr(scratch, '/');
        if (!slash)
            return;
        *slash = '\0';
    }
}

static void test_files(void)
{
    CHECK_OR_RETURN(make_scratch());
    CHECK(cs_dir_make_all(scratch)); /* already there: fine */
    CHECK(!cs_file_exists(scratch)); /* a folder is no file */
    void *bytes = NULL;
    size_t size = 0;
    CHECK(!cs_file_read_all(scratch, 1 << 20, &bytes, &size));
    char path[1024], other[1100];
    snprintf(path, sizeof path, "%s/file.bin", scratch);
    snprintf(other, sizeof other, "%s/other.bin", scratch);
    size_t sizes[] = {0, 1, 3, 4095, 4096, 4097, 65537, 1 << 20};
    unsigned char *data = malloc(1 << 20);
    CHECK_OR_RETURN(data != NULL);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        for (size_t j = 0; j < n; j++)
            data[j] = (unsigned char)(j * 131 + i);
        cs_file *file = cs_file_create_new(other);
        CHECK_OR_RETURN(file != NULL);
        CHECK(cs_file_create_new(other) == NULL); /* exclusive */
        /* in two writes: head and body, as the caches write */
        CHECK(cs_file_write(file, data, n / 3));
        CHECK(cs_file_write(file, data + n / 3, n - n / 3));
        CHECK(cs_file_close(file));
        /* replaces the previous round's file */
        CHECK(cs_file_replace(other, path));
        CHECK(!cs_file_exists(other));
        CHECK(cs_file_exists(path));
        int64_t stamped = -1, mtime = 0;
        CHECK(cs_file_stamp(path, &stamped, &mtime));
        CHECK(stamped == (int64_t)n && mtime > 1600000000);
        CHECK(cs_file_read_all(path, n, &bytes, &size));
        CHECK(size == n && (n == 0 || memcmp(bytes, data, n) == 0));
        free(bytes);
        bytes = NULL;
        if (n > 0)
            CHECK(!cs_file_read_all(path, n - 1, &bytes, &size));
    }
    free(data);
    cs_file_remove(path);
    CHECK(!cs_file_exists(path));
    CHECK(!cs_file_read_all(path, 1 << 20, &bytes, &size));
    /* a UTF-8 name outside ASCII (on Windows: UTF-16 for the system) */
    char named[1100];
    snprintf(named, sizeof named, "%s/caf\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac",
             scratch);
    cs_file *file = cs_file_create_new(named);
    CHECK_OR_RETURN(file != NULL);
    CHECK(cs_file_write(file, "abc", 3) && cs_file_close(file));
    CHECK(cs_file_exists(named));
    CHECK(cs_file_read_all(named, 16, &bytes, &size) && size == 3 &&
          memcmp(bytes, "abc", 3) == 0);
    free(bytes);
    bytes = NULL;
    cs_file_remove(named);
    CHECK(!cs_file_exists(named));
    char home[1024];
    CHECK(cs_user_cache_home(home, sizeof home) && home[0]);
    CHECK(!cs_user_cache_home(home, 2)); /* does not fit */
    remove_scratch();
}

/* >>dynamic libraries */

static void test_libraries(void)
{
    char why[512] = "";
    CHECK(cs_library_open("cs-no-such-library-xyz", why, sizeof why) == NULL);
    CHECK(strstr(why, "cs-no-such-library-xyz") != NULL);
#ifdef CS_PLATFORM_WINDOWS
    const char *loader = "vulkan-1.dll";
#else
    const char *loader = "libvulkan.so.1";
#endif
    void *library = cs_library_open(loader, why, sizeof why);
    CHECK_OR_RETURN(library != NULL);
    void *symbol = cs_library_symbol(library, "vkGetInstanceProcAddr");
    CHECK(symbol != NULL);
    CHECK(cs_library_symbol(library, "cs_no_such_symbol") == NULL);
    char file[1024] = "";
    CHECK(symbol && cs_library_file_of(symbol, file, sizeof file));
    CHECK(strstr(file, "vulkan") != NULL);
    /* this program's own function, in this program's file */
    CHECK(cs_library_file_of((const void *)test_libraries, file, sizeof file));
    CHECK(strstr(file, "test_platform") != NULL);
    cs_library_close(library);
}

int main(void)
{
    const test_case tests[] = {
        {"mutex_and_join", test_mutex_and_join},
        {"trylock_and_timedlock", test_trylock_and_timedlock},
        {"rwlock", test_rwlock},
        {"condition_variable", test_condition_variable},
        {"once", test_once},
        {"thread_local_keys", test_thread_local_keys},
        {"thread_stack_size", test_thread_stack_size},
        {"clock_and_sleep", test_clock_and_sleep},
        {"process", test_process},
        {"memory_read_safely", test_memory_read_safely},
        {"files", test_files},
        {"libraries", test_libraries},
    };
    const char *only = getenv("CS_TEST_ONLY");
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (only && strcmp(only, tests[i].name) != 0)
            continue;
        atomic_store(&check_failures, 0);
        tests[i].run();
        if (atomic_load(&check_failures) == 0) {
            passed++;
        } else {
            failed++;
            fprintf(stderr, "FAIL %s\n", tests[i].name);
        }
    }
    return harness_finish();
}
