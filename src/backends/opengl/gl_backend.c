/* gl_backend.c - the OpenGL backend's table for the core (docs/opengl.md).
 * Swapchains are not done: presenting needs a window surface of its own. */
#include "gl_internal.h"

static cs_status gl_swapchain_create(cs_swapchain *swapchain)
{
    (void)swapchain;
    return gl_unsupported("presenting to a window (swapchains)");
}

static void gl_swapchain_destroy(cs_swapchain *swapchain)
{
    (void)swapchain;
}

static cs_status gl_swapchain_present(cs_swapchain *swapchain,
                                      cs_resource *texture, uint32_t x,
                                      uint32_t y)
{
    (void)swapchain, (void)texture, (void)x, (void)y;
    return gl_unsupported("presenting to a window (swapchains)");
}

static cs_status gl_swapchain_recreate(cs_swapchain *swapchain)
{
    (void)swapchain;
    return gl_unsupported("presenting to a window (swapchains)");
}

const cs_backend cs_opengl_backend = {
    .name = "opengl",
    .instance_create = gl_instance_create,
    .instance_destroy = gl_instance_destroy,
    .heap_create = gl_heap_create,
    .heap_destroy = gl_heap_destroy,
    .resource_create = gl_resource_create,
    .resource_destroy = gl_resource_destroy,
    .resource_bind_tile = gl_resource_bind_tile,
    .buffer_flush = gl_buffer_flush,
    .buffer_invalidate = gl_buffer_invalidate,
    .copy = gl_copy,
    .format_support = gl_format_support,
    .sampler_create = gl_sampler_create,
    .sampler_destroy = gl_sampler_destroy,
    .compute_create = gl_compute_create,
    .compute_destroy = gl_compute_destroy,
    .compute_dispatch = gl_compute_dispatch,
    .compute_bind = gl_compute_bind,
    .command_list_create = gl_command_list_create,
    .command_list_destroy = gl_command_list_destroy,
    .command_list_dispatch = gl_command_list_dispatch,
    .command_list_copy = gl_command_list_copy,
    .command_list_submit = gl_command_list_submit,
    .command_list_wait = gl_command_list_wait,
    .command_list_read_times = gl_command_list_read_times,
    .command_list_reset = gl_command_list_reset,
    .swapchain_create = gl_swapchain_create,
    .swapchain_destroy = gl_swapchain_destroy,
    .swapchain_present = gl_swapchain_present,
    .swapchain_recreate = gl_swapchain_recreate,
    .device_simulate_lost = gl_device_simulate_lost,
};
