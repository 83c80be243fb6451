/*
 * test_loader.c - Vulkan opened at run time (vk_loader.c): a missing or
 * wrong loader, a machine without a driver and debug mode without the
 * validation layer each give a status and a message saying what to do.
 * The loader is opened once per process, so each case runs in a child
 * process (fork) with its own environment.
 *
 * Built and run by `make test-c`. Prints "N passed, M failed".
 */
#include "harness.h"

#include <sys/wait.h>
#include <unistd.h>

/* The instance creation of a child fails with status and a message holding
 * every text (NULL-terminated). */
static void check_create_fails(cs_status status, const char *const *texts)
{
    for (int attempt = 0; attempt < 2; attempt++) { /* the same, later too */
        cs_instance *instance = NULL;
        cs_instance_desc vulkan = {.backend = "vulkan"};
        cs_status got = cs_instance_create(&vulkan, &instance);
        CHECK(got == status);
        CHECK(instance == NULL || got == CS_OK);
        for (size_t i = 0; texts[i]; i++) {
            if (!strstr(cs_last_error(), texts[i])) {
                fprintf(stderr, "message lacks \"%s\": %s\n", texts[i],
                        cs_last_error());
                CHECK(!"the message names what to do");
            }
        }
        if (got == CS_OK)
            cs_instance_release(instance);
    }
}

static void missing_loader(void)
{
    setenv("COMPUSHADY_VULKAN_LIBRARY", "/nonexistent/libvulkan.so.1", 1);
    const char *texts[] = {"cannot load the Vulkan loader "
                           "/nonexistent/libvulkan.so.1",
                           "apt-get install libvulkan1 mesa-vulkan-drivers",
                           "COMPUSHADY_VULKAN_LIBRARY", NULL};
    check_create_fails(CS_ERROR_NO_DEVICE, texts);
}

static void not_a_loader(void)
{
    /* a library without the Vulkan commands stands for a loader too old */
    setenv("COMPUSHADY_VULKAN_LIBRARY", "libm.so.6", 1);
    const char *texts[] = {"the Vulkan loader libm.so.6 is older than "
                           "Vulkan 1.2 (it has no vkCreateInstance)",
                           "apt-get install libvulkan1", NULL};
    check_create_fails(CS_ERROR_NO_DEVICE, texts);
}

static void no_driver(void)
{
    /* VK_DRIVER_FILES for loaders >= 1.3.234, VK_ICD_FILENAMES before */
    setenv("VK_DRIVER_FILES", "/nonexistent/icd.json", 1);
    setenv("VK_ICD_FILENAMES", "/nonexistent/icd.json", 1);
    const char *texts[] = {"no Vulkan driver was found",
                           "apt-get install mesa-vulkan-drivers",
                           "VK_ERROR_INCOMPATIBLE_DRIVER", NULL};
    check_create_fails(CS_ERROR_NO_DEVICE, texts);
}

static bool debug_enabled_with(uint32_t flags)
{
    cs_instance_desc desc = {.flags = flags, .backend = "vulkan"};
    cs_instance *instance = NULL;
    if (cs_instance_create(&desc, &instance) != CS_OK) {
        CHECK(!"cs_instance_create");
        return false;
    }
    bool enabled = cs_instance_debug_enabled(instance);
    cs_instance_release(instance);
    return enabled;
}

static void debug_with_and_without_layer(void)
{
    CHECK(debug_enabled_with(CS_INSTANCE_DEBUG)); /* the layer is installed */
    CHECK(!debug_enabled_with(0));
    CHECK(!cs_instance_debug_enabled(NULL));
    char empty[] = "/tmp/compushady-no-layers.XXXXXX";
    if (!mkdtemp(empty)) {
        CHECK(!"mkdtemp");
        return;
    }
    setenv("VK_LAYER_PATH", empty, 1); /* the layer is not found */
    CHECK(!debug_enabled_with(CS_INSTANCE_DEBUG));
    rmdir(empty);
}

/* Runs a case in a child; a test fails with any failed check there. */
static void run_in_child(const char *name, void (*run)(void))
{
    const char *only = getenv("CS_TEST_ONLY");
    if (only && strcmp(only, name) != 0)
        return;
    fflush(NULL);
    pid_t child = fork();
    if (child == 0) {
        run();
        fflush(NULL);
        _exit(atomic_load(&check_failures) == 0 ? 0 : 1);
    }
    int status = 0;
    bool ok = child > 0 && waitpid(child, &status, 0) == child &&
              WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL %s\n", name);
    }
}

int main(void)
{
    harness_require_backend("vulkan");
    run_in_child("missing_loader", missing_loader);
    run_in_child("not_a_loader", not_a_loader);
    run_in_child("no_driver", no_driver);
    run_in_child("debug_with_and_without_layer", debug_with_and_without_layer);
    return harness_finish();
}
