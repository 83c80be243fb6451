"""The OpenGL backend: one native instance over EGL and OpenGL 4.5, created
at first use (docs/opengl.md). Shaders are SPIR-V, as for Vulkan; debug mode
creates debug contexts whose GL errors are collected as debug messages."""

import os
import threading

from .. import _native

name = "opengl"

_lock = threading.Lock()
_instance = None
_debug = False


def enable_debug():
    """Create the instance with debug contexts; only before first use."""
    global _debug
    _debug = True


def _forget_parent_instance():
    """In a fork()ed child the parent's contexts are unusable: the next
    get_instance() creates the child's own."""
    global _lock, _instance
    _lock = threading.Lock()
    _instance = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_instance)


def get_shader_binary_type():
    """SHADER_BINARY_TYPE_SPIRV (1): GL takes it through GL_ARB_gl_spirv."""
    return 1


def _set_wait_timeout(instance):
    from .. import config

    for device in instance.devices():
        device.set_wait_timeout(config.wait_timeout)


def get_instance():
    """The native Instance, created on the first call."""
    global _instance
    with _lock:
        if _instance is None:
            _instance = _native.create_instance(debug=_debug, backend=name)
            _set_wait_timeout(_instance)
        return _instance


def apply_wait_timeout():
    """Gives config.wait_timeout to the devices, if the instance exists."""
    with _lock:
        if _instance is not None:
            _set_wait_timeout(_instance)


def get_discovered_devices():
    """The native Device objects of this backend's instance."""
    return list(get_instance().devices())
