/* vk_swapchain.c - presenting to X11 (Xlib) and Wayland windows: the
 * VkSurfaceKHR, the VkSwapchainKHR (FIFO), and present = acquire, clear,
 * copy or blit the texture at (x, y), present, wait.
 *
 * The surface entry points are loaded with vkGetInstanceProcAddr, so the
 * library links neither libX11 nor libwayland-client; only the Xlib types
 * of the header are needed at build time.
 *
 * Synchronization of one present: the acquire semaphore is waited by the
 * submit at the TRANSFER stage (the image's layout transition is chained to
 * it), the submit signals the image's own render-finished semaphore (one per
 * image: a semaphore a present waits on is free again only once that image
 * is acquired again) and the fence, which is waited for before returning;
 * so one command buffer, one fence and one acquire semaphore suffice. A
 * global barrier makes earlier submissions' writes of the texture visible to
 * the copy. Recreating (window resized, VK_ERROR_OUT_OF_DATE_KHR or
 * VK_SUBOPTIMAL_KHR) waits for the queue to be idle first: without
 * VK_EXT_swapchain_maintenance1 that is the only way to know the presents
 * are done with their semaphores. */
#include "vk_internal.h"

#ifdef CS_PLATFORM_WINDOWS
/* the names, for messages: vulkan_xlib.h needs Xlib's headers */
#define VK_KHR_XLIB_SURFACE_EXTENSION_NAME "VK_KHR_xlib_surface"
#define VK_KHR_WAYLAND_SURFACE_EXTENSION_NAME "VK_KHR_wayland_surface"
#else
#include <X11/Xlib.h>
#include <vulkan/vulkan_wayland.h>
#include <vulkan/vulkan_xlib.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct vk_swapchain {
    VkSurfaceKHR surface;
    VkSwapchainKHR swapchain; /* VK_NULL_HANDLE while the window has no area */
    VkFormat format;
    VkColorSpaceKHR color_space;
    VkExtent2D extent;
    uint32_t image_count;
    VkImage *images;
    VkSemaphore *render_done; /* one per image */
    VkCommandPool pool;
    VkCommandBuffer commands;
    VkFence fence;
    VkSemaphore acquired;
    bool recreate; /* suboptimal or out of date at the last present */
    bool built;    /* build() succeeded once: later ones are recreations */
    bool can_blit; /* the queue family has VK_QUEUE_GRAPHICS_BIT */
} vk_swapchain;

static const char *surface_result_name(VkResult result)
{
    switch (result) {
    case VK_ERROR_SURFACE_LOST_KHR: return "VK_ERROR_SURFACE_LOST_KHR";
    case VK_ERROR_NATIVE_WINDOW_IN_USE_KHR:
        return "VK_ERROR_NATIVE_WINDOW_IN_USE_KHR";
    case VK_ERROR_OUT_OF_DATE_KHR: return "VK_ERROR_OUT_OF_DATE_KHR";
    case VK_SUBOPTIMAL_KHR: return "VK_SUBOPTIMAL_KHR";
    default: return NULL;
    }
}

/* vk_fail, knowing the results of the surface extensions too. */
static cs_status swapchain_fail(vk_device *dev, VkResult result,
                                const char *call, const char *what)
{
    const char *name = surface_result_name(result);
    if (name)
        return cs_fail(CS_ERROR_BACKEND, "%s failed: %s (while %s)", call, name,
                       what);
    return vk_fail(dev, result, call, "%s", what);
}

static void lock_queue_and_wait_idle(vk_device *dev)
{
    cs_mutex_lock(&dev->queue_lock);
    vkQueueWaitIdle(dev->queue);
    cs_mutex_unlock(&dev->queue_lock);
}

static void destroy_images(vk_device *dev, vk_swapchain *sc)
{
    if (sc->render_done) {
        for (uint32_t i = 0; i < sc->image_count; i++) {
            if (sc->render_done[i] != VK_NULL_HANDLE)
                vkDestroySemaphore(dev->device, sc->render_done[i], NULL);
        }
    }
    free(sc->render_done);
    free(sc->images);
    sc->render_done = NULL;
    sc->images = NULL;
    sc->image_count = 0;
}

static void destroy_swapchain(vk_device *dev, vk_instance *vki,
                              vk_swapchain *sc)
{
    destroy_images(dev, sc);
    if (sc->swapchain != VK_NULL_HANDLE)
        vkDestroySwapchainKHR(dev->device, sc->swapchain, NULL);
    if (sc->acquired != VK_NULL_HANDLE)
        vkDestroySemaphore(dev->device, sc->acquired, NULL);
    if (sc->fence != VK_NULL_HANDLE)
        vkDestroyFence(dev->device, sc->fence, NULL);
    if (sc->pool != VK_NULL_HANDLE)
        vkDestroyCommandPool(dev->device, sc->pool, NULL);
    if (sc->surface != VK_NULL_HANDLE)
        vkDestroySurfaceKHR(vki->instance, sc->surface, NULL);
    free(sc);
}

