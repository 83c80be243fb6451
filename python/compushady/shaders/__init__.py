"""Shader compilers: ``hlsl``, ``glsl``, ``wgsl`` (to SPIR-V); ``msl`` is
not available in this build and raises NotImplementedError."""
