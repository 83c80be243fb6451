/* vk_loader.c - opens the Vulkan loader (libvulkan.so.1, vulkan-1.dll on
 * Windows) at run time and
 * fills the function pointers of vk_loader.h, so that the library and the
 * Python extension need no libvulkan at build or link time, and a machine
 * without Vulkan gets an error saying what to install instead of a failed
 * import. */
#include "vk_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CS_VK_DEFINE_POINTER(name) PFN_##name cs_##name;
CS_VK_FUNCTIONS(CS_VK_DEFINE_POINTER)

static const char install_hint[] =
#ifdef CS_PLATFORM_WINDOWS
    "install a GPU driver with Vulkan (it installs vulkan-1.dll) or the "
    "Vulkan Runtime of the LunarG Vulkan SDK, or set "
    "COMPUSHADY_VULKAN_LIBRARY to the loader's path";
#else
    "install the Vulkan loader and a driver (Debian/Ubuntu: apt-get install "
    "libvulkan1 mesa-vulkan-drivers; Fedora: dnf install vulkan-loader "
    "mesa-vulkan-drivers; Arch: pacman -S vulkan-icd-loader vulkan-swrast), "
    "or set COMPUSHADY_VULKAN_LIBRARY to the loader's path";
#endif

static const char driver_hint[] =
    "no Vulkan driver was found: install one (Debian/Ubuntu: apt-get install "
    "mesa-vulkan-drivers, which has lavapipe for the CPU and drivers for "
    "AMD and Intel GPUs; for NVIDIA, the NVIDIA driver) and check with "
    "'vulkaninfo --summary'";

static cs_once load_once = CS_ONCE_INIT;
static cs_status load_status;
static char load_error[1024]; /* the failure's message, for every caller */

#ifdef CS_PLATFORM_WINDOWS
#define VULKAN_LOADER_NAME "vulkan-1.dll"
#else
#define VULKAN_LOADER_NAME "libvulkan.so.1"
#endif

/* The loader exports every command of the list (see vk_loader.h), so dlsym
 * gives what linking libvulkan would have bound: the loader's dispatching
 * entry points, valid for every instance and device. */
static void load(void)
{
    const char *path = getenv("COMPUSHADY_VULKAN_LIBRARY");
    if (!path || !*path)
        path = VULKAN_LOADER_NAME;
    char reason[512] = "not found";
    void *library = cs_library_open(path, reason, sizeof reason);
    if (!library) {
        load_status = CS_ERROR_NO_DEVICE;
        snprintf(load_error, sizeof load_error,
                 "cannot load the Vulkan loader %s (%s): %s", path, reason,
                 install_hint);
        return;
    }
    const char *missing = NULL;
#define CS_VK_LOAD_POINTER(name)                                               \
    cs_##name = (PFN_##name)cs_library_symbol(library, #name);                 \
    if (!cs_##name && !missing)                                                \
        missing = #name;
    CS_VK_FUNCTIONS(CS_VK_LOAD_POINTER)
#undef CS_VK_LOAD_POINTER
    if (missing) {
        /* kept open: the pointers found are harmless, and closing a
         * library whose constructors ran is not always safe */
        load_status = CS_ERROR_NO_DEVICE;
        snprintf(load_error, sizeof load_error,
                 "the Vulkan loader %s is older than Vulkan 1.2 (it has no "
                 "%s): %s",
                 path, missing, install_hint);
        return;
    }
    load_status = CS_OK; /* the library stays loaded until the process ends */
}

cs_status vk_loader_load(void)
{
    cs_call_once(&load_once, load);
    if (load_status != CS_OK)
        return cs_fail(load_status, "%s", load_error);
    return CS_OK;
}

cs_status vk_instance_create(cs_instance *instance)
{
    cs_status status = vk_loader_load();
    if (status != CS_OK)
        return status;
    status = vk_instance_open(instance);
    if (status == CS_ERROR_NO_DEVICE) {
        /* VK_ERROR_INCOMPATIBLE_DRIVER: the loader found no driver (none
         * installed, or VK_DRIVER_FILES/VK_ICD_FILENAMES point nowhere) */
        char cause[1024];
        snprintf(cause, sizeof cause, "%s", cs_last_error());
        return cs_fail(status, "%s (%s)", driver_hint, cause);
    }
    if (status != CS_OK)
        return status;
    /* Debug mode without the validation layer runs without it (see
     * create_vk_instance): the flag tells the caller it was not honoured. */
    const vk_instance *vki = instance->impl;
    if (vki && vki->messenger == VK_NULL_HANDLE)
        instance->flags &= ~(uint32_t)CS_INSTANCE_DEBUG;
    return CS_OK;
}