/* VkWin32SurfaceCreateInfoKHR of vulkan_win32.h, which needs <windows.h>:
 * HINSTANCE and HWND are pointers. */
typedef struct win32_surface_info {
    VkStructureType sType;
    const void *pNext;
    VkFlags flags;
    void *hinstance;
    void *hwnd;
} win32_surface_info;

static VkResult create_win32_surface(vk_instance *vki,
                                     const cs_swapchain_desc *desc,
                                     VkSurfaceKHR *out_surface)
{
    typedef VkResult(VKAPI_PTR *
                     create_fn)(VkInstance, const win32_surface_info *,
                                const VkAllocationCallbacks *, VkSurfaceKHR *);
    create_fn create = (create_fn)vkGetInstanceProcAddr(
        vki->instance, "vkCreateWin32SurfaceKHR");
    win32_surface_info info = {
        .sType = VK_STRUCTURE_TYPE_WIN32_SURFACE_CREATE_INFO_KHR,
        .hinstance = desc->display ? desc->display : cs_program_instance(),
        .hwnd = (void *)(uintptr_t)desc->window,
    };
    return create ? create(vki->instance, &info, NULL, out_surface)
                  : VK_ERROR_EXTENSION_NOT_PRESENT;
}

static cs_status create_surface(vk_instance *vki, vk_device *dev,
                                const cs_swapchain_desc *desc,
                                VkSurfaceKHR *out_surface)
{
    bool xlib = desc->platform == CS_WINDOW_XLIB;
    bool win32 = desc->platform == CS_WINDOW_WIN32;
    const char *extension = xlib    ? VK_KHR_XLIB_SURFACE_EXTENSION_NAME
                            : win32 ? "VK_KHR_win32_surface"
                                    : VK_KHR_WAYLAND_SURFACE_EXTENSION_NAME;
    if (!xlib && !win32 && vki->surface && !vki->wayland_surface &&
        !getenv("WAYLAND_DISPLAY"))
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "cannot present to Wayland windows: %s is enabled "
                       "only when WAYLAND_DISPLAY is set as the instance is "
                       "created (a Wayland session)",
                       extension);
    bool offered = xlib    ? vki->xlib_surface
                   : win32 ? vki->win32_surface
                           : vki->wayland_surface;
    if (!vki->surface || !offered)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "cannot present to %s windows: the Vulkan loader and "
                       "drivers do not offer the instance extension%s %s%s%s",
                       xlib    ? "X11"
                       : win32 ? "Win32"
                               : "Wayland",
                       vki->surface ? "" : "s",
                       vki->surface ? "" : VK_KHR_SURFACE_EXTENSION_NAME,
                       vki->surface ? "" : " and ", extension);
    if (!dev->swapchain_extension)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "cannot present with device \"%s\": it does not "
                       "support the device extension %s",
                       dev->properties.deviceName,
                       VK_KHR_SWAPCHAIN_EXTENSION_NAME);
    cs_status checked = vk_check_window_handles(desc);
    if (checked != CS_OK)
        return checked;
    VkResult result;
    const char *call;
    if (win32) {
        result = create_win32_surface(vki, desc, out_surface);
        if (result != VK_SUCCESS)
            return swapchain_fail(dev, result, "vkCreateWin32SurfaceKHR",
                                  "creating a window surface");
        return CS_OK;
    }
#ifdef CS_PLATFORM_WINDOWS
    /* unreachable: the loader offers no X11 or Wayland surfaces there */
    (void)out_surface;
    call = xlib ? "vkCreateXlibSurfaceKHR" : "vkCreateWaylandSurfaceKHR";
    result = VK_ERROR_EXTENSION_NOT_PRESENT;
