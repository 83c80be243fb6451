"""Settings read when the backend starts (at the first get_backend() call).

- ``wanted_backend``: the backend name; the ``COMPUSHADY_BACKEND`` environment
  variable, else ``"vulkan"`` (the only backend of this build).
- ``debug``: turn on the Vulkan validation layer (when installed) and collect
  its messages; ``COMPUSHADY_DEBUG=1`` in the environment also turns it on.

Both must be set before the first device is used: once the backend has
started, changing them has no effect.
"""

import os

DEFAULT_BACKEND = "vulkan"

wanted_backend = os.environ.get("COMPUSHADY_BACKEND") or DEFAULT_BACKEND
debug = os.environ.get("COMPUSHADY_DEBUG", "").strip().lower() in (
    "1",
    "true",
    "yes",
    "on",
)


def set_backend(backend_name):
    """Select the backend by name; takes effect at the first get_backend()."""
    global wanted_backend
    wanted_backend = backend_name


def set_debug(enable):
    """Enable or disable debug mode; takes effect at the first get_backend()."""
    global debug
    debug = bool(enable)
