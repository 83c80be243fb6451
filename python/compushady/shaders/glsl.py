"""GLSL compute shaders to SPIR-V."""

from __future__ import annotations

from .. import _native


def compile(
    source: str | bytes, entry_point: str = "main", target: str = "cs_6_0"
) -> bytes:
    """Compile a GLSL compute shader (str or bytes) to SPIR-V bytes.

    A source with a #version line is this library's GLSL: its binding
    numbers are used as written (b0 = 0, t0 = 1024, u0 = 2048, s0 = 3072).
    One without is GLSL as the original compushady read it: loose uniforms
    (`uniform float m;`) are allowed and bindings 0, 1, 2... are numbered
    across kinds, then mapped kind by kind, in binding order, to the b
    (uniform), t (texture), u (storage buffer or image) and s (sampler)
    registers (docs/conventions.md). target is the original's HLSL profile
    argument, unused for GLSL.

    A compile error raises compushady.ShaderCompileError whose message holds
    the compiler's diagnostics with line numbers.
    """
    return _native.compile_shader(source, entry_point, "cs_6_0", "glsl")


from . import _prewarm  # noqa: E402

_prewarm("glsl")