#else
    if (xlib) {
        call = "vkCreateXlibSurfaceKHR";
        PFN_vkCreateXlibSurfaceKHR create =
            (PFN_vkCreateXlibSurfaceKHR)vkGetInstanceProcAddr(vki->instance,
                                                              call);
        VkXlibSurfaceCreateInfoKHR info = {
            .sType = VK_STRUCTURE_TYPE_XLIB_SURFACE_CREATE_INFO_KHR,
            .dpy = (Display *)desc->display,
            .window = (Window)desc->window,
        };
        result = create ? create(vki->instance, &info, NULL, out_surface)
                        : VK_ERROR_EXTENSION_NOT_PRESENT;
    } else {
        call = "vkCreateWaylandSurfaceKHR";
        PFN_vkCreateWaylandSurfaceKHR create =
            (PFN_vkCreateWaylandSurfaceKHR)vkGetInstanceProcAddr(vki->instance,
                                                                 call);
        VkWaylandSurfaceCreateInfoKHR info = {
            .sType = VK_STRUCTURE_TYPE_WAYLAND_SURFACE_CREATE_INFO_KHR,
            .display = (struct wl_display *)desc->display,
            .surface = (struct wl_surface *)(uintptr_t)desc->window,
        };
        result = create ? create(vki->instance, &info, NULL, out_surface)
                        : VK_ERROR_EXTENSION_NOT_PRESENT;
    }
#endif
    if (result != VK_SUCCESS)
        return swapchain_fail(dev, result, call, "creating a window surface");
    return CS_OK;
}

/* The cs_format whose VkFormat is `format`, for messages. */
static const char *format_name_of(VkFormat format, char *buffer, size_t size)
{
    for (cs_format f = 1; f < 256; f++) {
        if (vk_format_from_cs(f) == format && cs_format_name(f)) {
            snprintf(buffer, size, "%s (%u)", cs_format_name(f), (unsigned)f);
            return buffer;
        }
    }
    snprintf(buffer, size, "VkFormat %d", (int)format);
    return buffer;
}

static cs_status choose_format(vk_device *dev, vk_swapchain *sc,
                               cs_format wanted)
{
    const char *wanted_name = cs_format_name(wanted);
    VkFormat format = vk_format_from_cs(wanted);
    uint32_t count = 0;
    VkResult result = vkGetPhysicalDeviceSurfaceFormatsKHR(
        dev->physical, sc->surface, &count, NULL);
    VkSurfaceFormatKHR *formats =
        result == VK_SUCCESS ? calloc(count ? count : 1, sizeof *formats)
                             : NULL;
    if (result == VK_SUCCESS && !formats)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory creating a swapchain");
    if (result == VK_SUCCESS)
        result = vkGetPhysicalDeviceSurfaceFormatsKHR(
            dev->physical, sc->surface, &count, formats);
    if (result != VK_SUCCESS && result != VK_INCOMPLETE) {
        free(formats);
        return swapchain_fail(dev, result,
                              "vkGetPhysicalDeviceSurfaceFormatsKHR",
                              "listing the window's formats");
    }
    for (uint32_t i = 0; i < count && format != VK_FORMAT_UNDEFINED; i++) {
        if (formats[i].format == format) {
            sc->format = format;
            sc->color_space = formats[i].colorSpace;
            free(formats);
            return CS_OK;
        }
    }
    char list[512] = "";
    size_t used = 0;
    for (uint32_t i = 0; i < count && used < sizeof list; i++) {
        char name[64];
        int n =
            snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
                     format_name_of(formats[i].format, name, sizeof name));
        if (n < 0)
            break;
        used += (size_t)n;
    }
    free(formats);
    return cs_fail(CS_ERROR_UNSUPPORTED,
                   "format %s (%u) is not supported by this window on device "
                   "\"%s\"; its formats: %s",
                   wanted_name ? wanted_name : "?", (unsigned)wanted,
                   dev->properties.deviceName, count ? list : "none");
}

static cs_status create_sync(vk_device *dev, vk_swapchain *sc)
{
    VkCommandPoolCreateInfo pool_info = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
        .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
        .queueFamilyIndex = dev->queue_family,
    };
    const char *call = "vkCreateCommandPool";
    VkResult result =
        vkCreateCommandPool(dev->device, &pool_info, NULL, &sc->pool);
    if (result == VK_SUCCESS) {
        VkCommandBufferAllocateInfo buffer_info = {
            .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
            .commandPool = sc->pool,
            .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
            .commandBufferCount = 1,
        };
        call = "vkAllocateCommandBuffers";
        result =
            vkAllocateCommandBuffers(dev->device, &buffer_info, &sc->commands);
    }
    if (result == VK_SUCCESS) {
        VkFenceCreateInfo fence_info = {
            .sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO,
        };
        call = "vkCreateFence";
        result = vkCreateFence(dev->device, &fence_info, NULL, &sc->fence);
    }
    if (result == VK_SUCCESS) {
        VkSemaphoreCreateInfo semaphore_info = {
            .sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO,
        };
        call = "vkCreateSemaphore";
        result = vkCreateSemaphore(dev->device, &semaphore_info, NULL,
                                   &sc->acquired);
    }
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, call, "creating a swapchain");
    return CS_OK;
}

