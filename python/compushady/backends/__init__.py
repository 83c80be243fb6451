"""Backends: Python modules named after the backend (``vulkan``, ``opengl``).

Each exposes ``name``, ``get_discovered_devices()`` (native devices),
``get_shader_binary_type()`` and ``enable_debug()``.
"""

KNOWN_BACKENDS = ("vulkan", "opengl")
