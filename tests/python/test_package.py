"""Module-level contract: constants, exceptions, config, lazy start,
formats, the shader and utils modules that have no compiler/window here."""

import subprocess
import sys

import pytest

import compushady
import compushady.config
import compushady.formats
from compushady import formats


def run_python(code, tmp_path, **env):
    """Run code in a fresh interpreter (outside the repo) and return stdout."""
    import os

    environment = dict(os.environ)
    for name in ("COMPUSHADY_BACKEND", "COMPUSHADY_DEVICE", "COMPUSHADY_DEBUG"):
        environment.pop(name, None)
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=str(tmp_path),
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_constants():
    assert (compushady.HEAP_DEFAULT, compushady.HEAP_UPLOAD, compushady.HEAP_READBACK) == (0, 1, 2)
    assert (
        compushady.SHADER_BINARY_TYPE_DXIL,
        compushady.SHADER_BINARY_TYPE_SPIRV,
        compushady.SHADER_BINARY_TYPE_DXBC,
        compushady.SHADER_BINARY_TYPE_MSL,
        compushady.SHADER_BINARY_TYPE_GLSL,
    ) == (0, 1, 2, 3, 4)
    assert (compushady.SAMPLER_FILTER_POINT, compushady.SAMPLER_FILTER_LINEAR) == (0, 1)
    assert (
        compushady.SAMPLER_ADDRESS_MODE_WRAP,
        compushady.SAMPLER_ADDRESS_MODE_MIRROR,
        compushady.SAMPLER_ADDRESS_MODE_CLAMP,
    ) == (0, 1, 2)


@pytest.mark.parametrize(
    "name",
    [
        "BufferException",
        "Texture1DException",
        "Texture2DException",
        "Texture3DException",
        "SamplerException",
        "HeapException",
    ],
)
def test_resource_exceptions_are_value_errors(name):
    exception = getattr(compushady, name)
    assert issubclass(exception, ValueError)
    assert exception is getattr(compushady._native, name)


def test_unknown_backend_is_an_exception():
    assert issubclass(compushady.UnknownBackend, Exception)


def test_import_does_not_start_the_backend(tmp_path):
    out = run_python(
        "import sys, compushady\n"
        "print(compushady._backend is None, 'compushady.backends.vulkan' in sys.modules)\n",
        tmp_path,
    )
    assert out.split() == ["True", "False"]


def test_get_backend_is_the_wanted_one():
    """vulkan unless COMPUSHADY_BACKEND names another backend compiled in"""
    backend = compushady.get_backend()
    name = compushady.config.wanted_backend
    assert backend.__name__ == "compushady.backends." + name
    assert backend.name == name
    if name == "vulkan":
        assert backend.get_shader_binary_type() == compushady.SHADER_BINARY_TYPE_SPIRV
    assert compushady.get_backend() is backend


def test_unknown_backend_from_config(tmp_path):
    out = run_python(
        "import compushady, compushady.config\n"
        "compushady.config.set_backend('d3d12')\n"
        "try:\n"
        "    compushady.get_backend()\n"
        "except compushady.UnknownBackend as e:\n"
        "    print('raised', e)\n",
        tmp_path,
    )
    assert out.startswith("raised")
    assert "d3d12" in out and "vulkan" in out


def test_unknown_backend_from_env(tmp_path):
    out = run_python(
        "import compushady\n"
        "try:\n"
        "    compushady.get_current_device()\n"
        "except compushady.UnknownBackend as e:\n"
        "    print('raised', e)\n",
        tmp_path,
        COMPUSHADY_BACKEND="metal",
    )
    assert out.startswith("raised") and "metal" in out and "vulkan" in out


def test_env_backend_vulkan(tmp_path):
    out = run_python(
        "import compushady\nprint(compushady.config.wanted_backend, compushady.get_backend().name)",
        tmp_path,
        COMPUSHADY_BACKEND="vulkan",
    )
    assert out.split() == ["vulkan", "vulkan"]


def test_config_defaults_and_debug_env(tmp_path):
    assert run_python(
        "import compushady.config as c\nprint(c.wanted_backend, c.debug)", tmp_path
    ).split() == ["vulkan", "False"]
    assert run_python(
        "import compushady.config as c\nprint(c.debug)", tmp_path, COMPUSHADY_DEBUG="1"
    ).split() == ["True"]


def test_set_debug_and_set_backend(tmp_path):
    out = run_python(
        "import compushady.config as c\n"
        "c.set_debug(True); c.set_backend('vulkan')\n"
        "print(c.debug, c.wanted_backend)\n",
        tmp_path,
    )
    assert out.split() == ["True", "vulkan"]