static const VkPresentModeKHR vk_present_modes[] = {
    [CS_PRESENT_MODE_FIFO] = VK_PRESENT_MODE_FIFO_KHR,
    [CS_PRESENT_MODE_MAILBOX] = VK_PRESENT_MODE_MAILBOX_KHR,
    [CS_PRESENT_MODE_IMMEDIATE] = VK_PRESENT_MODE_IMMEDIATE_KHR,
};
static const char *const present_mode_names[] = {"FIFO", "MAILBOX",
                                                 "IMMEDIATE"};
enum { PRESENT_MODE_COUNT = 3 };

/* The surface's present modes as bits (1u << cs_present_mode); fails when
 * the asked one is not among them, naming those that are. */
static cs_status choose_present_mode(cs_swapchain *swapchain, vk_device *dev,
                                     const vk_swapchain *sc)
{
    uint32_t count = 0;
    VkResult result = vkGetPhysicalDeviceSurfacePresentModesKHR(
        dev->physical, sc->surface, &count, NULL);
    VkPresentModeKHR *modes = NULL;
    if (result == VK_SUCCESS) {
        modes = calloc(count ? count : 1, sizeof *modes);
        if (!modes)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "out of host memory creating a swapchain");
        result = vkGetPhysicalDeviceSurfacePresentModesKHR(
            dev->physical, sc->surface, &count, modes);
    }
    if (result != VK_SUCCESS && result != VK_INCOMPLETE) {
        free(modes);
        return swapchain_fail(dev, result,
                              "vkGetPhysicalDeviceSurfacePresentModesKHR",
                              "reading the window's present modes");
    }
    uint32_t offered = 1u << CS_PRESENT_MODE_FIFO; /* always, by the spec */
    for (uint32_t i = 0; i < count; i++) {
        for (uint32_t mode = 0; mode < PRESENT_MODE_COUNT; mode++) {
            if (modes[i] == vk_present_modes[mode])
                offered |= 1u << mode;
        }
    }
    free(modes);
    swapchain->present_modes = offered;
    cs_present_mode wanted = swapchain->desc.present_mode;
    if (offered & (1u << wanted))
        return CS_OK;
    char names[64] = "";
    for (uint32_t mode = 0; mode < PRESENT_MODE_COUNT; mode++) {
        if (offered & (1u << mode)) {
            size_t used = strlen(names);
            snprintf(names + used, sizeof names - used, "%s%s",
                     used ? ", " : "", present_mode_names[mode]);
        }
    }
    return cs_fail(CS_ERROR_UNSUPPORTED,
                   "present mode %s is not offered for this window by device "
                   "\"%s\"; its modes: %s",
                   present_mode_names[wanted], dev->properties.deviceName,
                   names);
}

static uint32_t clamp_u32(uint32_t value, uint32_t low, uint32_t high)
{
    return value < low ? low : value > high ? high : value;
}

static void count_build(cs_swapchain *swapchain, vk_swapchain *sc)
{
    if (sc->built)
        atomic_fetch_add(&swapchain->recreate_count, 1);
    sc->built = true;
}

/* (Re)creates the VkSwapchainKHR for the window's current size; leaves none
 * (CS_OK) while the window has no area. The old one, if any, must be idle. */
