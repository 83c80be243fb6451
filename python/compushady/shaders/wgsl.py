"""WGSL: no WGSL compiler is part of this build."""

MISSING = (
    "WGSL shaders are not supported by this build of compushady: it has no "
    "WGSL compiler (such as naga or tint). Compile the shader to SPIR-V with "
    "another tool and pass the bytes to Compute, or use "
    "compushady.shaders.hlsl / compushady.shaders.glsl"
)


def compile(source, entry_point="main"):
    """Always raises NotImplementedError (MISSING says why and what to use)."""
    raise NotImplementedError(MISSING)
