"""Backends: one Python module per backend compiled into the native library
(``compushady.backends.vulkan``, ...), named after it.

Each exposes ``name``, ``get_discovered_devices()`` (native devices),
``get_shader_binary_type()``, ``get_instance()`` and ``enable_debug()``.
They are made on first import from one template (``_native_backend.py``),
for every name of ``KNOWN_BACKENDS``: the names the native library was
built with (``src/backends/backends.def``), in order of preference. A
backend that needs Python of its own may still ship ``<name>.py`` here; it
is imported instead.
"""

import importlib.abc
import importlib.util
import os
import sys

from .. import _native

KNOWN_BACKENDS = tuple(_native.BACKENDS)

_TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_native_backend.py")


class _NativeBackendLoader(importlib.abc.Loader):
    """Runs the template in a new module whose ``name`` is the backend's."""

    def __init__(self, backend_name):
        self.backend_name = backend_name

    def create_module(self, spec):
        return None  # the default module

    def exec_module(self, module):
        with open(_TEMPLATE, "rb") as template:
            code = compile(template.read(), _TEMPLATE, "exec")
        module.__dict__["name"] = self.backend_name
        exec(code, module.__dict__)


class _NativeBackendFinder(importlib.abc.MetaPathFinder):
    """Finds compushady.backends.<name> for the compiled-in backends that
    have no file of their own (it comes last on sys.meta_path)."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, backend_name = fullname.rpartition(".")
        if package != __name__ or backend_name not in KNOWN_BACKENDS:
            return None
        return importlib.util.spec_from_loader(
            fullname, _NativeBackendLoader(backend_name), origin=_TEMPLATE
        )


if not any(isinstance(finder, _NativeBackendFinder) for finder in sys.meta_path):
    sys.meta_path.append(_NativeBackendFinder())


def _started():
    """The backend modules imported so far."""
    prefix = __name__ + "."
    return [
        module
        for module_name, module in list(sys.modules.items())
        if module_name.startswith(prefix)
        and module_name[len(prefix):] in KNOWN_BACKENDS
        and module is not None
    ]


def _apply_wait_timeout():
    """Gives config.wait_timeout to the devices of every started backend."""
    for module in _started():
        apply = getattr(module, "apply_wait_timeout", None)
        if apply is not None:
            apply()