static cs_status build(cs_swapchain *swapchain, vk_device *dev,
                       vk_swapchain *sc)
{
    const cs_swapchain_desc *desc = &swapchain->desc;
    VkSurfaceCapabilitiesKHR caps;
    VkResult result = vkGetPhysicalDeviceSurfaceCapabilitiesKHR(
        dev->physical, sc->surface, &caps);
    if (result != VK_SUCCESS)
        return swapchain_fail(dev, result,
                              "vkGetPhysicalDeviceSurfaceCapabilitiesKHR",
                              "reading the window's size");
    if (!(caps.supportedUsageFlags & VK_IMAGE_USAGE_TRANSFER_DST_BIT))
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "the window's swapchain images cannot be copied to "
                       "(no VK_IMAGE_USAGE_TRANSFER_DST_BIT) on device "
                       "\"%s\"",
                       dev->properties.deviceName);
    VkExtent2D extent = caps.currentExtent;
    if (extent.width == UINT32_MAX) {
        /* the application chooses (Wayland) */
        if (desc->width == 0 || desc->height == 0)
            return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                           "the window system leaves the swapchain size to "
                           "the application: pass width and height");
        extent.width = clamp_u32(desc->width, caps.minImageExtent.width,
                                 caps.maxImageExtent.width);
        extent.height = clamp_u32(desc->height, caps.minImageExtent.height,
                                  caps.maxImageExtent.height);
    }
    VkSwapchainKHR old = sc->swapchain;
    destroy_images(dev, sc);
    if (extent.width == 0 || extent.height == 0) {
        if (old != VK_NULL_HANDLE)
            vkDestroySwapchainKHR(dev->device, old, NULL);
        sc->swapchain = VK_NULL_HANDLE;
        sc->extent = extent;
        atomic_store(&swapchain->width, 0);
        atomic_store(&swapchain->height, 0);
        count_build(swapchain, sc);
        return CS_OK;
    }
    uint32_t images =
        clamp_u32(desc->num_buffers, caps.minImageCount,
                  caps.maxImageCount ? caps.maxImageCount : UINT32_MAX);
    VkCompositeAlphaFlagBitsKHR alpha = VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR;
    if (!(caps.supportedCompositeAlpha & alpha)) {
        for (uint32_t bit = 1; bit <= caps.supportedCompositeAlpha; bit <<= 1) {
            if (caps.supportedCompositeAlpha & bit) {
                alpha = (VkCompositeAlphaFlagBitsKHR)bit;
                break;
            }
        }
    }
    VkSwapchainCreateInfoKHR info = {
        .sType = VK_STRUCTURE_TYPE_SWAPCHAIN_CREATE_INFO_KHR,
        .surface = sc->surface,
        .minImageCount = images,
        .imageFormat = sc->format,
        .imageColorSpace = sc->color_space,
        .imageExtent = extent,
        .imageArrayLayers = 1,
        .imageUsage = VK_IMAGE_USAGE_TRANSFER_DST_BIT,
        .imageSharingMode = VK_SHARING_MODE_EXCLUSIVE,
        .preTransform = caps.currentTransform,
        .compositeAlpha = alpha,
        .presentMode = vk_present_modes[desc->present_mode],
        .clipped = VK_TRUE,
        .oldSwapchain = old,
    };
    result = vkCreateSwapchainKHR(dev->device, &info, NULL, &sc->swapchain);
    if (old != VK_NULL_HANDLE)
        vkDestroySwapchainKHR(dev->device, old, NULL);
    if (result != VK_SUCCESS) {
        sc->swapchain = VK_NULL_HANDLE;
        return swapchain_fail(dev, result, "vkCreateSwapchainKHR",
                              "creating a swapchain");
    }
    uint32_t count = 0;
    result = vkGetSwapchainImagesKHR(dev->device, sc->swapchain, &count, NULL);
    if (result == VK_SUCCESS) {
        sc->images = calloc(count, sizeof *sc->images);
        sc->render_done = calloc(count, sizeof *sc->render_done);
        if (!sc->images || !sc->render_done) {
            destroy_images(dev, sc);
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "out of host memory creating a swapchain");
        }
        sc->image_count = count;
        result = vkGetSwapchainImagesKHR(dev->device, sc->swapchain, &count,
                                         sc->images);
    }
    VkSemaphoreCreateInfo semaphore_info = {
        .sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO,
    };
    for (uint32_t i = 0; i < sc->image_count && result == VK_SUCCESS; i++)
        result = vkCreateSemaphore(dev->device, &semaphore_info, NULL,
                                   &sc->render_done[i]);
    if (result != VK_SUCCESS) {
        destroy_images(dev, sc);
        return vk_fail(dev, result, "vkGetSwapchainImagesKHR",
                       "creating a swapchain");
    }
    sc->extent = extent;
    sc->recreate = false;
    atomic_store(&swapchain->width, extent.width);
    atomic_store(&swapchain->height, extent.height);
    count_build(swapchain, sc);
    return CS_OK;
}

static bool queue_can_blit(vk_device *dev)
{
    uint32_t count = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(dev->physical, &count, NULL);
    VkQueueFamilyProperties *families = calloc(count, sizeof *families);
    if (!families)
        return false;
    vkGetPhysicalDeviceQueueFamilyProperties(dev->physical, &count, families);
    bool graphics =
        dev->queue_family < count &&
        (families[dev->queue_family].queueFlags & VK_QUEUE_GRAPHICS_BIT);
    free(families);
    return graphics;
}

