/* gl_swapchain.c - swapchains, which this backend does not do: presenting
 * needs a window surface of its own (docs/opengl.md). */
#include "gl_internal.h"

static cs_status no_swapchains(void)
{
    return gl_unsupported("presenting to a window (swapchains)");
}

cs_status gl_swapchain_create(cs_swapchain *swapchain)
{
    (void)swapchain;
    return no_swapchains();
}

void gl_swapchain_destroy(cs_swapchain *swapchain)
{
    (void)swapchain;
}

cs_status gl_swapchain_present(cs_swapchain *swapchain, cs_resource *texture,
                               uint32_t x, uint32_t y)
{
    (void)swapchain, (void)texture, (void)x, (void)y;
    return no_swapchains();
}

cs_status gl_swapchain_recreate(cs_swapchain *swapchain)
{
    (void)swapchain;
    return no_swapchains();
}
