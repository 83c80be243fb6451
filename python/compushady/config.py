"""Settings read when the backend starts (at the first get_backend() call).

- ``wanted_backend``: the backend name; the ``COMPUSHADY_BACKEND`` environment
  variable, else ``"vulkan"`` (the only backend of this build).
- ``debug``: turn on the Vulkan validation layer (when installed) and collect
  its messages; ``COMPUSHADY_DEBUG=1`` in the environment also turns it on.

Both must be set before the first device is used: once the backend has
started, changing them has no effect.

- ``wait_timeout``: how long (seconds) a call waits for the GPU (dispatch,
  copy, ``CommandList.submit()``, ``Fence.wait()`` without a timeout)
  before it raises ``compushady.GPUTimeout`` (a ``TimeoutError``); None
  (the default) waits forever. ``COMPUSHADY_WAIT_TIMEOUT`` (seconds) in the
  environment sets it. Unlike the others it applies at any time, to every
  device. The GPU work is not stopped: it goes on in the background.
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


def _parse_wait_timeout(text):
    text = (text or "").strip()
    if not text or text.lower() in ("none", "0", "0.0"):
        return None
    value = float(text)
    if not value > 0:
        raise ValueError(
            "COMPUSHADY_WAIT_TIMEOUT must be seconds > 0, got %r" % text
        )
    return value


wait_timeout = _parse_wait_timeout(os.environ.get("COMPUSHADY_WAIT_TIMEOUT"))


def set_wait_timeout(seconds):
    """How long calls wait for the GPU before raising GPUTimeout (a
    TimeoutError); None waits forever. Applies at once to every device."""
    global wait_timeout
    if seconds is not None:
        seconds = float(seconds)
        if not seconds > 0:
            raise ValueError(
                "the wait timeout must be > 0 seconds or None, got %r" % seconds
            )
    wait_timeout = seconds
    from .backends import vulkan

    vulkan.apply_wait_timeout()


CACHES = ("compile", "module", "pipeline", "driver")


def set_cache_limits(cache, max_entries=None, max_bytes=None):
    """Bound one kind of cache by a number of entries and of bytes (both
    >= 1; None keeps the current value). ``cache``: ``"compile"`` (compiled
    SPIR-V kept in memory), ``"module"`` (reflected and validated modules),
    ``"pipeline"`` (per device: Vulkan pipelines) or ``"driver"`` (per
    device: the driver's VkPipelineCache). The defaults come from
    ``COMPUSHADY_<CACHE>_CACHE_ENTRIES`` / ``COMPUSHADY_<CACHE>_CACHE_BYTES``
    (docs/decisions.md, "Caches")."""
    from . import _native

    entries, size = _native.get_cache_limits(cache)
    _native.set_cache_limits(
        cache,
        entries if max_entries is None else _cache_amount(max_entries, "max_entries"),
        size if max_bytes is None else _cache_amount(max_bytes, "max_bytes"),
    )


def get_cache_limits(cache):
    """(max_entries, max_bytes) of one kind of cache; see set_cache_limits."""
    from . import _native

    return _native.get_cache_limits(cache)


def _cache_amount(value, name):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("{0} must be an int, got {1}".format(name, type(value).__name__))
    if value < 1:
        raise ValueError("{0} must be >= 1, got {1}".format(name, value))
    return value