cs_status vk_swapchain_create(cs_swapchain *swapchain)
{
    vk_device *dev;
    cs_status status = vk_device_acquire(swapchain->device, &dev);
    if (status != CS_OK)
        return status;
    vk_instance *vki = swapchain->device->instance->impl;
    vk_swapchain *sc = calloc(1, sizeof *sc);
    if (!sc)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory creating a swapchain");
    status = create_surface(vki, dev, &swapchain->desc, &sc->surface);
    if (status == CS_OK) {
        VkBool32 supported = VK_FALSE;
        VkResult result = vkGetPhysicalDeviceSurfaceSupportKHR(
            dev->physical, dev->queue_family, sc->surface, &supported);
        if (result != VK_SUCCESS)
            status = swapchain_fail(dev, result,
                                    "vkGetPhysicalDeviceSurfaceSupportKHR",
                                    "checking that the device can present");
        else if (!supported)
            status = cs_fail(CS_ERROR_UNSUPPORTED,
                             "device \"%s\" cannot present to this window "
                             "from its queue family %u",
                             dev->properties.deviceName, dev->queue_family);
    }
    if (status == CS_OK)
        status = choose_format(dev, sc, swapchain->desc.format);
    if (status == CS_OK)
        status = choose_present_mode(swapchain, dev, sc);
    if (status == CS_OK)
        status = create_sync(dev, sc);
    if (status == CS_OK)
        status = build(swapchain, dev, sc);
    if (status != CS_OK) {
        destroy_swapchain(dev, vki, sc);
        return status;
    }
    sc->can_blit = queue_can_blit(dev);
    swapchain->impl = sc;
    return CS_OK;
}

void vk_swapchain_destroy(cs_swapchain *swapchain)
{
    vk_swapchain *sc = swapchain->impl;
    vk_device *dev = vk_device_of(swapchain->device);
    if (!sc)
        return;
    /* the presents must be done with the images and semaphores */
    lock_queue_and_wait_idle(dev);
    destroy_swapchain(dev, swapchain->device->instance->impl, sc);
    swapchain->impl = NULL;
}

typedef enum transfer_kind {
    TRANSFER_COPY, /* same format, or same texel size: bytes as they are */
    TRANSFER_BLIT, /* converted */
} transfer_kind;

static bool is_integer_format(cs_format format)
{
    const char *name = cs_format_name(format);
    return name && (strstr(name, "_UINT") || strstr(name, "_SINT"));
}

static cs_status choose_transfer(vk_device *dev, const vk_swapchain *sc,
                                 const cs_swapchain *swapchain,
                                 const cs_resource *texture,
                                 transfer_kind *out_kind)
{
    VkFormat from = vk_resource_of(texture)->format;
    if (from == sc->format) {
        *out_kind = TRANSFER_COPY;
        return CS_OK;
    }
    cs_format texture_format = texture->info.format;
    cs_format swapchain_format = swapchain->desc.format;
    VkFormatProperties src, dst;
    vkGetPhysicalDeviceFormatProperties(dev->physical, from, &src);
    vkGetPhysicalDeviceFormatProperties(dev->physical, sc->format, &dst);
    if (sc->can_blit &&
        (src.optimalTilingFeatures & VK_FORMAT_FEATURE_BLIT_SRC_BIT) &&
        (dst.optimalTilingFeatures & VK_FORMAT_FEATURE_BLIT_DST_BIT) &&
        is_integer_format(texture_format) ==
            is_integer_format(swapchain_format)) {
        *out_kind = TRANSFER_BLIT;
        return CS_OK;
    }
    if (cs_format_texel_size(texture_format) ==
        cs_format_texel_size(swapchain_format)) {
        *out_kind = TRANSFER_COPY;
        return CS_OK;
    }
    return cs_fail(CS_ERROR_UNSUPPORTED,
                   "cannot present a %s texture on a %s swapchain: device "
                   "\"%s\" cannot convert between them (no blit%s) and their "
                   "texels differ in size",
                   cs_format_name(texture_format),
                   cs_format_name(swapchain_format), dev->properties.deviceName,
                   sc->can_blit ? " between these formats"
                                : " on its compute queue");
}

static void image_barrier(VkCommandBuffer commands, VkImage image,
                          VkImageLayout from, VkImageLayout to,
                          VkPipelineStageFlags src_stage,
                          VkAccessFlags src_access,
                          VkPipelineStageFlags dst_stage,
                          VkAccessFlags dst_access)
{
    VkImageMemoryBarrier barrier = {
        .sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
        .srcAccessMask = src_access,
        .dstAccessMask = dst_access,
        .oldLayout = from,
        .newLayout = to,
        .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .image = image,
        .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1},
    };
    vkCmdPipelineBarrier(commands, src_stage, dst_stage, 0, 0, NULL, 0, NULL, 1,
                         &barrier);
}

