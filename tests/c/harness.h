/*
 * harness.h - the harness shared by the C tests: checks, the instance and
 * device they run on (CS_INSTANCE_DEBUG unless CS_TEST_NO_DEBUG is set), the
 * "no validation messages" rule, the table of tests (CS_TEST_ONLY=name runs
 * one) and the closing "N passed, M failed" line with the exit status.
 *
 * Included once by each test file; everything is static.
 *
 * CHECK(condition) records a failed check and goes on. The *_OR_RETURN
 * macros also end the calling test (`return;`), the *_OR_RETURN_FALSE ones
 * end it with `return false;`, for what follows depends on the condition.
 *
 * A file that defines HARNESS_SUPPRESS_VALIDATION_LAYER_LEAKS before the
 * include gets LeakSanitizer suppressions for the validation layer 1.3.239,
 * which leaks per pipeline it tracks (not ours to fix).
 */
#ifndef CS_TESTS_HARNESS_H
#define CS_TESTS_HARNESS_H

#include <compushady.h>

#include "platform/platform.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed, skipped; /* tests */
/* why the running test is skipped ("" while it is not): a compile it
 * needs was refused for want of a compiler (harness_compile_entry) */
static char skip_reason[1024];
static atomic_int check_failures; /* failed checks of the running test */

/* >>checks */

static inline void harness_check_failed(const char *macro,
                                        const char *condition, const char *file,
                                        int line)
{
    atomic_fetch_add(&check_failures, 1);
    fprintf(stderr, "%s:%d: %s(%s) failed; last error: %s\n", file, line, macro,
            condition, cs_last_error());
}