def test_debug_messages_printed_at_exit(tmp_path):
    # debug mode with nothing wrong: the program runs and exits cleanly
    out = run_python(
        "import compushady, compushady.config\n"
        "compushady.config.set_debug(True)\n"
        "b = compushady.Buffer(16, compushady.HEAP_UPLOAD)\n"
        "b.upload(b'x' * 16)\n"
        "print('ok', compushady.get_current_device().get_debug_messages())\n",
        tmp_path,
    )
    assert out.split("\n")[0] == "ok []"


EXPECTED_FORMATS = {
    "R32G32B32A32_FLOAT": (2, 16), "R32G32B32A32_UINT": (3, 16), "R32G32B32A32_SINT": (4, 16),
    "R32G32B32_FLOAT": (6, 12), "R32G32B32_UINT": (7, 12), "R32G32B32_SINT": (8, 12),
    "R16G16B16A16_FLOAT": (10, 8), "R16G16B16A16_UNORM": (11, 8), "R16G16B16A16_UINT": (12, 8),
    "R16G16B16A16_SNORM": (13, 8), "R16G16B16A16_SINT": (14, 8),
    "R32G32_FLOAT": (16, 8), "R32G32_UINT": (17, 8), "R32G32_SINT": (18, 8),
    "R10G10B10A2_UNORM": (24, 4), "R10G10B10A2_UINT": (25, 4),
    "R8G8B8A8_UNORM": (28, 4), "R8G8B8A8_UNORM_SRGB": (29, 4), "R8G8B8A8_UINT": (30, 4),
    "R8G8B8A8_SNORM": (31, 4), "R8G8B8A8_SINT": (32, 4),
    "R16G16_FLOAT": (34, 4), "R16G16_UNORM": (35, 4), "R16G16_UINT": (36, 4),
    "R16G16_SNORM": (37, 4), "R16G16_SINT": (38, 4),
    "R32_FLOAT": (41, 4), "R32_UINT": (42, 4), "R32_SINT": (43, 4),
    "R8G8_UNORM": (49, 2), "R8G8_UINT": (50, 2), "R8G8_SNORM": (51, 2), "R8G8_SINT": (52, 2),
    "R16_FLOAT": (54, 2), "R16_UNORM": (55, 2), "R16_UINT": (57, 2), "R16_SNORM": (58, 2),
    "R16_SINT": (59, 2),
    "R8_UNORM": (61, 1), "R8_UINT": (62, 1), "R8_SNORM": (63, 1), "R8_SINT": (64, 1),
    "B8G8R8A8_UNORM": (87, 4), "B8G8R8A8_UNORM_SRGB": (91, 4),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_FORMATS))
def test_format_values_and_sizes(name):
    value, size = EXPECTED_FORMATS[name]
    assert getattr(formats, name) == value
    assert formats.get_pixel_size(value) == size


@pytest.mark.parametrize("bad", [0, 1, 5, 999, -3])
def test_get_pixel_size_unknown(bad):
    with pytest.raises(ValueError, match="unknown format {0}".format(bad)):
        formats.get_pixel_size(bad)


def test_wgsl_compiles_and_msl_is_missing():
    from compushady.shaders import msl, wgsl

    # WGSL has the library's own compiler (tests/python/test_wgsl.py)
    assert wgsl.compile("@compute @workgroup_size(1) fn main() {}")[:4] == b"\x03\x02\x23\x07"
    with pytest.raises(NotImplementedError, match="MSL.*Metal"):
        msl.compile("kernel void main0() {}", (1, 1, 1))


def test_swapchain_checks_its_window_handle():
    # presenting is tested for real under Xvfb in test_swapchain.py
    with pytest.raises(ValueError, match="X11 Display pointer must be a positive"):
        compushady.Swapchain((0, 0), formats.B8G8R8A8_UNORM)
    from compushady import utils

    try:
        import glfw  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="needs the glfw package"):
            utils.create_swapchain_from_glfw(None)
    else:
        with pytest.raises(TypeError, match="must be a GLFW window, got None"):
            utils.create_swapchain_from_glfw(None)


def test_load_image(tmp_path):
    from compushady import utils

    try:
        from PIL import Image
    except ImportError:
        with pytest.raises(ImportError, match="needs Pillow"):
            utils.load_image(str(tmp_path / "missing.png"))
        return
    path = tmp_path / "image.png"
    Image.new("RGB", (3, 2), (10, 20, 30)).save(path)
    data, width, height = utils.load_image(str(path))
    assert (width, height) == (3, 2)
    assert data == bytes([10, 20, 30, 255]) * 6
