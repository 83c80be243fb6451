"""pip install . without what the build needs: setup.py names every missing
header and library at once, with the exact apt-get line, before compiling
anything (python setup.py build_check runs only that check)."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EVERYTHING = ("build-essential libvulkan-dev libx11-dev libegl-dev libgl-dev libshaderc-dev "
              "glslang-dev spirv-tools libspirv-cross-c-shared-dev")


def build_check(compiler):
    env = dict(os.environ, CC=compiler)
    env.pop("COMPUSHADY_SKIP_BUILD_CHECK", None)
    return subprocess.run([sys.executable, "setup.py", "-q", "build_check"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_everything_found():
    result = build_check("cc")
    assert result.returncode == 0, result.stderr
    assert "every header and library of the build was found" in result.stdout


def test_missing_headers_give_the_apt_line():
    # a compiler that searches no include directory: the headers are "missing"
    result = build_check("cc -nostdinc")
    assert result.returncode == 1
    assert "missing: vulkan/vulkan.h, X11/Xlib.h, EGL/egl.h, GL/glcorearb.h\n" in result.stderr
    assert (
        "    sudo apt-get install -y libvulkan-dev libx11-dev libegl-dev libgl-dev\n"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("compiler", ["no-such-compiler", "/nonexistent/cc", "false"])
def test_no_compiler_names_every_package(compiler):
    result = build_check(compiler)
    assert result.returncode == 1
    assert "missing: {0} (a C compiler), vulkan/vulkan.h".format(compiler.split()[0]) in result.stderr
    assert "    sudo apt-get install -y {0}\n".format(EVERYTHING) in result.stderr


def test_skip_variable():
    env = dict(os.environ, CC="no-such-compiler", COMPUSHADY_SKIP_BUILD_CHECK="1")
    result = subprocess.run([sys.executable, "setup.py", "-q", "build_check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "build check skipped" in result.stdout
