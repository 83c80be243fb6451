"""HLSL compute shaders to SPIR-V (D3D buffer layouts, compushady bindings)."""

from .. import _native


def compile(source, entry_point="main", target="cs_6_0"):
    """Compile HLSL source (str or bytes) to SPIR-V bytes.

    A compile error raises compushady.ShaderCompileError whose message holds
    the compiler's diagnostics with line numbers.
    """
    return _native.compile_shader(source, entry_point, target, "hlsl")
