"""Swapchain on Wayland, for real: a private headless weston (pixman
renderer, fullscreen shell), a wl_surface made through ctypes
(wayland_window.py), lavapipe presenting through wl_shm, and what reached
the screen read back with weston-screenshooter and compared pixel by pixel,
as test_swapchain.py does on X11 under Xvfb. The client runs in a child
process: VK_KHR_wayland_surface is enabled only when WAYLAND_DISPLAY is set
as the instance starts. Skipped only where weston, libwayland-client or
Pillow is missing."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SCREEN_W, SCREEN_H = 320, 240

CLIENT = r"""
import json, os, subprocess, sys, tempfile, time
sys.path.insert(0, {here!r})
from PIL import Image
import compushady
from compushady import Buffer, HEAP_UPLOAD, Swapchain, Texture2D, formats
from test_swapchain import COLOURS, TEX_H, TEX_W, _pattern, _quadrant
from wayland_window import FullscreenSurface

results = {{}}
shots = tempfile.mkdtemp(prefix="compushady-shots-")


def texture(fmt):
    tex = Texture2D(TEX_W, TEX_H, fmt)
    staging = Buffer(tex.size, HEAP_UPLOAD)
    staging.upload2d(_pattern(fmt), tex.row_pitch, TEX_W, TEX_H, 4)
    staging.copy_to(tex)
    return tex


def screen():
    # weston-screenshooter writes wayland-screenshot-<time>.png in its folder
    before = set(os.listdir(shots))
    subprocess.run(["weston-screenshooter"], cwd=shots, check=True, timeout=30,
                   stdout=subprocess.DEVNULL)
    (name,) = set(os.listdir(shots)) - before
    image = Image.open(os.path.join(shots, name)).convert("RGB")
    os.remove(os.path.join(shots, name))
    return image


def pattern_box(image):
    # (x, y, width, height) of what is not black, and whether it is the
    # pattern, texel for texel
    box = image.getbbox()
    if box is None:
        return None, False
    x0, y0, x1, y1 = box
    same = (x1 - x0, y1 - y0) == (TEX_W, TEX_H) and all(
        image.getpixel((x0 + x, y0 + y)) == COLOURS[_quadrant(x, y)]
        for y in range(TEX_H) for x in range(TEX_W))
    return [x0, y0, x1 - x0, y1 - y0], same


def check(name, expected_at=None):
    # the compositor shows a commit at its next repaint: a few tries
    for attempt in range(20):
        box, same = pattern_box(screen())
        ok = same and (expected_at is None or box[:2] == list(expected_at))
        if ok:
            break
        time.sleep(0.05)
    results[name] = {{"box": box, "pattern": same, "ok": ok}}


window = FullscreenSurface()
handle = (window.display, window.surface)  # XDG_SESSION_TYPE=wayland: Wayland
fifo = Swapchain(handle, formats.B8G8R8A8_UNORM, width={w}, height={h})
results["size"] = [fifo.width, fifo.height]
results["modes"] = list(fifo.present_modes)
bgra, rgba = texture(formats.B8G8R8A8_UNORM), texture(formats.R8G8B8A8_UNORM)
for _ in range(4):
    fifo.present(bgra, 10, 20)
    window.roundtrip()
check("fifo", (10, 20))
fifo.present(rgba, {w} - TEX_W, {h} - TEX_H)  # converted, at the corner
window.roundtrip()
check("fifo rgba corner", ({w} - TEX_W, {h} - TEX_H))
results["fifo recreations"] = fifo.recreate_count
del fifo

for mode in ("mailbox", "immediate"):
    try:
        swapchain = Swapchain(("wayland",) + handle, formats.B8G8R8A8_UNORM,
                              width={w}, height={h}, present_mode=mode)
    except ValueError as error:
        results[mode + " error"] = str(error)
        continue
    for _ in range(4):
        swapchain.present(bgra, 30, 40)
    window.roundtrip()
    check(mode, (30, 40))
    del swapchain

# the application picks the size on Wayland: recreate() with a new one
manual = Swapchain(handle, formats.B8G8R8A8_UNORM, width={w}, height={h},
                   auto_recreate=False)
manual.present(bgra, 0, 0)
manual.recreate(200, 100)
results["recreated"] = [manual.width, manual.height, manual.recreate_count]
manual.present(bgra, 0, 0)
window.roundtrip()
check("recreated 200x100")
del manual
results["validation"] = compushady.get_current_device().get_debug_messages()
results["debug"] = compushady.get_backend().get_instance().debug_enabled
print(json.dumps(results))
"""


def _wait_for_socket(path, server, what):
    deadline = time.monotonic() + 20
    while not os.path.exists(path):
        if server.poll() is not None or time.monotonic() > deadline:
            pytest.fail("{0} did not start (exit status {1})".format(what, server.poll()))
        time.sleep(0.05)


@pytest.fixture(scope="module")
def weston():
    """The environment of a private headless weston."""
    for program in ("weston", "weston-screenshooter"):
        if shutil.which(program) is None:
            pytest.skip("{0} is not installed (apt-get install weston)".format(program))
    pytest.importorskip("PIL", reason="Pillow is not installed")
    import wayland_window

    if wayland_window.WL is None:
        pytest.skip("libwayland-client is not installed")
    runtime = tempfile.mkdtemp(prefix="compushady-wayland-")
    os.chmod(runtime, 0o700)
    env = dict(os.environ, XDG_RUNTIME_DIR=runtime, WAYLAND_DISPLAY="compushady-test",
               XDG_SESSION_TYPE="wayland")
    env.pop("DISPLAY", None)
    server = subprocess.Popen(
        ["weston", "--backend=headless-backend.so", "--use-pixman",
         "--width={0}".format(SCREEN_W), "--height={0}".format(SCREEN_H),
         "--shell=fullscreen-shell.so", "--socket=compushady-test", "--idle-time=0",
         "--debug"],  # --debug: the screenshooter is allowed
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_socket(os.path.join(runtime, "compushady-test"), server, "weston")
        yield env
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(runtime, ignore_errors=True)


def test_wayland_present_reaches_the_screen(weston):
    code = CLIENT.format(here=HERE, w=SCREEN_W, h=SCREEN_H)
    env = dict(weston, COMPUSHADY_DEBUG="1")  # the validation layer, as in the suite
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    results = json.loads(result.stdout.strip().splitlines()[-1])
    print(results)
    assert results["debug"] and results["validation"] == []
    assert results["size"] == [SCREEN_W, SCREEN_H]
    assert "fifo" in results["modes"]
    for name in ("fifo", "fifo rgba corner", "recreated 200x100"):
        assert results[name]["ok"], (name, results[name])
    assert results["fifo recreations"] == 0
    assert results["recreated"] == [200, 100, 1]
    for mode in ("mailbox", "immediate"):
        if mode in results["modes"]:
            assert results[mode]["ok"], (mode, results[mode])
        else:  # refused, naming the modes the window has
            assert results[mode + " error"].startswith(
                "present mode {0} is not offered for this window".format(mode.upper()))
            assert "its modes: FIFO" in results[mode + " error"]
