"""MSL (Metal Shading Language): needs the Metal backend, absent here."""

from __future__ import annotations

from typing import NoReturn

MISSING = (
    "MSL shaders are not supported by this build of compushady: they need "
    "the Metal backend (macOS) and its MSL compiler; this build has only the "
    "Vulkan backend, which takes SPIR-V (use compushady.shaders.hlsl or "
    "compushady.shaders.glsl)"
)


def compile(
    source: str | bytes, grid: tuple[int, int, int], entry_point: str = "main"
) -> NoReturn:
    """Always raises NotImplementedError (MISSING says why and what to use).
    The parameters are the original's: MSL source, its (x, y, z)
    threadgroup size and entry point."""
    raise NotImplementedError(MISSING)
