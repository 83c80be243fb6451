"""MSL (Metal Shading Language): needs the Metal backend, absent here."""

MISSING = (
    "MSL shaders are not supported by this build of compushady: they need "
    "the Metal backend (macOS) and its MSL compiler; this build has only the "
    "Vulkan backend, which takes SPIR-V (use compushady.shaders.hlsl or "
    "compushady.shaders.glsl)"
)


def compile(source, grid, entry_point="main"):
    """Always raises NotImplementedError (MISSING says why and what to use).
    The parameters are the original's: MSL source, its (x, y, z)
    threadgroup size and entry point."""
    raise NotImplementedError(MISSING)
