"""Helpers: loading images (Pillow) and GLFW swapchains."""

from __future__ import annotations

import sys
from typing import Any, Tuple

from . import Swapchain
from .formats import B8G8R8A8_UNORM


def load_image(filename: str) -> Tuple[bytes, int, int]:
    """Load an image file as RGBA8: returns (rgba_bytes, width, height)."""
    try:
        from PIL import Image
    except ImportError as error:
        raise ImportError(
            "compushady.utils.load_image needs Pillow, which is not "
            "installed: pip install Pillow"
        ) from error
    with Image.open(filename) as image:
        rgba = image.convert("RGBA")
        return rgba.tobytes(), rgba.width, rgba.height


def create_swapchain_from_glfw(
    window: Any, format: int = B8G8R8A8_UNORM, num_buffers: int = 3
) -> Swapchain:
    """A Swapchain presenting to a GLFW window (the ``glfw`` package), on
    X11 or, when GLFW runs on Wayland, on Wayland."""
    try:
        import glfw
    except ImportError as error:
        raise ImportError(
            "compushady.utils.create_swapchain_from_glfw needs the glfw "
            "package, which is not installed: pip install glfw"
        ) from error
    if sys.platform in ("win32", "darwin"):
        raise NotImplementedError(
            "this build of compushady presents only to X11 and Wayland "
            "windows (Vulkan on Linux), not on {0}".format(sys.platform)
        )
    if window is None:
        raise TypeError("window must be a GLFW window, got None")
    platform = glfw.get_platform() if hasattr(glfw, "get_platform") else None
    if platform is not None and platform == getattr(glfw, "PLATFORM_WAYLAND", None):
        width, height = glfw.get_framebuffer_size(window)
        return Swapchain(
            (
                "wayland",
                glfw.get_wayland_display(),
                glfw.get_wayland_window(window),
            ),
            format,
            num_buffers,
            width=width,
            height=height,
        )
    return Swapchain(
        ("x11", glfw.get_x11_display(), glfw.get_x11_window(window)),
        format,
        num_buffers,
    )
