"""Swapchain: presenting to a real X11 window of an Xvfb server (lavapipe's
software presentation), checked pixel by pixel on a screenshot of the X
display (XGetImage through ctypes on libX11). Skipped only where Xvfb or
libX11 is missing."""

import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

import compushady
from compushady import Swapchain, Texture2D, Buffer, HEAP_UPLOAD
from compushady import formats

WIDTH, HEIGHT = 64, 48  # the window
TEX_W, TEX_H = 8, 6  # the presented texture (4 quadrants)

# opaque colours of the quadrants: top-left, top-right, bottom-left,
# bottom-right, as (r, g, b)
COLOURS = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0)]


def _quadrant(x, y):
    return (1 if x >= TEX_W // 2 else 0) + (2 if y >= TEX_H // 2 else 0)


def _pattern(fmt):
    """TEX_W x TEX_H texels of the 4-colour pattern in fmt (RGBA8 or BGRA8)."""
    data = bytearray()
    for y in range(TEX_H):
        for x in range(TEX_W):
            r, g, b = COLOURS[_quadrant(x, y)]
            if fmt == formats.B8G8R8A8_UNORM:
                data += bytes((b, g, r, 255))
            else:
                data += bytes((r, g, b, 255))
    return bytes(data)


def _expected(x0, y0):
    """The window's expected (r, g, b) per pixel: black, the pattern at
    (x0, y0), clipped."""
    pixels = [[(0, 0, 0)] * WIDTH for _ in range(HEIGHT)]
    for y in range(TEX_H):
        for x in range(TEX_W):
            if x0 + x < WIDTH and y0 + y < HEIGHT:
                pixels[y0 + y][x0 + x] = COLOURS[_quadrant(x, y)]
    return pixels


class XImage(ctypes.Structure):
    # the leading fields of Xlib's XImage
    _fields_ = [
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("xoffset", ctypes.c_int),
        ("format", ctypes.c_int),
        ("data", ctypes.POINTER(ctypes.c_ubyte)),
        ("byte_order", ctypes.c_int),
        ("bitmap_unit", ctypes.c_int),
        ("bitmap_bit_order", ctypes.c_int),
        ("bitmap_pad", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("bytes_per_line", ctypes.c_int),
        ("bits_per_pixel", ctypes.c_int),
        ("red_mask", ctypes.c_ulong),
        ("green_mask", ctypes.c_ulong),
        ("blue_mask", ctypes.c_ulong),
    ]


def _load_xlib():
    name = ctypes.util.find_library("X11") or "libX11.so.6"
    try:
        x = ctypes.CDLL(name)
    except OSError:
        return None
    vp, ul, i = ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int
    x.XOpenDisplay.restype = vp
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XCloseDisplay.argtypes = [vp]
    x.XDefaultScreen.argtypes = [vp]
    x.XRootWindow.restype = ul
    x.XRootWindow.argtypes = [vp, i]
    x.XBlackPixel.restype = ul
    x.XBlackPixel.argtypes = [vp, i]
    x.XCreateSimpleWindow.restype = ul
    x.XCreateSimpleWindow.argtypes = [vp, ul, i, i, ctypes.c_uint, ctypes.c_uint,
                                      ctypes.c_uint, ul, ul]
    x.XMapWindow.argtypes = [vp, ul]
    x.XResizeWindow.argtypes = [vp, ul, ctypes.c_uint, ctypes.c_uint]
    x.XDestroyWindow.argtypes = [vp, ul]
    x.XSync.argtypes = [vp, i]
    x.XGetImage.restype = ctypes.POINTER(XImage)
    x.XGetImage.argtypes = [vp, ul, i, i, ctypes.c_uint, ctypes.c_uint, ul, i]
    x.XDestroyImage.argtypes = [ctypes.POINTER(XImage)]
    return x


XLIB = _load_xlib()
ZPIXMAP = 2
ALL_PLANES = ~0 & 0xFFFFFFFFFFFFFFFF


def _free_display_number():
    for number in range(90, 200):
        if not os.path.exists("/tmp/.X11-unix/X{0}".format(number)) and \
                not os.path.exists("/tmp/.X{0}-lock".format(number)):
            return number
    pytest.skip("no free X display number between :90 and :199")


@pytest.fixture(scope="module")
def xserver():
    """(xlib, display pointer) of a private Xvfb server."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    if XLIB is None:
        pytest.skip("libX11 is not installed")
    number = _free_display_number()
    name = ":{0}".format(number)
    server = subprocess.Popen(
        ["Xvfb", name, "-screen", "0", "320x240x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    display = None
    try:
        deadline = time.monotonic() + 20
        while display is None and time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail("Xvfb {0} exited with {1}".format(name, server.returncode))
            display = XLIB.XOpenDisplay(name.encode())
            if not display:
                display = None
                time.sleep(0.05)
        if display is None:
            pytest.fail("cannot connect to Xvfb {0}".format(name))
        yield XLIB, display, name
    finally:
        if display is not None:
            XLIB.XCloseDisplay(display)
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def window(xserver):
    xlib, display, _ = xserver
    screen = xlib.XDefaultScreen(display)
    root = xlib.XRootWindow(display, screen)
    black = xlib.XBlackPixel(display, screen)
    # white at first, so a present that did not happen is seen
    win = xlib.XCreateSimpleWindow(display, root, 0, 0, WIDTH, HEIGHT, 0,
                                   black, 0xFFFFFF)
    xlib.XMapWindow(display, win)
    xlib.XSync(display, 0)
    yield win
    xlib.XDestroyWindow(display, win)
    xlib.XSync(display, 0)


def _screenshot(xlib, display, win, width=WIDTH, height=HEIGHT):
    """The window's pixels as rows of (r, g, b)."""
    xlib.XSync(display, 0)
    image = xlib.XGetImage(display, win, 0, 0, width, height, ALL_PLANES, ZPIXMAP)
    assert image, "XGetImage failed"
    try:
        img = image.contents
        assert img.bits_per_pixel == 32 and img.byte_order == 0, (
            img.bits_per_pixel, img.byte_order)
        assert (img.red_mask, img.green_mask, img.blue_mask) == (
            0xFF0000, 0xFF00, 0xFF)
        raw = ctypes.string_at(img.data, img.bytes_per_line * height)
        rows = []
        for y in range(height):
            row = raw[y * img.bytes_per_line:y * img.bytes_per_line + width * 4]
            rows.append([(row[4 * x + 2], row[4 * x + 1], row[4 * x])
                         for x in range(width)])
        return rows
    finally:
        xlib.XDestroyImage(image)


def _wait_for(xlib, display, win, expected, what):
    """Screenshots until the window shows expected: the X11 software
    presentation may land a moment after present() returns."""
    deadline = time.monotonic() + 10
    while True:
        pixels = _screenshot(xlib, display, win, len(expected[0]), len(expected))
        if pixels == expected:
            return
        if time.monotonic() > deadline:
            wrong = [(x, y, pixels[y][x], expected[y][x])
                     for y in range(len(expected)) for x in range(len(expected[0]))
                     if pixels[y][x] != expected[y][x]]
            pytest.fail("{0}: {1} pixel(s) differ, first (x, y, got, expected): "
                        "{2}".format(what, len(wrong), wrong[:8]))
        time.sleep(0.02)


def _texture(fmt):
    texture = Texture2D(TEX_W, TEX_H, fmt)
    staging = Buffer(texture.size, HEAP_UPLOAD)
    staging.upload2d(_pattern(fmt), texture.row_pitch, TEX_W, TEX_H, 4)
    staging.copy_to(texture)
    return texture


@pytest.fixture(autouse=True)
def x11_session(monkeypatch):
    # (display, window) tuples mean X11 here, whatever session runs pytest
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)


def test_present_bgra_at_offset(xserver, window):
    xlib, display, _ = xserver
    swapchain = Swapchain((display, window), formats.B8G8R8A8_UNORM)
    assert (swapchain.width, swapchain.height) == (WIDTH, HEIGHT)
    assert swapchain.format == formats.B8G8R8A8_UNORM
    texture = _texture(formats.B8G8R8A8_UNORM)
    swapchain.present(texture, 5, 7)
    _wait_for(xlib, display, window, _expected(5, 7), "BGRA texture at (5, 7)")
    # presents again, elsewhere: the previous frame does not stay
    swapchain.present(texture, x=20, y=30)
    _wait_for(xlib, display, window, _expected(20, 30), "BGRA texture at (20, 30)")


def test_present_rgba_is_converted(xserver, window):
    xlib, display, _ = xserver
    swapchain = Swapchain((display, window), formats.B8G8R8A8_UNORM, num_buffers=2)
    texture = _texture(formats.R8G8B8A8_UNORM)
    for _ in range(3):  # every image of the swapchain in turn
        swapchain.present(texture, 1, 2)
    _wait_for(xlib, display, window, _expected(1, 2), "RGBA texture at (1, 2)")


def test_present_clipped_at_the_edge(xserver, window):
    xlib, display, _ = xserver
    swapchain = Swapchain(("x11", display, window), formats.B8G8R8A8_UNORM)
    texture = _texture(formats.B8G8R8A8_UNORM)
    swapchain.present(texture, WIDTH - 3, HEIGHT - 2)
    _wait_for(xlib, display, window, _expected(WIDTH - 3, HEIGHT - 2), "clipped")
    # entirely outside: an all-black frame
    swapchain.present(texture, WIDTH + 10, 0)
    _wait_for(xlib, display, window, _expected(WIDTH + 10, 0), "outside")


def test_window_resized(xserver, window):
    xlib, display, _ = xserver
    swapchain = Swapchain((display, window), formats.B8G8R8A8_UNORM)
    texture = _texture(formats.B8G8R8A8_UNORM)
    swapchain.present(texture)
    xlib.XResizeWindow(display, window, WIDTH * 2, HEIGHT + 10)
    xlib.XSync(display, 0)
    swapchain.present(texture, 100, 50)
    # out of date or suboptimal: recreated at once or at the next present
    swapchain.present(texture, 100, 50)
    assert (swapchain.width, swapchain.height) == (WIDTH * 2, HEIGHT + 10)
    assert swapchain.recreate_count >= 1
    expected = [[(0, 0, 0)] * (WIDTH * 2) for _ in range(HEIGHT + 10)]
    for y in range(TEX_H):
        for x in range(TEX_W):
            if 50 + y < HEIGHT + 10:
                expected[50 + y][100 + x] = COLOURS[_quadrant(x, y)]
    _wait_for(xlib, display, window, expected, "after a resize")


def test_present_modes(xserver, window):
    xlib, display, _ = xserver
    offered = Swapchain((display, window), formats.B8G8R8A8_UNORM).present_modes
    assert "fifo" in offered and set(offered) <= {"fifo", "mailbox", "immediate"}
    texture = _texture(formats.B8G8R8A8_UNORM)
    for number, mode in enumerate(offered):
        swapchain = Swapchain((display, window), formats.B8G8R8A8_UNORM, present_mode=mode)
        assert swapchain.present_mode == mode
        for _ in range(4):  # more presents than images: no wait, no hang
            swapchain.present(texture, 3 + number, 2 * number)
        _wait_for(xlib, display, window, _expected(3 + number, 2 * number),
                  "present mode " + mode)
        assert swapchain.recreate_count == 0
        del swapchain


def test_bad_present_modes(xserver, window):
    _, display, _ = xserver
    for bad in ("vsync", "FIFO", "", "fifo_relaxed"):
        with pytest.raises(ValueError, match='present_mode must be "fifo", "mailbox" or '
                           '"immediate", got "{0}"'.format(bad)):
            Swapchain((display, window), formats.B8G8R8A8_UNORM, present_mode=bad)
    with pytest.raises(TypeError):
        Swapchain((display, window), formats.B8G8R8A8_UNORM, present_mode=0)


def test_presents_do_not_recreate_an_unchanged_swapchain(xserver, window):
    xlib, display, _ = xserver
    swapchain = Swapchain((display, window), formats.B8G8R8A8_UNORM)
    texture = _texture(formats.B8G8R8A8_UNORM)
    for i in range(6):
        swapchain.present(texture, i, i)
    _wait_for(xlib, display, window, _expected(5, 5), "six presents")
    assert swapchain.recreate_count == 0


def test_manual_recreate_after_a_resize(xserver, window):
    xlib, display, _ = xserver
    swapchain = Swapchain((display, window), formats.B8G8R8A8_UNORM, auto_recreate=False)
    texture = _texture(formats.B8G8R8A8_UNORM)
    swapchain.present(texture, 1, 1)
    _wait_for(xlib, display, window, _expected(1, 1), "before the resize")
    xlib.XResizeWindow(display, window, WIDTH + 16, HEIGHT + 8)
    xlib.XSync(display, 0)
    # out of date at once, or suboptimal: shown once more, then reported
    with pytest.raises(compushady.SwapchainOutOfDate,
                       match=r"the swapchain no longer matches its window .*recreate it"):
        for _ in range(3):
            swapchain.present(texture, 1, 1)
    assert isinstance(compushady.SwapchainOutOfDate(), RuntimeError)
    assert swapchain.recreate_count == 0  # nothing recreated behind the program
    with pytest.raises(compushady.SwapchainOutOfDate):  # until it recreates
        swapchain.present(texture, 1, 1)
    swapchain.recreate()
    assert (swapchain.width, swapchain.height) == (WIDTH + 16, HEIGHT + 8)
    assert swapchain.recreate_count == 1
    swapchain.present(texture, WIDTH + 16 - TEX_W, 0)
    expected = [[(0, 0, 0)] * (WIDTH + 16) for _ in range(HEIGHT + 8)]
    for y in range(TEX_H):
        for x in range(TEX_W):
            expected[y][WIDTH + 16 - TEX_W + x] = COLOURS[_quadrant(x, y)]
    _wait_for(xlib, display, window, expected, "after recreate()")
    with pytest.raises(ValueError, match=r"give both width and height \(5 x 0\), or neither"):
        swapchain.recreate(5, 0)


def test_keeps_device_alive_and_releases(xserver, window):
    xlib, display, _ = xserver
    swapchain = Swapchain((display, window), formats.B8G8R8A8_UNORM)
    assert swapchain.handle.device is swapchain.device.handle
    texture = _texture(formats.B8G8R8A8_UNORM)
    del swapchain
    # a new swapchain on the same window once the first is gone
    again = Swapchain((display, window), formats.B8G8R8A8_UNORM)
    again.present(texture, 2, 2)
    _wait_for(xlib, display, window, _expected(2, 2), "second swapchain")


def test_unsupported_format(xserver, window):
    _, display, _ = xserver
    with pytest.raises(ValueError, match=r"R32G32B32A32_FLOAT.*not supported "
                       r"by this window.*its formats: .*B8G8R8A8_UNORM"):
        Swapchain((display, window), formats.R32G32B32A32_FLOAT)
    with pytest.raises(ValueError, match="unknown swapchain format 1234"):
        Swapchain((display, window), 1234)


def test_present_bad_textures(xserver, window):
    _, display, _ = xserver
    swapchain = Swapchain((display, window), formats.B8G8R8A8_UNORM)
    with pytest.raises(TypeError, match="present needs a compushady.Texture2D, got Buffer"):
        swapchain.present(Buffer(16))
    with pytest.raises(TypeError, match="got NoneType"):
        swapchain.present(None)
    with pytest.raises(TypeError, match="texture must be a compushady Texture2D"):
        swapchain.handle.present(42)
    with pytest.raises(ValueError, match="only a Texture2D can be presented, got a Texture3D"):
        swapchain.handle.present(compushady.Texture3D(2, 2, 2, formats.R8G8B8A8_UNORM).handle)
    with pytest.raises(ValueError, match="x must be >= 0"):
        swapchain.present(_texture(formats.B8G8R8A8_UNORM), -1, 0)
    # an integer format of another texel size: neither blit nor copy
    wide = Texture2D(4, 4, formats.R16G16B16A16_UINT)
    with pytest.raises(ValueError, match="cannot present a R16G16B16A16_UINT texture"):
        swapchain.present(wide)


def test_bad_window_handles(xserver):
    _, display, _ = xserver
    with pytest.raises(TypeError, match="window_handle must be a tuple"):
        Swapchain(12345, formats.B8G8R8A8_UNORM)
    with pytest.raises(TypeError, match="window_handle must be a tuple"):
        Swapchain(None, formats.B8G8R8A8_UNORM)
    with pytest.raises(ValueError, match=r"\(display, window\) or \(platform"):
        Swapchain((1, 2, 3, 4), formats.B8G8R8A8_UNORM)
    with pytest.raises(TypeError, match="X11 Display pointer must be an int.*got str"):
        Swapchain(("display", 1), formats.B8G8R8A8_UNORM)
    with pytest.raises(TypeError, match="X11 window id must be an int.*got float"):
        Swapchain((display, 1.5), formats.B8G8R8A8_UNORM)
    with pytest.raises(ValueError, match="X11 Display pointer is NULL"):
        Swapchain((None, 1), formats.B8G8R8A8_UNORM)
    with pytest.raises(ValueError, match="X11 window id must be a positive"):
        Swapchain((display, 0), formats.B8G8R8A8_UNORM)
    with pytest.raises(ValueError, match="wl_surface pointer must be a positive"):
        Swapchain(("wayland", display, -5), formats.B8G8R8A8_UNORM)
    # the native layer checks too
    device = compushady.get_current_device().handle
    with pytest.raises(ValueError, match='platform must be "x11", "wayland" or "win32"'):
        device.create_swapchain("cocoa", display, 1, formats.B8G8R8A8_UNORM)
    with pytest.raises(ValueError, match="window must not be 0"):
        device.create_swapchain("x11", display, 0, formats.B8G8R8A8_UNORM)
    with pytest.raises(ValueError, match="num_buffers 17 is too large"):
        device.create_swapchain("x11", display, 1, formats.B8G8R8A8_UNORM,
                                num_buffers=17)


def test_unknown_x11_window_fails_cleanly(xserver):
    """A window id the X server does not know: an error, not a crash."""
    xlib, display, _ = xserver
    # run in a child: Xlib's default error handler exits the process on a
    # BadWindow, which must not take pytest with it
    code = (
        "import ctypes, compushady, compushady.config as c\n"
        "from compushady import formats\n"
        "x = ctypes.CDLL('libX11.so.6'); x.XOpenDisplay.restype = ctypes.c_void_p\n"
        "x.XOpenDisplay.argtypes = [ctypes.c_char_p]\n"
        "d = x.XOpenDisplay({0!r})\n"
        "try:\n"
        "    compushady.Swapchain((d, 0x7ffffff), formats.B8G8R8A8_UNORM)\n"
        "except Exception as e:\n"
        "    print('raised', type(e).__name__, e)\n"
    ).format(xserver[2].encode())
    result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                            text=True, timeout=120,
                            env=dict(os.environ, XDG_SESSION_TYPE="x11"))
    # the window is asked of the server under a temporary error handler:
    # a Python exception, never Xlib's exit on BadWindow or a signal
    assert result.returncode == 0, result.stderr
    assert "raised SwapchainException" in result.stdout or "raised ValueError" in result.stdout, (result.stdout, result.stderr)


