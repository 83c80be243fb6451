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

from __future__ import annotations

import os

DEFAULT_BACKEND = "vulkan"

wanted_backend = os.environ.get("COMPUSHADY_BACKEND") or DEFAULT_BACKEND
debug = os.environ.get("COMPUSHADY_DEBUG", "").strip().lower() in (
    "1",
    "true",
    "yes",
    "on",
)


def set_backend(backend_name: str) -> None:
    """Select the backend by name; takes effect at the first get_backend()."""
    global wanted_backend
    wanted_backend = backend_name


def set_debug(enable: bool) -> None:
    """Enable or disable debug mode; takes effect at the first get_backend()."""
    global debug
    debug = bool(enable)


def _parse_wait_timeout(text: str | None) -> float | None:
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


def set_wait_timeout(seconds: float | None) -> None:
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
