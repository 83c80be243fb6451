"""HLSL compute shaders to SPIR-V (D3D buffer layouts, compushady bindings)."""

from __future__ import annotations

import os

from .. import _native
from ..backends import dxc  # noqa: F401 (hlsl.dxc, as in the original)

COMPILERS = ("glslang", "dxc")


def compile(
    source: str | bytes,
    entry_point: str = "main",
    target: str = "cs_6_0",
    compiler: str | None = None,
) -> bytes:
    """Compile HLSL source (str or bytes) to SPIR-V bytes.

    compiler picks the HLSL compiler: "glslang" (built in, the default) or
    "dxc" (DXC's libdxcompiler.so, loaded from the path in COMPUSHADY_DXC,
    $VULKAN_SDK/lib or the system's library path). None means the
    COMPUSHADY_HLSL_COMPILER environment variable, or glslang when it is
    unset. Both give the same bindings and buffer layouts.

    A compile error raises compushady.ShaderCompileError whose message holds
    the compiler's diagnostics with line numbers; so does asking for DXC
    when no DXC library can be loaded.
    """
    if compiler is None:
        compiler = os.environ.get("COMPUSHADY_HLSL_COMPILER") or "glslang"
        if compiler not in COMPILERS:
            raise ValueError(
                "COMPUSHADY_HLSL_COMPILER must be \"glslang\" or \"dxc\", got %r" % (compiler,)
            )
    if compiler not in COMPILERS:
        raise ValueError(
            "compiler must be None, \"glslang\" or \"dxc\", got %r" % (compiler,)
        )
    return _native.compile_shader(source, entry_point, target, "hlsl", compiler)


def dxc_available() -> bool:
    """Whether a DXC library can be loaded, so compile(..., compiler="dxc")
    works (see compile for where it is searched)."""
    return _native.dxc_available()


from . import _prewarm  # noqa: E402

_prewarm("hlsl")
