"""Helpers: loading images (Pillow) and GLFW swapchains."""

from . import SWAPCHAIN_NOT_IMPLEMENTED
from .formats import B8G8R8A8_UNORM


def load_image(filename):
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


def create_swapchain_from_glfw(window, format=B8G8R8A8_UNORM, num_buffers=3):
    """A Swapchain for a GLFW window; not implemented in this build."""
    raise NotImplementedError(SWAPCHAIN_NOT_IMPLEMENTED)
