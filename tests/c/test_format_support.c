/* test_format_support.c - cs_device_format_support on the backend
 * COMPUSHADY_BACKEND names: an answer for every format of the list that
 * agrees with resource creation (a texture when it can be read or written,
 * a typed buffer likewise), refusals of unknown values and NULLs, the same
 * answers from several threads, and a forked child refused. */
#include "harness.h"

#include "core/internal.h"

#include "platform/platform.h"
#ifndef CS_PLATFORM_WINDOWS
#include <sys/wait.h>
#include <unistd.h>
#endif

static cs_instance *instance;
static cs_device *device;

static const cs_format listed[] = {
#define LISTED(name, value, ...) value,
    CS_FORMAT_LIST(LISTED)
#undef LISTED
};
#define LISTED_COUNT (sizeof listed / sizeof listed[0])

static const uint32_t every_bit =
    CS_FORMAT_SUPPORT_TEXTURE_SRV | CS_FORMAT_SUPPORT_TEXTURE_UAV |
    CS_FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR | CS_FORMAT_SUPPORT_BUFFER_SRV |
    CS_FORMAT_SUPPORT_BUFFER_UAV;

static bool is_listed(uint32_t value)
{
    for (size_t i = 0; i < LISTED_COUNT; i++) {
        if (listed[i] == value)
            return true;
    }
    return false;
}

static void test_every_format_answers(void)
{
    uint32_t full = 0;
    for (size_t i = 0; i < LISTED_COUNT; i++) {
        uint32_t support = 0xdeadbeef;
        CHECK_OK_OR_RETURN(
            cs_device_format_support(device, listed[i], &support));
        CHECK((support & ~every_bit) == 0);
        if (support & CS_FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR) {
            CHECK(support & CS_FORMAT_SUPPORT_TEXTURE_SRV);
            CHECK(cs_format_component_type(listed[i]) == CS_COMPONENT_FLOAT);
        }
        full += support == every_bit ||
                support == (every_bit &
                            ~(uint32_t)CS_FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR);
    }
    CHECK(full > 0); /* R32_UINT, R8G8B8A8_UNORM... on every backend */
    uint32_t support = 0;
    CHECK_OK(cs_device_format_support(device, CS_FORMAT_R32_FLOAT, &support));
    CHECK(support & CS_FORMAT_SUPPORT_TEXTURE_SRV);
    CHECK(support & CS_FORMAT_SUPPORT_TEXTURE_UAV);
}

static void test_unknown_values_and_nulls_are_refused(void)
{
    for (uint32_t value = 0; value < 1024; value++) {
        if (is_listed(value))
            continue;
        uint32_t support = 0xdeadbeef;
        CHECK_FAILS(cs_device_format_support(device, value, &support),
                    CS_ERROR_INVALID_ARGUMENT, "invalid format");
        CHECK(support == 0);
    }
    CHECK_FAILS(cs_device_format_support(device, 0xffffffffu, &(uint32_t){0}),
                CS_ERROR_INVALID_ARGUMENT,
                "invalid format 4294967295: expected one of "
                "compushady.formats");
    uint32_t support;
    CHECK_FAILS(cs_device_format_support(NULL, CS_FORMAT_R32_UINT, &support),
                CS_ERROR_INVALID_ARGUMENT, "must not be NULL");
    CHECK_FAILS(cs_device_format_support(device, CS_FORMAT_R32_UINT, NULL),
                CS_ERROR_INVALID_ARGUMENT, "must not be NULL");
}

/* creates one resource of format: whether that worked; a refusal must
 * name the format and the query */