def test_glfw_window(xserver, monkeypatch):
    glfw = pytest.importorskip("glfw", reason="the glfw package is not installed")
    from compushady import utils

    xlib, display, name = xserver
    monkeypatch.setenv("DISPLAY", name)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    if hasattr(glfw, "init_hint") and hasattr(glfw, "PLATFORM"):
        glfw.init_hint(glfw.PLATFORM, glfw.PLATFORM_X11)
    if not glfw.init():
        pytest.skip("glfw cannot initialize on Xvfb")
    try:
        glfw.window_hint(glfw.CLIENT_API, glfw.NO_API)
        win = glfw.create_window(WIDTH, HEIGHT, "compushady", None, None)
        assert win, "glfw.create_window failed"
        try:
            swapchain = utils.create_swapchain_from_glfw(win)
            assert (swapchain.width, swapchain.height) == (WIDTH, HEIGHT)
            swapchain.present(_texture(formats.R8G8B8A8_UNORM), 3, 4)
            glfw_display = glfw.get_x11_display()
            _wait_for(xlib, glfw_display, glfw.get_x11_window(win),
                      _expected(3, 4), "GLFW window")
            del swapchain
        finally:
            glfw.destroy_window(win)
    finally:
        glfw.terminate()


def test_bogus_display_pointers_are_refused(xserver):
    """Display pointers that are not an open Xlib Display of this process
    raise instead of crashing inside the driver (run in a child, so a
    regression shows as a signal, not a dead test run)."""
    code = (
        "import ctypes, compushady\n"
        "from compushady import formats\n"
        "x = ctypes.CDLL('libX11.so.6'); x.XOpenDisplay.restype = ctypes.c_void_p\n"
        "x.XOpenDisplay.argtypes = [ctypes.c_char_p]\n"
        "x.XDefaultRootWindow.restype = ctypes.c_ulong\n"
        "x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]\n"
        "d = x.XOpenDisplay({0!r}); root = x.XDefaultRootWindow(d)\n"
        "garbage = ctypes.create_string_buffer(4096)\n"
        "copy = ctypes.create_string_buffer(ctypes.string_at(d, 2048), 2048)\n"
        "cases = [('misaligned', 0x1001), ('unmapped', 0x10000), ('kernel', 0xffff800000000000),\n"
        "         ('garbage', ctypes.addressof(garbage)), ('object', id(object())),\n"
        "         ('copy', ctypes.addressof(copy)), ('past-the-end', 2**64 - 8)]\n"
        "for name, pointer in cases:\n"
        "    try:\n"
        "        compushady.Swapchain((pointer, root), formats.B8G8R8A8_UNORM)\n"
        "        print(name, 'ACCEPTED')\n"
        "    except Exception as e:\n"
        "        print(name, type(e).__name__, e)\n"
        "print('done')\n"
    ).format(xserver[2].encode())
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=dict(os.environ, XDG_SESSION_TYPE="x11"))
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    lines = result.stdout.splitlines()
    assert lines[-1] == "done"
    reasons = {
        "misaligned": "misaligned",
        "unmapped": "not readable memory",
        "kernel": "not readable memory",
        "garbage": "no connection socket",
        "object": "no connection socket",
        "copy": "its screens are not its own",
        "past-the-end": "not readable memory",
    }
    for line in lines[:-1]:
        name, rest = line.split(" ", 1)
        assert re.match(r"(ValueError|SwapchainException) the X11 Display pointer 0x[0-9a-f]+ is not an open Xlib Display of this process \(" + re.escape(reasons[name]) + r"\)", rest), line
    assert len(lines) == len(reasons) + 1