static VkResult record(const vk_swapchain *sc, const cs_resource *texture,
                       VkImage target, transfer_kind kind, uint32_t x,
                       uint32_t y)
{
    VkCommandBuffer commands = sc->commands;
    VkCommandBufferBeginInfo begin = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
        .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
    };
    VkResult result = vkBeginCommandBuffer(commands, &begin);
    if (result != VK_SUCCESS)
        return result;
    /* earlier submissions' writes of the texture, for the copy */
    VkMemoryBarrier visible = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_MEMORY_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT,
    };
    vkCmdPipelineBarrier(commands, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT,
                         VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &visible, 0,
                         NULL, 0, NULL);
    /* chained to the acquire semaphore's wait at TRANSFER */
    image_barrier(commands, target, VK_IMAGE_LAYOUT_UNDEFINED,
                  VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                  VK_PIPELINE_STAGE_TRANSFER_BIT, 0,
                  VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
    VkClearColorValue black = {.float32 = {0.0f, 0.0f, 0.0f, 1.0f}};
    VkImageSubresourceRange range = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
    vkCmdClearColorImage(commands, target, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                         &black, 1, &range);
    image_barrier(commands, target, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                  VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                  VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
                  VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
    if (x < sc->extent.width && y < sc->extent.height) {
        uint32_t width = texture->info.width;
        uint32_t height = texture->info.height;
        if (width > sc->extent.width - x)
            width = sc->extent.width - x;
        if (height > sc->extent.height - y)
            height = sc->extent.height - y;
        VkImageSubresourceLayers layers = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
        VkImage source = vk_resource_of(texture)->image;
        if (kind == TRANSFER_BLIT) {
            VkImageBlit region = {
                .srcSubresource = layers,
                .srcOffsets = {{0, 0, 0}, {(int32_t)width, (int32_t)height, 1}},
                .dstSubresource = layers,
                .dstOffsets = {{(int32_t)x, (int32_t)y, 0},
                               {(int32_t)(x + width), (int32_t)(y + height),
                                1}},
            };
            vkCmdBlitImage(commands, source, VK_IMAGE_LAYOUT_GENERAL, target,
                           VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region,
                           VK_FILTER_NEAREST);
        } else {
            VkImageCopy region = {
                .srcSubresource = layers,
                .dstSubresource = layers,
                .dstOffset = {(int32_t)x, (int32_t)y, 0},
                .extent = {width, height, 1},
            };
            vkCmdCopyImage(commands, source, VK_IMAGE_LAYOUT_GENERAL, target,
                           VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);
        }
    }
    /* the present's semaphore wait makes the writes visible to it */
    image_barrier(commands, target, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                  VK_IMAGE_LAYOUT_PRESENT_SRC_KHR,
                  VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
                  VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0);
    return vkEndCommandBuffer(commands);
}

/* Recreates the swapchain for the window's current size. */
static cs_status rebuild(cs_swapchain *swapchain, vk_device *dev,
                         vk_swapchain *sc)
{
    lock_queue_and_wait_idle(dev);
    return build(swapchain, dev, sc);
}

cs_status vk_swapchain_recreate(cs_swapchain *swapchain)
{
    vk_device *dev;
    cs_status status = vk_device_acquire(swapchain->device, &dev);
    if (status != CS_OK)
        return status;
    return rebuild(swapchain, dev, swapchain->impl);
}

static cs_status out_of_date(const char *reason)
{
    return cs_fail(CS_ERROR_OUT_OF_DATE,
                   "the swapchain no longer matches its window (%s); nothing "
                   "was shown: recreate it (Swapchain.recreate(), "
                   "cs_swapchain_recreate()) and present again",
                   reason);
}

/* CS_SWAPCHAIN_MANUAL_RECREATE: the next image, or CS_ERROR_OUT_OF_DATE
 * where the automatic mode would recreate the swapchain. CS_OK with no
 * swapchain while the window still has no area (nothing to show). */
static cs_status acquire_or_report(vk_device *dev, vk_swapchain *sc,
                                   uint32_t *index, VkResult *result)
{
    if (sc->recreate)
        return out_of_date("the last present was suboptimal or out of date");
    if (sc->swapchain == VK_NULL_HANDLE) {
        VkSurfaceCapabilitiesKHR caps;
        VkResult got = vkGetPhysicalDeviceSurfaceCapabilitiesKHR(
            dev->physical, sc->surface, &caps);
        if (got != VK_SUCCESS)
            return swapchain_fail(dev, got,
                                  "vkGetPhysicalDeviceSurfaceCapabilitiesKHR",
                                  "reading the window's size");
        if (caps.currentExtent.width != 0 && caps.currentExtent.height != 0)
            return out_of_date("the window has an area again");
        return CS_OK;
    }
    *result = vkAcquireNextImageKHR(dev->device, sc->swapchain, UINT64_MAX,
                                    sc->acquired, VK_NULL_HANDLE, index);
    if (*result == VK_ERROR_OUT_OF_DATE_KHR) {
        sc->recreate = true;
        return out_of_date("VK_ERROR_OUT_OF_DATE_KHR");
    }
    return CS_OK;
}

cs_status vk_swapchain_present(cs_swapchain *swapchain, cs_resource *texture,
                               uint32_t x, uint32_t y)
{
    vk_device *dev;
    cs_status status = vk_device_acquire(swapchain->device, &dev);
    if (status != CS_OK)
        return status;
    vk_swapchain *sc = swapchain->impl;
    transfer_kind kind;
    status = choose_transfer(dev, sc, swapchain, texture, &kind);
    if (status != CS_OK)
        return status;

    uint32_t index = 0;
    VkResult result = VK_ERROR_OUT_OF_DATE_KHR;
    if (swapchain->desc.flags & CS_SWAPCHAIN_MANUAL_RECREATE) {
        status = acquire_or_report(dev, sc, &index, &result);
        if (status != CS_OK || sc->swapchain == VK_NULL_HANDLE)
            return status;
    } else {
        /* a window being resized may need more than one try */
        for (int attempt = 0; attempt < 4; attempt++) {
            if (sc->swapchain == VK_NULL_HANDLE || sc->recreate ||
                attempt > 0) {
                status = rebuild(swapchain, dev, sc);
                if (status != CS_OK)
                    return status;
                if (sc->swapchain == VK_NULL_HANDLE)
                    return CS_OK; /* no area: nothing to show */
            }
            result =
                vkAcquireNextImageKHR(dev->device, sc->swapchain, UINT64_MAX,
                                      sc->acquired, VK_NULL_HANDLE, &index);
            if (result != VK_ERROR_OUT_OF_DATE_KHR)
                break;
        }
    }
    if (result == VK_SUBOPTIMAL_KHR)
        sc->recreate = true; /* after this present */
    else if (result != VK_SUCCESS)
        return swapchain_fail(dev, result, "vkAcquireNextImageKHR",
                              "taking the next swapchain image");

    VkResult recorded = vkResetCommandBuffer(sc->commands, 0);
    if (recorded == VK_SUCCESS)
        recorded = record(sc, texture, sc->images[index], kind, x, y);
    result = vkResetFences(dev->device, 1, &sc->fence);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkResetFences", "presenting");
    /* A failed recording still submits, empty, to consume the acquire
     * semaphore; the image is then never presented and the swapchain is
     * recreated at the next present. */
    VkPipelineStageFlags wait_stage = VK_PIPELINE_STAGE_TRANSFER_BIT;
    VkSubmitInfo submit = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
        .waitSemaphoreCount = 1,
        .pWaitSemaphores = &sc->acquired,
        .pWaitDstStageMask = &wait_stage,
        .commandBufferCount = recorded == VK_SUCCESS ? 1 : 0,
        .pCommandBuffers = &sc->commands,
        .signalSemaphoreCount = recorded == VK_SUCCESS ? 1 : 0,
        .pSignalSemaphores = &sc->render_done[index],
    };
    VkPresentInfoKHR present = {
        .sType = VK_STRUCTURE_TYPE_PRESENT_INFO_KHR,
        .waitSemaphoreCount = 1,
        .pWaitSemaphores = &sc->render_done[index],
        .swapchainCount = 1,
        .pSwapchains = &sc->swapchain,
        .pImageIndices = &index,
    };
    VkResult present_result = VK_SUCCESS;
    cs_mutex_lock(&dev->queue_lock);
    result = vkQueueSubmit(dev->queue, 1, &submit, sc->fence);
    if (result == VK_SUCCESS && recorded == VK_SUCCESS)
        present_result = vkQueuePresentKHR(dev->queue, &present);
    cs_mutex_unlock(&dev->queue_lock);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkQueueSubmit", "presenting");
    result = vk_wait_for_fence(dev, sc->fence, UINT64_MAX);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkWaitForFences", "presenting");
    if (recorded != VK_SUCCESS) {
        sc->recreate = true;
        return vk_fail(dev, recorded, "vkEndCommandBuffer",
                       "recording a present");
    }
    if (present_result == VK_SUBOPTIMAL_KHR ||
        present_result == VK_ERROR_OUT_OF_DATE_KHR)
        sc->recreate = true; /* at the next present */
    else if (present_result != VK_SUCCESS)
        return swapchain_fail(dev, present_result, "vkQueuePresentKHR",
                              "presenting");
    return CS_OK;
}
