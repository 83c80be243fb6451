"""Settings read when the backend starts (at the first get_backend() call).

- ``wanted_backend``: the backend name; the ``COMPUSHADY_BACKEND`` environment
  variable, else ``DEFAULT_BACKEND``, the first backend compiled in
  (``"vulkan"``; ``compushady.backends.KNOWN_BACKENDS`` lists them all).
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
  ``float("inf")`` (``COMPUSHADY_WAIT_TIMEOUT=inf``) and any value too large
  to count in nanoseconds wait forever, as None does.

A malformed environment variable raises ValueError naming the variable
(for ``COMPUSHADY_DEBUG`` and ``COMPUSHADY_WAIT_TIMEOUT``: at the first
``get_backend()``, so that ``import compushady`` and the command line
still work and say what is wrong).
``COMPUSHADY_CACHE_DIR`` only speeds things up: a directory that cannot be
used gives a RuntimeWarning naming the variable, and nothing is cached on
disk.
"""

from __future__ import annotations

import os
import warnings

from . import _native

# the first backend compiled in (src/backends/backends.def): "vulkan"
DEFAULT_BACKEND = _native.BACKENDS[0] if _native.BACKENDS else "vulkan"

_TRUE_WORDS = ("1", "true", "yes", "on")
_FALSE_WORDS = ("", "0", "false", "no", "off")


def _parse_debug(text, name="COMPUSHADY_DEBUG"):
    word = (text or "").strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueError(
        "{0} must be one of {1} (on) or {2} (off), got {3!r}".format(
            name, "/".join(_TRUE_WORDS), "/".join(w or "''" for w in _FALSE_WORDS), text
        )
    )


wanted_backend = os.environ.get("COMPUSHADY_BACKEND") or DEFAULT_BACKEND
# whether wanted_backend came from COMPUSHADY_BACKEND (named in its error)
_backend_from_environment = bool(os.environ.get("COMPUSHADY_BACKEND"))

# A bad value must not make ``import compushady`` fail (nor the command
# line print a traceback): the first get_backend() raises it, as a
# ValueError naming the variable.
def _from_environment(parse, variable, default):
    """parse(value of variable), or default and the error's text."""
    try:
        return parse(os.environ.get(variable)), None
    except ValueError as problem:
        return default, str(problem)


debug, _environment_error = _from_environment(_parse_debug, "COMPUSHADY_DEBUG", False)


def _parse_prewarm(text, name="COMPUSHADY_PREWARM"):
    """On (the default) unless the variable says off."""
    return True if text is None else _parse_debug(text, name)


# whether importing compushady.shaders.hlsl/glsl/wgsl builds the compiler's
# tables on a thread of its own (cs_shader_prewarm): the first compile of a
# process then costs ~1 ms instead of 20-40
prewarm, _prewarm_error = _from_environment(_parse_prewarm, "COMPUSHADY_PREWARM", True)
_environment_error = _environment_error or _prewarm_error


def set_backend(backend_name: str) -> None:
    """Select the backend by name; takes effect at the first get_backend()."""
    global wanted_backend, _backend_from_environment
    wanted_backend = backend_name
    _backend_from_environment = False


def set_debug(enable: bool) -> None:
    """Enable or disable debug mode; takes effect at the first get_backend()."""
    global debug
    debug = bool(enable)


def _parse_wait_timeout(text, name="COMPUSHADY_WAIT_TIMEOUT"):
    """None (forever) for unset, empty, "none" or 0; inf for "inf"; else
    seconds > 0. ValueError naming the variable otherwise."""
    stripped = (text or "").strip()
    if not stripped or stripped.lower() == "none":
        return None
    try:
        value = float(stripped)
    except ValueError:
        value = None
    if value == 0:
        return None
    if value is None or not value > 0:  # NaN too
        raise ValueError(
            "{0} must be seconds > 0, 'inf' or 'none' (wait forever), "
            "got {1!r}".format(name, text)
        )
    return value


_wait_timeout, _wait_timeout_error = _from_environment(
    _parse_wait_timeout, "COMPUSHADY_WAIT_TIMEOUT", None
)
_environment_error = _environment_error or _wait_timeout_error
wait_timeout = _wait_timeout


def set_wait_timeout(seconds: float | None) -> None:
    """How long calls wait for the GPU before raising GPUTimeout (a
    TimeoutError); None waits forever. Applies at once to every device."""
    global wait_timeout
    if seconds is not None:
        try:
            seconds = float(seconds)
        except OverflowError:  # an int past float's range: +-infinity
            seconds = float("inf") if seconds > 0 else float("-inf")
        except (TypeError, ValueError):
            raise TypeError(
                "the wait timeout must be seconds (a number) or None, got "
                "{0!r}".format(seconds)
            ) from None
        if not seconds > 0:
            raise ValueError(
                "the wait timeout must be > 0 seconds or None, got %r" % seconds
            )
    wait_timeout = seconds
    from . import backends

    backends._apply_wait_timeout()


# cs_cache_dir's buffer (src/core/cache.c), terminator included
_CACHE_DIR_CAPACITY = 2048


def _cache_dir_problem(text):
    """Why COMPUSHADY_CACHE_DIR=text cannot hold the disk cache, or None
    (unset, "" and "0" turn the disk cache off on purpose)."""
    if text is None or text in ("", "0"):
        return None
    if len(os.fsencode(text)) >= _CACHE_DIR_CAPACITY:
        return "longer than {0} bytes".format(_CACHE_DIR_CAPACITY - 1)
    path = os.path.abspath(text)
    # the directories missing from the path are created at the first write
    while not os.path.lexists(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    if not os.path.isdir(path):
        return "{0!r} is not a directory".format(path)
    if not os.access(path, os.W_OK | os.X_OK):
        return "{0!r} is not writable".format(path)
    return None


def _warn_about_cache_dir(text):
    problem = _cache_dir_problem(text)
    if problem:
        warnings.warn(
            "COMPUSHADY_CACHE_DIR={0!r} cannot be used ({1}): compiled "
            "shaders and pipelines are not cached on disk".format(text, problem),
            RuntimeWarning,
            stacklevel=2,
        )
    return problem


_warn_about_cache_dir(os.environ.get("COMPUSHADY_CACHE_DIR"))


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
