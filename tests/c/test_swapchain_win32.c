/*
 * test_swapchain_win32.c - swapchains on Win32 windows (CS_WINDOW_WIN32):
 * on Windows (under Wine, whose vulkan-1.dll presents through the host's
 * driver) a real window gets a swapchain of its client size, presents of a
 * texture succeed, and a handle that is no window is refused; on other
 * systems the platform is refused as unsupported. The checks of the
 * descriptor run everywhere. The picture itself is not read back (GDI
 * does not see what Vulkan presents).
 *
 * CS_TEST_ONLY=name runs one test.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#ifdef _WIN32
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#endif

enum { B8G8R8A8_UNORM = 87, TEX = 32 };

static cs_instance *instance;
static cs_device *device;

static void test_descriptor_checks(void)
{
    cs_swapchain *swapchain = NULL;
    cs_swapchain_desc desc = {.platform = CS_WINDOW_WIN32,
                              .format = B8G8R8A8_UNORM};
    CHECK_FAILS(cs_swapchain_create(device, &desc, &swapchain),
                CS_ERROR_INVALID_ARGUMENT, "(HWND) must not be 0");
    desc.platform = (cs_window_platform)7;
    desc.window = 1;
    CHECK_FAILS(cs_swapchain_create(device, &desc, &swapchain),
                CS_ERROR_INVALID_ARGUMENT, "or CS_WINDOW_WIN32 (3)");
    CHECK(swapchain == NULL);
}

#ifdef _WIN32

static LRESULT CALLBACK window_procedure(HWND window, UINT message,
                                         WPARAM wparam, LPARAM lparam)
{
    return DefWindowProcW(window, message, wparam, lparam);
}

static HWND open_window(int width, int height)
{
    WNDCLASSW class = {.lpfnWndProc = window_procedure,
                       .hInstance = GetModuleHandleW(NULL),
                       .lpszClassName = L"compushady_test"};
    RegisterClassW(&class); /* a second call fails: registered already */
    RECT rect = {0, 0, width, height};
    AdjustWindowRect(&rect, WS_OVERLAPPEDWINDOW, FALSE);
    HWND window = CreateWindowExW(
        0, L"compushady_test", L"compushady", WS_OVERLAPPEDWINDOW, 0, 0,
        rect.right - rect.left, rect.bottom - rect.top, NULL, NULL,
        GetModuleHandleW(NULL), NULL);
    if (window)
        ShowWindow(window, SW_SHOW);
    return window;
}

static void pump_messages(void)
{
    MSG message;
    while (PeekMessageW(&message, NULL, 0, 0, PM_REMOVE)) {
        TranslateMessage(&message);
        DispatchMessageW(&message);
    }
}

static cs_resource *make_texture(void)
{
    cs_resource_desc desc = {.kind = CS_RESOURCE_TEXTURE2D,
                             .format = B8G8R8A8_UNORM,
                             .width = TEX,
                             .height = TEX};
    cs_resource *texture = NULL;
    return cs_resource_create(device, &desc, &texture) == CS_OK ? texture
                                                                : NULL;
}

static void test_present_to_a_window(void)
{
    HWND window = open_window(160, 120);
    CHECK_OR_RETURN(window != NULL);
    pump_messages();
    RECT client;
    GetClientRect(window, &client);
    cs_swapchain_desc desc = {.platform = CS_WINDOW_WIN32,
                              .display = NULL, /* the program's HINSTANCE */
                              .window = (uint64_t)(uintptr_t)window,
                              .format = B8G8R8A8_UNORM};
    cs_swapchain *swapchain = NULL;
    CHECK_OK(cs_swapchain_create(device, &desc, &swapchain));
    cs_resource *texture = make_texture();
    CHECK(texture != NULL);
    if (swapchain && texture) {
        uint32_t width = 0, height = 0;
        cs_swapchain_get_size(swapchain, &width, &height);
        CHECK(width == (uint32_t)client.right &&
              height == (uint32_t)client.bottom);
        CHECK(cs_swapchain_get_format(swapchain) == B8G8R8A8_UNORM);
        for (uint32_t i = 0; i < 4; i++) {
            CHECK_OK(cs_swapchain_present(swapchain, texture, i * 8, i * 4));
            pump_messages();
        }
        /* a bigger window: presents recreate the images at its size */
        SetWindowPos(window, NULL, 0, 0, 300, 200, SWP_NOMOVE | SWP_NOZORDER);
        GetClientRect(window, &client);
        /* the window system may take a moment to resize (Wine's X11
         * window): a few presents */
        for (int i = 0; i < 50; i++) {
            pump_messages();
            CHECK_OK(cs_swapchain_present(swapchain, texture, 0, 0));
            cs_swapchain_get_size(swapchain, &width, &height);
            if (width == (uint32_t)client.right &&
                height == (uint32_t)client.bottom)
                break;
            Sleep(10);
        }
        CHECK(width == (uint32_t)client.right &&
              height == (uint32_t)client.bottom);
        if (width != (uint32_t)client.right)
            fprintf(
                stderr, "swapchain %ux%u, window %ldx%ld, %llu recreations\n",
                width, height, client.right, client.bottom,
                (unsigned long long)cs_swapchain_get_recreate_count(swapchain));
        CHECK(cs_swapchain_get_recreate_count(swapchain) >= 1);
    }
    cs_resource_release(texture);
    cs_swapchain_release(swapchain);
    DestroyWindow(window);
    pump_messages();
    /* the handle of a window that is gone */
    CHECK_FAILS(cs_swapchain_create(device, &desc, &swapchain),
                CS_ERROR_INVALID_ARGUMENT, "is not a window");
}

#else

static void test_refused_off_windows(void)
{
    cs_swapchain *swapchain = NULL;
    cs_swapchain_desc desc = {.platform = CS_WINDOW_WIN32,
                              .window = 0x10010,
                              .format = B8G8R8A8_UNORM};
    CHECK_FAILS(cs_swapchain_create(device, &desc, &swapchain),
                CS_ERROR_UNSUPPORTED, "Win32");
    CHECK(swapchain == NULL);
}

#endif

int main(void)
{
    if (!harness_open_device(&instance, &device))
        return 1;
    const test_case tests[] = {
        {"descriptor_checks", test_descriptor_checks},
#ifdef _WIN32
        {"present_to_a_window", test_present_to_a_window},
#else
        {"refused_off_windows", test_refused_off_windows},
#endif
    };
    HARNESS_RUN_TESTS(tests, device);
    cs_instance_release(instance);
    return harness_finish();
}
