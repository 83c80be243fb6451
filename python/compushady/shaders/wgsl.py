"""WGSL compute shaders to SPIR-V, with compushady's own WGSL compiler
(written in C: src/shader/wgsl, docs/wgsl.md)."""

from .. import _native


def compile(source, entry_point="main", target="cs_6_0", constants=None):
    """Compile a WGSL compute shader (str or bytes) to SPIR-V bytes.

    entry_point names the @compute function. target is the original's
    (a D3D shader model, used only on its D3D12 backend): SPIR-V has none,
    so it is accepted and not used. constants gives values to
    `override` declarations, by name or by @id ("7"): {"BLOCK": 64,
    "GAIN": 0.5, "USE_GAIN": False}; the others keep their defaults. Resources declared with
    @group(g) @binding(n) are numbered per kind in (group, binding) order,
    as the original compushady did: var<uniform> -> cbv, var<storage, read>
    and textures -> srv, var<storage, read_write> and storage textures ->
    uav, samplers -> samplers. Buffers use WGSL's own layout rules.

    A compile error raises compushady.ShaderCompileError; its message says
    "shader:<line>:<column>: error: <what was expected>" and shows the
    source line with a caret under the column.
    """
    return _native.compile_shader(source, entry_point, "cs_6_0", "wgsl",
                                  constants=constants)


from . import _prewarm  # noqa: E402

_prewarm("glsl")
