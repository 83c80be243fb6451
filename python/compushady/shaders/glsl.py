"""GLSL compute shaders to SPIR-V."""

from __future__ import annotations

from .. import _native


def compile(source: str | bytes, entry_point: str = "main") -> bytes:
    """Compile a GLSL compute shader (str or bytes) to SPIR-V bytes.

    A compile error raises compushady.ShaderCompileError whose message holds
    the compiler's diagnostics with line numbers.
    """
    return _native.compile_shader(source, entry_point, "cs_6_0", "glsl")