/* Records a failed check and goes on with the test. */
#define CHECK(condition)                                                       \
    do {                                                                       \
        if (!(condition))                                                      \
            harness_check_failed("CHECK", #condition, __FILE__, __LINE__);     \
    } while (0)

/* Records a failed check and returns from the (void) test. */
#define CHECK_OR_RETURN(condition)                                             \
    do {                                                                       \
        if (!(condition)) {                                                    \
            harness_check_failed("CHECK_OR_RETURN", #condition, __FILE__,      \
                                 __LINE__);                                    \
            return;                                                            \
        }                                                                      \
    } while (0)

/* Records a failed check and returns false from the (bool) test. */
#define CHECK_OR_RETURN_FALSE(condition)                                       \
    do {                                                                       \
        if (!(condition)) {                                                    \
            harness_check_failed("CHECK_OR_RETURN_FALSE", #condition,          \
                                 __FILE__, __LINE__);                          \
            return false;                                                      \
        }                                                                      \
    } while (0)

#define CHECK_OK(call) CHECK((call) == CS_OK)
#define CHECK_OK_OR_RETURN(call) CHECK_OR_RETURN((call) == CS_OK)
#define CHECK_OK_OR_RETURN_FALSE(call) CHECK_OR_RETURN_FALSE((call) == CS_OK)

/* Whether got is expected and cs_last_error() contains text; records a
 * failed check (naming call, file and line) when not. Not inlined: inlined,
 * GCC's format checks guess at the message's nullness per call. */
__attribute__((noinline, unused)) static bool
harness_check_fails(cs_status got, cs_status expected, const char *text,
                    const char *call, const char *file, int line)
{
    const char *message = cs_last_error();
    if (got != expected) {
        atomic_fetch_add(&check_failures, 1);
        fprintf(stderr, "%s:%d: %s returned %s, expected %s; last error: %s\n",
                file, line, call, cs_status_name(got), cs_status_name(expected),
                message);
        return false;
    }
    if (!strstr(message, text)) {
        atomic_fetch_add(&check_failures, 1);
        fprintf(stderr,
                "%s:%d: %s failed with %s as expected, but the message does "
                "not contain \"%s\": %s\n",
                file, line, call, cs_status_name(got), text, message);
        return false;
    }
    return true;
}

/* The call fails with status and cs_last_error() contains text. */
#define CHECK_FAILS(call, status, text)                                        \
    harness_check_fails((call), (status), (text), #call, __FILE__, __LINE__)

/* CHECK_FAILS, returning false from the (bool) test when it does not. */
#define CHECK_FAILS_OR_RETURN_FALSE(call, status, text)                        \
    do {                                                                       \
        if (!CHECK_FAILS(call, status, text))                                  \
            return false;                                                      \
    } while (0)

/* >>instance and device */

/* Keeps the driver and the layer loaded after the instance goes, so that
 * LeakSanitizer names their modules instead of anonymous frames. */
static inline void harness_pin_vulkan_libraries(void)
{
    cs_library_open("libvulkan_lvp.so", NULL, 0);
    cs_library_open("libVkLayer_khronos_validation.so", NULL, 0);
}

#ifdef HARNESS_SUPPRESS_VALIDATION_LAYER_LEAKS
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libVkLayer_khronos_validation.so\n";
}
#endif

/* The flags of the tests' instances: CS_INSTANCE_DEBUG (validation layer
 * and its messages) unless CS_TEST_NO_DEBUG is set. */
static inline uint32_t harness_instance_flags(void)
{
    return getenv("CS_TEST_NO_DEBUG") ? 0 : CS_INSTANCE_DEBUG;
}

/* The backend the tests run on: COMPUSHADY_BACKEND (as in Python), else
 * NULL, the library's default (the first compiled in). */
static inline const char *harness_backend(void)
{
    const char *name = getenv("COMPUSHADY_BACKEND");
    return name && *name ? name : NULL;
}

/* The name of that backend ("vulkan"). */
static inline const char *harness_backend_name(void)
{
    const char *name = harness_backend();
    return name ? name : cs_backend_name(0);
}

/* The desc of every instance a test creates: harness_instance_flags() on
 * harness_backend(). */
static inline cs_instance_desc harness_instance_desc(void)
{
    cs_instance_desc desc = {.flags = harness_instance_flags(),
                             .backend = harness_backend()};
    return desc;
}

/* Ends a test program that cannot run here (its backend is not the one in
 * use, the device lacks a feature): one line naming why, counted as one
 * skip, exit status 0. */
static inline void harness_skip_program(const char *reason)
{
    printf("skipped: %s\n0 passed, 0 failed, 1 skipped\n", reason);
    exit(0);
}

/* For the tests of one backend's internals (test_vulkan_backend.c, ...):
 * skipped on any other backend. */
static inline void harness_require_backend(const char *name)
{
    const char *in_use = harness_backend_name();
    if (!in_use || strcmp(in_use, name) != 0) {
        char reason[160];
        snprintf(reason, sizeof reason,
                 "tests of the %s backend, and COMPUSHADY_BACKEND is %s", name,
                 in_use ? in_use : "unset");
        harness_skip_program(reason);
    }
}

/* Creates *instance_out with harness_instance_desc() and takes its first
 * device into *device_out; false (said on stderr, nothing left) when
 * either fails. */
static inline bool harness_open_device(cs_instance **instance_out,
                                       cs_device **device_out)
{
    cs_instance_desc desc = harness_instance_desc();
    if (cs_instance_create(&desc, instance_out) != CS_OK) {
        fprintf(stderr, "cs_instance_create failed: %s\n", cs_last_error());
        return false;
    }
    *device_out = cs_instance_get_device(*instance_out, 0);
    if (!*device_out) {
        fprintf(stderr, "no device\n");
        cs_instance_release(*instance_out);
        *instance_out = NULL;
        return false;
    }
    return true;
}

/* Validation messages of dev's instance: printed, and their count. */
static inline size_t harness_take_messages(cs_device *dev)
{
    char **messages = NULL;
    size_t count = cs_device_take_debug_messages(dev, &messages);
    for (size_t i = 0; i < count; i++)
        fprintf(stderr, "validation: %s\n", messages[i]);
    cs_free_strings(messages);
    return count;
}

/* >>compiling */

/* Skips the running test (its checks are not counted): reason names what
 * this system lacks. */
static inline void harness_skip(const char *reason)
{
    if (!skip_reason[0])
        snprintf(skip_reason, sizeof skip_reason, "%s", reason);
}

/* Skips the running test when status and cs_last_error() say no shader
 * compiler is there (a Windows build without shaderc_shared.dll): its
 * checks after the compile cannot pass, and are not counted. Returns
 * whether it skips. */
static inline bool harness_skip_without_compiler(cs_status status)
{
    const char *message = cs_last_error();
    if (status != CS_ERROR_UNSUPPORTED || !strstr(message, ".dll"))
        return false;
    if (!skip_reason[0])
        snprintf(skip_reason, sizeof skip_reason, "%s", message);
    return true;
}

/* Whether a shader compiler is there; when not, the running test is
 * skipped (for the tests that check the compilers themselves). */
static inline bool harness_have_compiler(void)
{
    cs_shader_compile_desc desc = {.source =
                                       "[numthreads(1, 1, 1)] void main() {}"};
    void *words = NULL;
    size_t size = 0;
    cs_status status = cs_shader_compile(&desc, &words, &size);
    cs_free(words);
    return !harness_skip_without_compiler(status);
}

typedef struct spirv_blob {
    void *words;
    size_t size;
} spirv_blob;

/* >>precompiled SPIR-V: where no compiler is (the Windows tests under
 * Wine), the SPIR-V the Linux build compiled from the same source is used.
 * CS_TEST_SPIRV_RECORD=folder: each compile of harness_compile_entry is
 * kept there as <hash of language, entry point, source>.spv;
 * CS_TEST_SPIRV_DIR=folder: where a compile is refused for want of a
 * compiler, the kept file is read instead (scripts/test-windows.sh records
 * with the Linux tests, then replays). */

static inline void harness_spirv_path(char *out, size_t capacity,
                                      const char *folder,
                                      const cs_shader_compile_desc *desc)
{
    uint64_t hash = 0xcbf29ce484222325u; /* FNV-1a */
    const char *parts[] = {desc->entry_point ? desc->entry_point : "main",
                           desc->source};
    hash = (hash ^ (uint64_t)desc->language) * 0x100000001b3u;
    for (size_t p = 0; p < 2; p++)
        for (const char *c = parts[p];; c++) {
            hash = (hash ^ (unsigned char)*c) * 0x100000001b3u;
            if (!*c)
                break;
        }
    snprintf(out, capacity, "%s/%016llx.spv", folder, (unsigned long long)hash);
}

static inline void harness_spirv_record(const cs_shader_compile_desc *desc,
                                        const spirv_blob *blob)
{
    const char *folder = getenv("CS_TEST_SPIRV_RECORD");
    char path[1024], temporary[1100];
    if (!folder || !*folder)
        return;
    harness_spirv_path(path, sizeof path, folder, desc);
    snprintf(temporary, sizeof temporary, "%s.%d", path, cs_process_id());
    cs_file *file = cs_file_create_new(temporary);
    bool ok = file && cs_file_write(file, blob->words, blob->size);
    ok = file && cs_file_close(file) && ok;
    if (!ok || !cs_file_replace(temporary, path))
        cs_file_remove(temporary);
}

static inline bool harness_spirv_replay(const cs_shader_compile_desc *desc,
                                        spirv_blob *blob)
{
    const char *folder = getenv("CS_TEST_SPIRV_DIR");
    char path[1024];
    if (!folder || !*folder)
        return false;
    harness_spirv_path(path, sizeof path, folder, desc);
    return cs_file_read_all(path, 64u << 20, &blob->words, &blob->size);
}

/* SPIR-V of an HLSL source and entry point (NULL: main); empty, said on
 * stderr, when it does not compile (cs_free() frees it: the tests link the
 * static library, so one C runtime allocates both). */
static inline spirv_blob harness_compile_entry(const char *source,
                                               const char *entry_point)
{
    cs_shader_compile_desc desc = {.language = CS_SHADER_HLSL,
                                   .source = source,
                                   .entry_point = entry_point};
    spirv_blob blob = {0};
    cs_status status = cs_shader_compile(&desc, &blob.words, &blob.size);
    if (status == CS_OK)
        harness_spirv_record(&desc, &blob);
    if (status != CS_OK && status == CS_ERROR_UNSUPPORTED &&
        harness_spirv_replay(&desc, &blob))
        return blob;
    if (status != CS_OK) {
        harness_skip_without_compiler(status);
        if (!skip_reason[0])
            fprintf(stderr, "compile failed: %s\n", cs_last_error());
        blob.words = NULL;
        blob.size = 0;
    }
    return blob;
}

static inline spirv_blob harness_compile(const char *source)
{
    return harness_compile_entry(source, NULL);
}

/* >>the table of tests */

typedef struct test_case {
    const char *name;
    void (*run)(void);
} test_case;

/* Runs tests (only the one named by CS_TEST_ONLY when set): a test passes
 * with no failed check and no validation message on dev. */
static inline void harness_run_tests(const test_case *tests, size_t count,
                                     cs_device *dev)
{
    const char *only = getenv("CS_TEST_ONLY");
    for (size_t i = 0; i < count; i++) {
        if (only && strcmp(only, tests[i].name) != 0)
            continue;
        atomic_store(&check_failures, 0);
        skip_reason[0] = '\0';
        tests[i].run();
        size_t messages = harness_take_messages(dev);
        int failures = atomic_load(&check_failures);
        if (skip_reason[0]) {
            skipped++;
            printf("SKIP %s: %s\n", tests[i].name, skip_reason);
        } else if (failures == 0 && messages == 0) {
            passed++;
        } else {
            failed++;
            fprintf(stderr,
                    "FAIL %s (%d failed checks, %zu validation messages)\n",
                    tests[i].name, failures, messages);
        }
    }
}

#define HARNESS_RUN_TESTS(tests, dev)                                          \
    harness_run_tests((tests), sizeof(tests) / sizeof(tests)[0], (dev))

/* Prints the closing "N passed, M failed" line; the exit status. */
static inline int harness_finish(void)
{
    if (skipped)
        printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    else
        printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

#endif
