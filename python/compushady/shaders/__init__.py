"""Shader compilers: ``hlsl``, ``glsl`` (to SPIR-V); ``wgsl``, ``msl`` are
not available in this build and raise NotImplementedError."""
