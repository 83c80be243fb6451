"""The Vulkan backend: one native instance, created at first use."""

import os
import threading

from .. import _native

name = "vulkan"

_lock = threading.Lock()
_instance = None
_debug = False


def enable_debug():
    """Create the instance with the validation layer; only before first use."""
    global _debug
    _debug = True


def _forget_parent_instance():
    """In a fork()ed child: the parent's instance is unusable there (its
    driver objects belong to the parent); the next get_instance() creates
    the child's own. The lock is new: another thread of the parent may
    have held it at the fork."""
    global _lock, _instance
    _lock = threading.Lock()
    _instance = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_instance)


def get_shader_binary_type():
    """SHADER_BINARY_TYPE_SPIRV (1): what this backend's shaders are."""
    return 1


def get_instance():
    """The native Instance, created on the first call."""
    global _instance
    with _lock:
        if _instance is None:
            _instance = _native.create_instance(debug=_debug, backend=name)
            _set_wait_timeout(_instance)
        return _instance


def _set_wait_timeout(instance):
    from .. import config

    for device in instance.devices():
        device.set_wait_timeout(config.wait_timeout)


def apply_wait_timeout():
    """Gives config.wait_timeout to the devices, if the instance exists."""
    with _lock:
        if _instance is not None:
            _set_wait_timeout(_instance)


def get_discovered_devices():
    """The native Device objects of this backend's instance."""
    return list(get_instance().devices())
