"""Swapchains on Win32 windows, from Python: the ("win32", hinstance, hwnd)
window handle (and, on Windows, the HWND alone, as the original takes it)
reaches the library as CS_WINDOW_WIN32. Off Windows no Vulkan loader has
VK_KHR_win32_surface, so the swapchain is refused naming it; the Windows
side is tested in C under Wine (tests/c/test_swapchain_win32.c)."""

import sys

import pytest

import compushady
from compushady import Swapchain, formats

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="checks the refusal off Windows"
)


@pytest.mark.parametrize("hinstance", [0, None, 0x400000])
@pytest.mark.parametrize("hwnd", [1, 0x10010, 2**40])
def test_refused_off_windows(hinstance, hwnd):
    with pytest.raises(ValueError, match="cannot present to Win32 windows.*"
                       "VK_KHR_win32_surface"):
        Swapchain(("win32", hinstance, hwnd), formats.B8G8R8A8_UNORM)


@pytest.mark.parametrize("hwnd, error, text", [
    (0, ValueError, "HWND must be a positive"),
    (-3, ValueError, "HWND must be a positive"),
    (None, ValueError, "HWND is NULL"),
    ("window", TypeError, "HWND must be an int"),
])
def test_bad_hwnd(hwnd, error, text):
    with pytest.raises(error, match=text):
        Swapchain(("win32", 0, hwnd), formats.B8G8R8A8_UNORM)


def test_bad_hinstance():
    with pytest.raises(ValueError, match="HINSTANCE must be a positive"):
        Swapchain(("win32", -1, 5), formats.B8G8R8A8_UNORM)


def test_native_layer():
    device = compushady.get_current_device().handle
    with pytest.raises(ValueError, match="cannot present to Win32 windows"):
        device.create_swapchain("win32", 0, 7, formats.B8G8R8A8_UNORM)
    with pytest.raises(ValueError, match="window must not be 0"):
        device.create_swapchain("win32", 0, 0, formats.B8G8R8A8_UNORM)
    with pytest.raises(ValueError, match="HWND\\) must not be 0|window must"):
        device.create_swapchain("win32", 5, 0, formats.B8G8R8A8_UNORM)