def test_bogus_wayland_pointers_are_refused():
    """wl_display and wl_surface are opaque: pointers that are not readable
    memory raise (a child with WAYLAND_DISPLAY set, so the instance enables
    the Wayland surface extension)."""
    code = (
        "import ctypes, compushady\n"
        "from compushady import formats\n"
        "readable = ctypes.create_string_buffer(64)\n"
        "cases = [(0x10000, ctypes.addressof(readable)), (0x1001, ctypes.addressof(readable)),\n"
        "         (ctypes.addressof(readable), 0x10000), (ctypes.addressof(readable), 2**64 - 8)]\n"
        "for display, surface in cases:\n"
        "    try:\n"
        "        compushady.Swapchain(('wayland', display, surface), formats.B8G8R8A8_UNORM)\n"
        "        print('ACCEPTED')\n"
        "    except Exception as e:\n"
        "        print(type(e).__name__, e)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=dict(os.environ, WAYLAND_DISPLAY="compushady-test-none", XDG_SESSION_TYPE="wayland"))
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    lines = result.stdout.splitlines()
    if lines and "cannot present to Wayland windows" in lines[0]:
        pytest.skip("the Vulkan loader or driver has no VK_KHR_wayland_surface")
    assert len(lines) == 4, lines
    for line in lines[:2]:
        assert re.match(r"(ValueError|SwapchainException) the wl_display pointer 0x[0-9a-f]+ is not readable memory of this process", line), line
    for line in lines[2:]:
        assert re.match(r"(ValueError|SwapchainException) the wl_surface pointer 0x[0-9a-f]+ is not readable memory of this process", line), line
