/* vk_window_check.c - what can be checked about the window handles of a
 * swapchain before the driver dereferences them.
 *
 * The driver takes the display pointer on trust: a wrong one crashes the
 * process inside it. So, before any surface is made:
 *
 * - X11: the Display* must point to readable memory of this process (read
 *   with process_vm_readv, which fails instead of faulting) that looks like
 *   an open Xlib Display: its connection fd is an open socket, the protocol
 *   is X11, 1 to 255 screens, the default screen among them, and every
 *   Screen points back to this Display. Then the window id is asked of the
 *   server (XGetWindowAttributes, found in the libX11 the Display comes
 *   from) under a temporary error handler, so an unknown window is an
 *   error, not Xlib's default handler ending the process.
 * - Wayland: wl_display and wl_surface are opaque; only that both point to
 *   readable memory is checked. A readable pointer to something else can
 *   still crash inside libwayland (docs/decisions.md).
 */
#include "vk_internal.h"

#ifdef CS_PLATFORM_WINDOWS

/* A Win32 window is asked of the system (IsWindow); no X11 or Wayland
 * window exists on Windows (the Vulkan loader offers neither surface
 * extension there, so create_surface refuses first). */
cs_status vk_check_window_handles(const cs_swapchain_desc *desc)
{
    if (desc->platform != CS_WINDOW_WIN32)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "X11 and Wayland windows do not exist on Windows");
    if (!cs_window_exists(desc->window))
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "the HWND 0x%llx is not a window: pass the handle of "
                       "an existing window, e.g. glfw.get_win32_window()",
                       (unsigned long long)desc->window);
    return CS_OK;
}

#else

#include <X11/Xlib.h>

#include <stdint.h>
#include <string.h>

/* Copies size bytes at address into out; false when any of them is not
 * readable memory of this process (never faults). */
static bool read_memory(uintptr_t address, void *out, size_t size)
{
    return cs_memory_read_safely((const void *)address, out, size);
}

static cs_status not_a_display(const void *display, const char *why)
{
    return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                   "the X11 Display pointer %p is not an open Xlib Display "
                   "of this process (%s): pass what XOpenDisplay returned, "
                   "e.g. glfw.get_x11_display()",
                   display, why);
}

static cs_status check_xlib_display(const void *display)
{
    uintptr_t address = (uintptr_t)display;
    if (address % _Alignof(void *) != 0)
        return not_a_display(display, "misaligned");
    __typeof__(*(_XPrivDisplay)0) copy;
    if (!read_memory(address, &copy, sizeof copy))
        return not_a_display(display, "not readable memory");
    if (!cs_fd_is_socket(copy.fd))
        return not_a_display(display, "no connection socket");
    if (copy.proto_major_version != 11)
        return not_a_display(display, "not the X11 protocol");
    if (copy.nscreens < 1 || copy.nscreens > 255 || copy.default_screen < 0 ||
        copy.default_screen >= copy.nscreens)
        return not_a_display(display, "implausible screens");
    for (int i = 0; i < copy.nscreens; i++) {
        Screen screen;
        if (!read_memory((uintptr_t)(copy.screens + i), &screen,
                         sizeof screen) ||
            (const void *)screen.display != display)
            return not_a_display(display, "its screens are not its own");
    }
    return CS_OK;
}

/* >>window id, asked of the server */

typedef int (*error_handler)(Display *, XErrorEvent *);

static cs_mutex window_check_lock;
static cs_once window_check_once = CS_ONCE_INIT;
static _Thread_local int window_error; /* the error code the handler saw */

static void make_window_check_lock(void)
{
    cs_mutex_init(&window_check_lock);
}

static int remember_error(Display *display, XErrorEvent *event)
{
    (void)display;
    window_error = event->error_code;
    return 0;
}

static cs_status check_xlib_window(Display *display, uint64_t window)
{
    /* libX11 is loaded (a Display exists); without its symbols there is
     * nothing to ask with */
    error_handler (*set_handler)(error_handler) = (error_handler(*)(
        error_handler))cs_library_symbol_anywhere("XSetErrorHandler");
    Status (*get_attributes)(Display *, Window, XWindowAttributes *) =
        (Status(*)(Display *, Window, XWindowAttributes *))
            cs_library_symbol_anywhere("XGetWindowAttributes");
    int (*sync)(Display *, Bool) =
        (int (*)(Display *, Bool))cs_library_symbol_anywhere("XSync");
    if (!set_handler || !get_attributes || !sync)
        return CS_OK;
    if (window > UINT32_MAX)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "the X11 window id 0x%llx is larger than 32 bits",
                       (unsigned long long)window);
    /* the error handler is process-wide: one check at a time, and other
     * threads' X errors meanwhile are only remembered, not reported */
    cs_call_once(&window_check_once, make_window_check_lock);
    cs_mutex_lock(&window_check_lock);
    window_error = 0;
    sync(display, False);
    error_handler previous = set_handler(remember_error);
    XWindowAttributes attributes;
    Status found = get_attributes(display, (Window)window, &attributes);
    sync(display, False);
    set_handler(previous);
    int error = window_error;
    cs_mutex_unlock(&window_check_lock);
    if (!found || error != 0)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "the X11 window 0x%llx is not a window of this "
                       "display (X error %d): pass the window's id, e.g. "
                       "glfw.get_x11_window()",
                       (unsigned long long)window, error);
    return CS_OK;
}

cs_status vk_check_window_handles(const cs_swapchain_desc *desc)
{
    if (desc->platform == CS_WINDOW_WIN32) /* the extension is never there */
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "Win32 windows exist only on Windows");
    if (desc->platform == CS_WINDOW_XLIB) {
        cs_status status = check_xlib_display(desc->display);
        if (status != CS_OK)
            return status;
        return check_xlib_window((Display *)desc->display, desc->window);
    }
    unsigned char probe[16];
    if ((uintptr_t)desc->display % _Alignof(void *) != 0 ||
        !read_memory((uintptr_t)desc->display, probe, sizeof probe))
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "the wl_display pointer %p is not readable memory of "
                       "this process: pass what wl_display_connect returned",
                       desc->display);
    if (desc->window % _Alignof(void *) != 0 ||
        !read_memory((uintptr_t)desc->window, probe, sizeof probe))
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "the wl_surface pointer 0x%llx is not readable memory "
                       "of this process",
                       (unsigned long long)desc->window);
    return CS_OK;
}

#endif
