"""HLSL to SPIR-V, GLSL or MSL, as the original's ``compushady.backends.dxc``
(also reachable as ``compushady.shaders.hlsl.dxc``).

The HLSL compiler is DXC when a DXC library can be loaded, else glslang
(built in); COMPUSHADY_HLSL_COMPILER ("dxc" or "glslang") picks one. GLSL
and MSL are translated from the SPIR-V by SPIRV-Cross with the original's
bindings: GLSL keeps the SPIR-V binding numbers (t0 -> 1024, u0 -> 2048,
s0 -> 3072); MSL numbers [[buffer(n)]], [[texture(n)]] and [[sampler(n)]]
in register order b, t, u, s (docs/cross-compiling.md).
"""

from __future__ import annotations

import os
from typing import Tuple, Union

from .. import _native

# the SHADER_BINARY_TYPE_* values of compushady
_DXIL, _SPIRV, _DXBC, _MSL, _GLSL = 0, 1, 2, 3, 4


def _hlsl_compiler() -> str:
    chosen = os.environ.get("COMPUSHADY_HLSL_COMPILER")
    if chosen:
        return chosen
    return "dxc" if _native.dxc_available() else "glslang"


def compile(
    source: str | bytes, entry_point: str, shader_binary_type: int, target: str
) -> Union[bytes, Tuple[bytes, Tuple[int, int, int]]]:
    """Compile HLSL source (str or bytes) for shader_binary_type:
    SHADER_BINARY_TYPE_SPIRV gives SPIR-V bytes, SHADER_BINARY_TYPE_GLSL
    GLSL 450 source bytes, SHADER_BINARY_TYPE_MSL a tuple (MSL source bytes,
    (x, y, z) workgroup size). DXIL and DXBC need the D3D12 backend, which
    this build lacks (ValueError).

    A compile error raises compushady.ShaderCompileError (a ValueError)
    with the compiler's diagnostics.
    """
    if shader_binary_type not in (_SPIRV, _GLSL, _MSL):
        raise ValueError(
            "shader_binary_type must be SHADER_BINARY_TYPE_SPIRV (1), "
            "SHADER_BINARY_TYPE_MSL (3) or SHADER_BINARY_TYPE_GLSL (4), got "
            "{0!r}: DXIL and DXBC need the D3D12 backend, which this build "
            "lacks".format(shader_binary_type)
        )
    spirv = _native.compile_shader(
        source, entry_point, target, "hlsl", _hlsl_compiler()
    )
    if shader_binary_type == _SPIRV:
        return spirv
    if shader_binary_type == _GLSL:
        return _native.cross_compile(spirv, "glsl")[0]
    return _native.cross_compile(spirv, "msl")
