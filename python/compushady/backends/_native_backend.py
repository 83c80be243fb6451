"""A backend of the native library: one native instance, created at first
use. This file is the template of every ``compushady.backends.<name>``
module (see ``compushady.backends``): it runs in each with ``name`` set to
the backend's name."""

import os
import threading

from compushady import _native

# set by compushady.backends' loader before this runs
name: str = globals().get("name") or ""
if not name:
    raise ImportError(
        "compushady.backends._native_backend is the template of the backend "
        "modules: import compushady.backends.<name> (one of "
        "compushady.backends.KNOWN_BACKENDS) instead"
    )

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


# SHADER_BINARY_TYPE_* of compushady for the native formats, in order of
# preference (SPIR-V, GLSL, MSL); HLSL and WGSL source have none
_BINARY_TYPES = (
    (_native.SHADER_FORMAT_SPIRV, 1),
    (_native.SHADER_FORMAT_GLSL, 4),
    (_native.SHADER_FORMAT_MSL, 3),
)


def shader_binary_type_of(device):
    """The SHADER_BINARY_TYPE_* a native device takes: SPIR-V (1) when it
    takes SPIR-V, else GLSL (4) or MSL (3) as its backend reports
    (Device.shader_formats)."""
    formats = device.shader_formats
    for bit, binary_type in _BINARY_TYPES:
        if formats & bit:
            return binary_type
    return 1


def get_shader_binary_type():
    """What this backend's shaders are, as a SHADER_BINARY_TYPE_*: what the
    current device takes (SPIR-V, 1, on Vulkan; see
    shader_binary_type_of). Compute() takes SPIR-V on every backend: the
    library converts it to what the device takes."""
    from compushady import get_current_device

    device = get_current_device()
    return shader_binary_type_of(getattr(device, "handle", device))


def get_instance():
    """The native Instance, created on the first call."""
    global _instance
    with _lock:
        if _instance is None:
            _instance = _native.create_instance(debug=_debug, backend=name)
            _set_wait_timeout(_instance)
            if _debug and not _instance.debug_enabled:
                _warn_no_validation_layer()
        return _instance


# what debug mode needs, per backend, for the warning when it is missing
_DEBUG_NEEDS = {
    "vulkan": "the Vulkan validation layer (VK_LAYER_KHRONOS_validation) is "
    "not installed, so nothing is validated and no debug messages are "
    "collected; install it (Debian/Ubuntu: apt-get install "
    "vulkan-validationlayers; or the Vulkan SDK)",
}


def _warn_no_validation_layer():
    """Debug mode was asked but the layer is missing: said once (the
    instance is created once), as a RuntimeWarning."""
    import warnings

    warnings.warn(
        "compushady debug mode: "
        + _DEBUG_NEEDS.get(
            name,
            "the {0} backend has no validation here, so nothing is validated "
            "and no debug messages are collected".format(name),
        ),
        RuntimeWarning,
        stacklevel=_caller_stacklevel(),
    )


def _caller_stacklevel():
    """The warnings stacklevel of the first frame outside this package,
    so that the warning names the user's line."""
    import os
    import sys

    package = os.path.dirname(os.path.abspath(_native.__file__))
    frame, level = sys._getframe(1), 1
    while frame is not None and os.path.abspath(
        frame.f_code.co_filename
    ).startswith(package + os.sep):
        frame, level = frame.f_back, level + 1
    return level


def _set_wait_timeout(instance):
    from compushady import config

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
