/*
 * test_swapchain.c - cs_swapchain through the public API, for real: a
 * private Xvfb server, an X11 window (libX11 loaded with dlopen, so the test
 * links no X library), presents checked pixel by pixel with XGetImage, and
 * the argument checks. Zero validation messages required. Skipped (and
 * said so) where Xvfb or libX11 is missing.
 *
 * Built and run by `make test-c`. Prints "N passed, M failed".
 */
#include "harness.h"

#include <X11/Xlib.h>
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* >>Xlib, loaded at run time */

static struct {
    Display *(*open_display)(const char *);
    int (*close_display)(Display *);
    Window (*root_window)(Display *, int);
    Window (*create_simple_window)(Display *, Window, int, int, unsigned,
                                   unsigned, unsigned, unsigned long,
                                   unsigned long);
    int (*map_window)(Display *, Window);
    int (*destroy_window)(Display *, Window);
    int (*sync)(Display *, Bool);
    XImage *(*get_image)(Display *, Drawable, int, int, unsigned, unsigned,
                         unsigned long, int);
    int (*destroy_image)(XImage *);
} x;

static bool load_xlib(void)
{
    void *lib = dlopen("libX11.so.6", RTLD_NOW | RTLD_GLOBAL);
    if (!lib)
        return false;
#define LOAD(field, name)                                                      \
    if (!(*(void **)&x.field = dlsym(lib, name)))                              \
        return false;
    LOAD(open_display, "XOpenDisplay");
    LOAD(close_display, "XCloseDisplay");
    LOAD(root_window, "XRootWindow");
    LOAD(create_simple_window, "XCreateSimpleWindow");
    LOAD(map_window, "XMapWindow");
    LOAD(destroy_window, "XDestroyWindow");
    LOAD(sync, "XSync");
    LOAD(get_image, "XGetImage");
    LOAD(destroy_image, "XDestroyImage");
#undef LOAD
    return true;
}

static pid_t start_xvfb(char *name, size_t size)
{
    for (int number = 120; number < 200; number++) {
        char path[64];
        snprintf(path, sizeof path, "/tmp/.X%d-lock", number);
        if (access(path, F_OK) == 0)
            continue;
        snprintf(path, sizeof path, "/tmp/.X11-unix/X%d", number);
        if (access(path, F_OK) == 0)
            continue;
        snprintf(name, size, ":%d", number);
        pid_t pid = fork();
        if (pid == 0) {
            /* Xvfb's chatter is not the test's; when /dev/null cannot be
             * opened it just stays visible */
            FILE *quiet = freopen("/dev/null", "w", stderr);
            (void)quiet;
            execlp("Xvfb", "Xvfb", name, "-screen", "0", "320x240x24",
                   "-nolisten", "tcp", (char *)NULL);
            _exit(127);
        }
        return pid;
    }
    return -1;
}

/* >>the test */

enum { WIN_W = 40, WIN_H = 30, TEX = 4 };