static bool creates(cs_resource_kind kind, cs_format format)
{
    cs_resource_desc desc = {
        .kind = kind,
        .heap_type = CS_HEAP_DEFAULT,
        .format = format,
        .size = 64,
        .width = 4,
        .height = 2,
        .depth = 1,
    };
    cs_resource *resource = NULL;
    cs_status status = cs_resource_create(device, &desc, &resource);
    if (status == CS_OK) {
        cs_resource_release(resource);
        return true;
    }
    CHECK(status == CS_ERROR_UNSUPPORTED);
    const char *message = cs_last_error();
    CHECK(strstr(message, cs_format_name(format)) != NULL);
    CHECK(strstr(message, "cs_device_format_support") != NULL);
    CHECK(strstr(message, "neither read-only") != NULL);
    return false;
}

static void test_creation_agrees(void)
{
    const uint32_t texture =
        CS_FORMAT_SUPPORT_TEXTURE_SRV | CS_FORMAT_SUPPORT_TEXTURE_UAV;
    const uint32_t buffer =
        CS_FORMAT_SUPPORT_BUFFER_SRV | CS_FORMAT_SUPPORT_BUFFER_UAV;
    for (size_t i = 0; i < LISTED_COUNT; i++) {
        uint32_t support = 0;
        CHECK_OK_OR_RETURN(
            cs_device_format_support(device, listed[i], &support));
        CHECK(creates(CS_RESOURCE_TEXTURE2D, listed[i]) ==
              ((support & texture) != 0));
        CHECK(creates(CS_RESOURCE_BUFFER, listed[i]) ==
              ((support & buffer) != 0));
        CHECK(harness_take_messages(device) == 0);
    }
}

typedef struct asker {
    cs_thread thread;
    uint32_t answers[LISTED_COUNT];
    bool ok;
} asker;

static int ask_all(void *arg)
{
    asker *self = arg;
    self->ok = true;
    for (int round = 0; round < 50; round++) {
        for (size_t i = 0; i < LISTED_COUNT; i++) {
            uint32_t support = 0;
            if (cs_device_format_support(device, listed[i], &support) !=
                    CS_OK ||
                (round && support != self->answers[i]))
                self->ok = false;
            self->answers[i] = support;
        }
    }
    return 0;
}

static void test_threads_get_the_same_answers(void)
{
    asker askers[4];
    for (int i = 0; i < 4; i++)
        CHECK_OR_RETURN(
            cs_thread_create(&askers[i].thread, ask_all, &askers[i], 0));
    for (int i = 0; i < 4; i++)
        CHECK(cs_thread_join(askers[i].thread, NULL));
    for (int i = 0; i < 4; i++) {
        CHECK(askers[i].ok);
        CHECK(memcmp(askers[i].answers, askers[0].answers,
                     sizeof askers[0].answers) == 0);
    }
}

static void test_forked_child_is_refused(void)
{
#ifdef CS_PLATFORM_WINDOWS
    harness_skip("Windows has no fork()");
#else
    fflush(NULL);
    pid_t child = fork();
    CHECK_OR_RETURN(child >= 0);
    if (child == 0) {
        uint32_t support = 0;
        cs_status status =
            cs_device_format_support(device, CS_FORMAT_R32_UINT, &support);
        _exit(status == CS_ERROR_BACKEND &&
                      strstr(cs_last_error(), "inherited through fork()")
                  ? 0
                  : 1);
    }
    int wait_status = 0;
    CHECK_OR_RETURN(waitpid(child, &wait_status, 0) == child);
    CHECK(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0);
#endif
}

int main(void)
{
    harness_pin_vulkan_libraries();
    if (!harness_open_device(&instance, &device))
        return 1;
    const test_case tests[] = {
        {"every_format_answers", test_every_format_answers},
        {"unknown_values_and_nulls_are_refused",
         test_unknown_values_and_nulls_are_refused},
        {"creation_agrees", test_creation_agrees},
        {"threads_get_the_same_answers", test_threads_get_the_same_answers},
        {"forked_child_is_refused", test_forked_child_is_refused},
    };
    HARNESS_RUN_TESTS(tests, device);
    cs_instance_release(instance);
    return harness_finish();
}
