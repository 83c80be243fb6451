/* swapchain.c - presenting textures to a window: argument checks, lifetime,
 * one present at a time. The backend does the windowing-system work. */
#include "backend.h"

#include <stdlib.h>

enum { MAX_SWAPCHAIN_BUFFERS = 16, DEFAULT_SWAPCHAIN_BUFFERS = 3 };

static cs_status check_desc(const cs_swapchain_desc *desc)
{
    if (desc->platform != CS_WINDOW_XLIB &&
        desc->platform != CS_WINDOW_WAYLAND &&
        desc->platform != CS_WINDOW_WIN32)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "invalid window platform %u: expected CS_WINDOW_XLIB "
                       "(1), CS_WINDOW_WAYLAND (2) or CS_WINDOW_WIN32 (3)",
                       (unsigned)desc->platform);
    const char *display = desc->platform == CS_WINDOW_XLIB ? "Xlib Display*"
                          : desc->platform == CS_WINDOW_WAYLAND ? "wl_display*"
                                                                : "HINSTANCE";
    const char *window = desc->platform == CS_WINDOW_XLIB      ? "Xlib Window"
                         : desc->platform == CS_WINDOW_WAYLAND ? "wl_surface*"
                                                               : "HWND";
    /* a Win32 HINSTANCE may be NULL: the program's own */
    if (!desc->display && desc->platform != CS_WINDOW_WIN32)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "the display handle (%s) must not be NULL", display);
    if (desc->window == 0)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "the window handle (%s) must not be 0", window);
    if (cs_format_texel_size(desc->format) == 0)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "unknown swapchain format %u: expected a DXGI format "
                       "number such as B8G8R8A8_UNORM (87)",
                       (unsigned)desc->format);
    if ((unsigned)desc->present_mode > CS_PRESENT_MODE_IMMEDIATE)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "unknown present mode %u: expected "
                       "CS_PRESENT_MODE_FIFO (0), CS_PRESENT_MODE_MAILBOX (1) "
                       "or CS_PRESENT_MODE_IMMEDIATE (2)",
                       (unsigned)desc->present_mode);
    if (desc->flags & ~(uint32_t)CS_SWAPCHAIN_MANUAL_RECREATE)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "unknown swapchain flags 0x%x: expected "
                       "CS_SWAPCHAIN_MANUAL_RECREATE (0x1) or 0",
                       (unsigned)desc->flags);
    if (desc->num_buffers > MAX_SWAPCHAIN_BUFFERS)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "num_buffers %u is too large: a swapchain has at most "
                       "%d images",
                       (unsigned)desc->num_buffers, MAX_SWAPCHAIN_BUFFERS);
    return CS_OK;
}

cs_status cs_swapchain_create(cs_device *device, const cs_swapchain_desc *desc,
                              cs_swapchain **out_swapchain)
{
    if (!device || !desc || !out_swapchain)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_swapchain_create: device, desc and out_swapchain "
                       "must not be NULL");
    cs_status status = check_desc(desc);
    if (status != CS_OK)
        return status;
    /* a backend without swapchains: fork.c's guarded table answers
     * "presenting to windows (swapchains): not supported by the <name>
     * backend" */
    cs_swapchain *swapchain = calloc(1, sizeof *swapchain);
    if (!swapchain)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory creating a swapchain");
    if (!cs_mutex_init(&swapchain->present_lock)) {
        free(swapchain);
        return cs_fail(CS_ERROR_BACKEND, "cannot create a swapchain mutex");
    }
    atomic_init(&swapchain->refcount, 1);
    atomic_init(&swapchain->width, 0);
    atomic_init(&swapchain->height, 0);
    atomic_init(&swapchain->recreate_count, 0);
    swapchain->device = device;
    swapchain->desc = *desc;
    if (swapchain->desc.num_buffers == 0)
        swapchain->desc.num_buffers = DEFAULT_SWAPCHAIN_BUFFERS;
    status = device->instance->backend->swapchain_create(swapchain);
    if (status != CS_OK) {
        cs_mutex_destroy(&swapchain->present_lock);
        free(swapchain);
        return status;
    }
    cs_instance_retain(device->instance);
    *out_swapchain = swapchain;
    return CS_OK;
}

void cs_swapchain_retain(cs_swapchain *swapchain)
{
    if (swapchain)
        atomic_fetch_add(&swapchain->refcount, 1);
}

void cs_swapchain_release(cs_swapchain *swapchain)
{
    if (!swapchain || atomic_fetch_sub(&swapchain->refcount, 1) != 1)
        return;
    cs_instance *instance = swapchain->device->instance;
    instance->backend->swapchain_destroy(swapchain);
    cs_mutex_destroy(&swapchain->present_lock);
    free(swapchain);
    cs_instance_release(instance);
}

cs_status cs_swapchain_present(cs_swapchain *swapchain, cs_resource *texture,
                               uint32_t x, uint32_t y)
{
    if (!swapchain || !texture)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_swapchain_present: swapchain and texture must not "
                       "be NULL");
    if (texture->info.kind != CS_RESOURCE_TEXTURE2D)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "only a Texture2D can be presented, got a %s",
                       cs_resource_kind_name(texture->info.kind));
    if (texture->device != swapchain->device)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "the texture belongs to another device than the "
                       "swapchain (\"%s\" vs \"%s\")",
                       texture->device->info.name,
                       swapchain->device->info.name);
    cs_mutex_lock(&swapchain->present_lock);
    cs_status status = swapchain->device->instance->backend->swapchain_present(
        swapchain, texture, x, y);
    cs_mutex_unlock(&swapchain->present_lock);
    return status;
}

void cs_swapchain_get_size(const cs_swapchain *swapchain, uint32_t *out_width,
                           uint32_t *out_height)
{
    cs_swapchain *mutable_swapchain = (cs_swapchain *)swapchain;
    if (out_width)
        *out_width = swapchain ? atomic_load(&mutable_swapchain->width) : 0;
    if (out_height)
        *out_height = swapchain ? atomic_load(&mutable_swapchain->height) : 0;
}

cs_format cs_swapchain_get_format(const cs_swapchain *swapchain)
{
    return swapchain ? swapchain->desc.format : 0;
}

cs_present_mode cs_swapchain_get_present_mode(const cs_swapchain *swapchain)
{
    return swapchain ? swapchain->desc.present_mode : CS_PRESENT_MODE_FIFO;
}

uint32_t cs_swapchain_get_present_modes(const cs_swapchain *swapchain)
{
    return swapchain ? swapchain->present_modes : 0;
}

uint64_t cs_swapchain_get_recreate_count(const cs_swapchain *swapchain)
{
    return swapchain ? atomic_load(&((cs_swapchain *)swapchain)->recreate_count)
                     : 0;
}

cs_status cs_swapchain_recreate(cs_swapchain *swapchain, uint32_t width,
                                uint32_t height)
{
    if (!swapchain)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_swapchain_recreate: swapchain must not be NULL");
    if ((width == 0) != (height == 0))
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "give both width and height (%u x %u), or neither",
                       (unsigned)width, (unsigned)height);
    cs_mutex_lock(&swapchain->present_lock);
    if (width) {
        swapchain->desc.width = width;
        swapchain->desc.height = height;
    }
    cs_status status =
        swapchain->device->instance->backend->swapchain_recreate(swapchain);
    cs_mutex_unlock(&swapchain->present_lock);
    return status;
}
