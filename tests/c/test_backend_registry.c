/*
 * test_backend_registry.c - the backends compiled in (backend_registry.c,
 * from src/backends/backends.def), instances by backend name, and the
 * "not supported by the <name> backend" answer of an entry a backend
 * leaves NULL (fork.c's guarded table).
 */
#include "harness.h"

#include "core/backend.h"

static cs_instance *instance;
static cs_device *device;

static void test_names_of_the_backends_compiled_in(void)
{
    size_t count = cs_backend_count();
    CHECK_OR_RETURN(count >= 1);
    CHECK(cs_backend_name(count) == NULL);
    CHECK(cs_backend_name((size_t)-1) == NULL);
    for (size_t i = 0; i < count; i++) {
        const char *name = cs_backend_name(i);
        CHECK_OR_RETURN(name && *name);
        const cs_backend *found = NULL;
        CHECK_OK(cs_backend_find(name, &found));
        CHECK(found == cs_backend_registered(i));
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(name, cs_backend_name(j)) != 0);
    }
    /* NULL and "" are the first, the default */
    const cs_backend *first = NULL;
    CHECK_OK(cs_backend_find(NULL, &first));
    CHECK(first == cs_backend_registered(0));
    CHECK_OK(cs_backend_find("", &first));
    CHECK(first == cs_backend_registered(0));
    CHECK(strcmp(cs_instance_backend_name(instance), harness_backend_name()) ==
          0);
}

/* every name compiled in starts an instance of that backend */
static void test_instance_of_each_named_backend(void)
{
    for (size_t i = 0; i < cs_backend_count(); i++) {
        cs_instance_desc desc = {.backend = cs_backend_name(i)};
        cs_instance *named = NULL;
        cs_status status = cs_instance_create(&desc, &named);
        if (status == CS_ERROR_NO_DEVICE) { /* its driver is not here */
            CHECK(named == NULL);
            continue;
        }
        CHECK_OK_OR_RETURN(status);
        CHECK(strcmp(cs_instance_backend_name(named), cs_backend_name(i)) == 0);
        cs_instance_release(named);
    }
}

/* an unknown name fails, listing every backend compiled in */
static void test_unknown_name_lists_the_backends(void)
{
    static const char *const unknown[] = {"metal", "VULKAN", "vulkan ", "d3d12",
                                          "../vulkan"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        cs_instance_desc desc = {.backend = unknown[i]};
        cs_instance *never = NULL;
        CHECK_FAILS(cs_instance_create(&desc, &never),
                    CS_ERROR_INVALID_ARGUMENT, "unknown backend");
        CHECK(never == NULL);
        CHECK(strstr(cs_last_error(), unknown[i]) != NULL);
        for (size_t j = 0; j < cs_backend_count(); j++) {
            char quoted[64];
            snprintf(quoted, sizeof quoted, "'%s'", cs_backend_name(j));
            CHECK(strstr(cs_last_error(), quoted) != NULL);
        }
    }
}

/* An entry a backend leaves NULL: the call fails with CS_ERROR_UNSUPPORTED
 * naming the capability and the backend; nothing is left behind. The
 * instance's own table is swapped for a copy without samplers. */
static void test_missing_entry_is_not_supported(void)
{
    const cs_backend *own = instance->own_backend;
    cs_backend without_samplers = *own;
    without_samplers.sampler_create = NULL;
    without_samplers.sampler_destroy = NULL;
    instance->own_backend = &without_samplers;
    cs_sampler *sampler = NULL;
    char expected[128];
    snprintf(expected, sizeof expected,
             "samplers: not supported by the %s backend", own->name);
    CHECK_FAILS(cs_sampler_create(device, NULL, &sampler), CS_ERROR_UNSUPPORTED,
                expected);
    CHECK(sampler == NULL);
    /* a backend without swapchains: refused before any window is touched */
    without_samplers.swapchain_create = NULL;
    static int display; /* never used: the entry is missing */
    cs_swapchain_desc window = {.platform = CS_WINDOW_XLIB,
                                .display = &display,
                                .window = 1,
                                .format = CS_FORMAT_B8G8R8A8_UNORM};
    cs_swapchain *swapchain = NULL;
    snprintf(expected, sizeof expected,
             "presenting to windows (swapchains): not supported by the %s "
             "backend",
             own->name);
    CHECK_FAILS(cs_swapchain_create(device, &window, &swapchain),
                CS_ERROR_UNSUPPORTED, expected);
    CHECK(swapchain == NULL);
    instance->own_backend = own;
    CHECK_OK(cs_sampler_create(device, NULL, &sampler));
    cs_sampler_release(sampler);
}

int main(void)
{
    if (!harness_open_device(&instance, &device))
        return 1;
    const test_case tests[] = {
        {"names_of_the_backends_compiled_in",
         test_names_of_the_backends_compiled_in},
        {"instance_of_each_named_backend", test_instance_of_each_named_backend},
        {"unknown_name_lists_the_backends",
         test_unknown_name_lists_the_backends},
        {"missing_entry_is_not_supported", test_missing_entry_is_not_supported},
    };
    HARNESS_RUN_TESTS(tests, device);
    cs_instance_release(instance);
    return harness_finish();
}
