"""MSL (Metal Shading Language): needs the Metal backend, absent here."""

MISSING = (
    "MSL shaders are not supported by this build of compushady: they need "
    "the Metal backend (macOS) and its MSL compiler; this build has only the "
    "Vulkan backend, which takes SPIR-V (use compushady.shaders.hlsl or "
    "compushady.shaders.glsl)"
)


def compile(source, *args, **kwargs):
    """Always raises NotImplementedError (MISSING says why and what to use)."""
    raise NotImplementedError(MISSING)
