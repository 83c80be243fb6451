"""Shader compilers: ``hlsl``, ``glsl``, ``wgsl`` (to SPIR-V); ``msl`` is
not available in this build and raises NotImplementedError."""

import threading as _threading

_prewarm_lock = _threading.Lock()
_prewarmed: "set[str]" = set()


def _prewarm_quietly(language):
    from .. import _native

    try:
        _native.prewarm_compiler(language)
    except Exception:  # the first real compile reports what is wrong
        pass


def _prewarm(language):
    """Builds the compiler's tables for language (20-40 ms, paid by the
    first compile of a process) on a thread of its own, once per process,
    while the program goes on (creating its device, say). A compile made
    meanwhile waits for the tables as it would have built them. The thread
    is not a daemon: the interpreter lets it finish before it exits, so no
    compiler runs while the process tears down. compushady.config.prewarm
    (COMPUSHADY_PREWARM=0) turns it off."""
    from .. import config

    if not config.prewarm:
        return
    with _prewarm_lock:
        if language in _prewarmed:
            return
        _prewarmed.add(language)
    _threading.Thread(
        target=_prewarm_quietly, args=(language,), name="compushady-prewarm-" + language
    ).start()