static const uint8_t colours[4][3] = {
    {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};

static int quadrant(int tx, int ty)
{
    return (tx >= TEX / 2) + 2 * (ty >= TEX / 2);
}

static cs_resource *make_texture(cs_device *device, cs_format format, bool bgra)
{
    uint8_t texels[TEX * TEX * 4];
    for (int ty = 0; ty < TEX; ty++) {
        for (int tx = 0; tx < TEX; tx++) {
            const uint8_t *c = colours[quadrant(tx, ty)];
            uint8_t *t = &texels[(ty * TEX + tx) * 4];
            t[0] = bgra ? c[2] : c[0];
            t[1] = c[1];
            t[2] = bgra ? c[0] : c[2];
            t[3] = 255;
        }
    }
    cs_resource_desc desc = {.kind = CS_RESOURCE_TEXTURE2D,
                             .format = format,
                             .width = TEX,
                             .height = TEX};
    cs_resource *texture = NULL, *staging = NULL;
    if (cs_resource_create(device, &desc, &texture) != CS_OK)
        return NULL;
    cs_resource_info info;
    cs_resource_get_info(texture, &info);
    cs_resource_desc staging_desc = {.heap_type = CS_HEAP_UPLOAD,
                                     .size = info.size};
    if (cs_resource_create(device, &staging_desc, &staging) != CS_OK ||
        cs_buffer_upload2d(staging, texels, sizeof texels, info.row_pitch, TEX,
                           TEX, 4) != CS_OK ||
        cs_resource_copy(staging, texture, NULL) != CS_OK) {
        cs_resource_release(staging);
        cs_resource_release(texture);
        return NULL;
    }
    cs_resource_release(staging);
    return texture;
}

/* Polls the window until it shows the pattern at (ox, oy) on black. */
static bool window_shows(Display *display, Window window, int ox, int oy)
{
    int mismatches = 0;
    for (int attempt = 0; attempt < 500; attempt++) {
        x.sync(display, False);
        XImage *image = x.get_image(display, window, 0, 0, WIN_W, WIN_H,
                                    AllPlanes, ZPixmap);
        if (!image)
            return false;
        mismatches = 0;
        for (int y = 0; y < WIN_H; y++) {
            for (int px = 0; px < WIN_W; px++) {
                const uint8_t *p = (const uint8_t *)image->data +
                                   y * image->bytes_per_line + px * 4;
                uint8_t want[3] = {0, 0, 0};
                int tx = px - ox, ty = y - oy;
                if (tx >= 0 && ty >= 0 && tx < TEX && ty < TEX)
                    memcpy(want, colours[quadrant(tx, ty)], 3);
                if (p[2] != want[0] || p[1] != want[1] || p[0] != want[2])
                    mismatches++;
            }
        }
        x.destroy_image(image);
        if (mismatches == 0)
            return true;
        struct timespec pause = {0, 20 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    fprintf(stderr, "window: %d pixel(s) differ from the pattern at (%d, %d)\n",
            mismatches, ox, oy);
    return false;
}

static void test_swapchain(cs_device *device, Display *display, Window window)
{
    cs_swapchain_desc desc = {.platform = CS_WINDOW_XLIB,
                              .display = display,
                              .window = window,
                              .format = 87 /* B8G8R8A8_UNORM */};
    cs_swapchain *swapchain = NULL;

    /* bad arguments */
    CHECK_FAILS(cs_swapchain_create(NULL, &desc, &swapchain),
                CS_ERROR_INVALID_ARGUMENT, "must not be NULL");
    cs_swapchain_desc bad = desc;
    bad.platform = (cs_window_platform)7;
    CHECK_FAILS(cs_swapchain_create(device, &bad, &swapchain),
                CS_ERROR_INVALID_ARGUMENT, "invalid window platform 7");
    bad = desc;
    bad.display = NULL;
    CHECK_FAILS(cs_swapchain_create(device, &bad, &swapchain),
                CS_ERROR_INVALID_ARGUMENT, "Xlib Display*) must not be NULL");
    bad = desc;
    bad.window = 0;
    CHECK_FAILS(cs_swapchain_create(device, &bad, &swapchain),
                CS_ERROR_INVALID_ARGUMENT, "must not be 0");
    bad = desc;
    bad.format = 999;
    CHECK_FAILS(cs_swapchain_create(device, &bad, &swapchain),
                CS_ERROR_INVALID_ARGUMENT, "unknown swapchain format 999");
    bad = desc;
    bad.num_buffers = 17;
    CHECK_FAILS(cs_swapchain_create(device, &bad, &swapchain),
                CS_ERROR_INVALID_ARGUMENT, "num_buffers 17 is too large");
    bad = desc;
    bad.format = 2; /* R32G32B32A32_FLOAT */
    CHECK_FAILS(cs_swapchain_create(device, &bad, &swapchain),
                CS_ERROR_UNSUPPORTED, "its formats: ");
    bad = desc;
    bad.present_mode = (cs_present_mode)3;
    CHECK_FAILS(cs_swapchain_create(device, &bad, &swapchain),
                CS_ERROR_INVALID_ARGUMENT, "unknown present mode 3");
    bad = desc;
    bad.flags = 0x6;
    CHECK_FAILS(cs_swapchain_create(device, &bad, &swapchain),
                CS_ERROR_INVALID_ARGUMENT, "unknown swapchain flags 0x6");
    CHECK_FAILS(cs_swapchain_recreate(NULL, 0, 0), CS_ERROR_INVALID_ARGUMENT,
                "must not be NULL");
    CHECK(cs_swapchain_get_recreate_count(NULL) == 0);
    CHECK(cs_swapchain_get_present_modes(NULL) == 0);

    /* presents */
    if (cs_swapchain_create(device, &desc, &swapchain) != CS_OK) {
        CHECK(!"cs_swapchain_create");
        return;
    }
    uint32_t width = 0, height = 0;
    cs_swapchain_get_size(swapchain, &width, &height);
    CHECK(width == WIN_W && height == WIN_H);
    CHECK(cs_swapchain_get_format(swapchain) == 87);
    CHECK(cs_swapchain_get_present_mode(swapchain) == CS_PRESENT_MODE_FIFO);
    CHECK(cs_swapchain_get_present_modes(swapchain) &
          (1u << CS_PRESENT_MODE_FIFO));
    cs_resource *bgra = make_texture(device, 87, true);
    cs_resource *rgba = make_texture(device, 28, false);
    CHECK(bgra && rgba);
    if (bgra && rgba) {
        CHECK(cs_swapchain_present(swapchain, bgra, 3, 2) == CS_OK);
        CHECK(window_shows(display, window, 3, 2));
        /* R8G8B8A8 converted by a blit */
        CHECK(cs_swapchain_present(swapchain, rgba, 30, 20) == CS_OK);
        CHECK(window_shows(display, window, 30, 20));
        /* clipped at the corner */
        CHECK(cs_swapchain_present(swapchain, rgba, WIN_W - 1, WIN_H - 3) ==
              CS_OK);
        CHECK(window_shows(display, window, WIN_W - 1, WIN_H - 3));
        CHECK_FAILS(cs_swapchain_present(swapchain, NULL, 0, 0),
                    CS_ERROR_INVALID_ARGUMENT, "must not be NULL");
        CHECK(cs_swapchain_get_recreate_count(swapchain) == 0);
        CHECK(cs_swapchain_recreate(swapchain, 0, 0) == CS_OK);
        CHECK(cs_swapchain_get_recreate_count(swapchain) == 1);
        CHECK(cs_swapchain_present(swapchain, bgra, 3, 2) == CS_OK);
        CHECK(window_shows(display, window, 3, 2));
    }
    cs_resource_desc buffer_desc = {.size = 16};
    cs_resource *buffer = NULL;
    if (cs_resource_create(device, &buffer_desc, &buffer) == CS_OK)
        CHECK_FAILS(cs_swapchain_present(swapchain, buffer, 0, 0),
                    CS_ERROR_INVALID_ARGUMENT,
                    "only a Texture2D can be presented");
    cs_resource_release(buffer);
    cs_resource_release(bgra);
    cs_resource_release(rgba);
    cs_swapchain_release(swapchain);
}

int main(void)
{
    if (!load_xlib()) {
        printf("libX11 is not installed: skipped\n0 passed, 0 failed, 1 "
               "skipped\n");
        return 0;
    }
    char name[16];
    pid_t server = start_xvfb(name, sizeof name);
    if (server < 0) {
        printf("no free X display: skipped\n0 passed, 0 failed, 1 skipped\n");
        return 0;
    }
    Display *display = NULL;
    for (int i = 0; i < 400 && !display; i++) {
        int status;
        if (waitpid(server, &status, WNOHANG) == server) {
            printf("Xvfb is not installed or did not start: skipped\n"
                   "0 passed, 0 failed, 1 skipped\n");
            return 0;
        }
        display = x.open_display(name);
        if (!display) {
            struct timespec pause = {0, 50 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
    }
    failed = 1;
    if (display) {
        Window window =
            x.create_simple_window(display, x.root_window(display, 0), 0, 0,
                                   WIN_W, WIN_H, 0, 0, 0xFFFFFF);
        x.map_window(display, window);
        x.sync(display, False);
        cs_instance_desc desc = harness_instance_desc();
        cs_instance *instance = NULL;
        if (cs_instance_create(&desc, &instance) == CS_OK &&
            cs_instance_device_count(instance) > 0) {
            cs_device *device = cs_instance_get_device(instance, 0);
            test_swapchain(device, display, window);
            size_t count = harness_take_messages(device);
            CHECK(count == 0);
            failed = atomic_load(&check_failures) > 0;
        } else {
            fprintf(stderr, "no instance or device: %s\n", cs_last_error());
        }
        cs_instance_release(instance);
        x.destroy_window(display, window);
        x.close_display(display);
    } else {
        fprintf(stderr, "cannot connect to Xvfb %s\n", name);
    }
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
    passed = 1 - failed;
    return harness_finish();
}
