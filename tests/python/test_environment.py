"""A wrong environment says what to do: no Vulkan loader, no driver, debug
mode without the validation layer, an unknown COMPUSHADY_BACKEND, a closed
stdout. Each case runs in a fresh interpreter (the backend starts once per
process), asserting exit codes and messages; the command line must never
print a traceback for them."""

import os
import pty
import subprocess
import sys

import pytest

import compushady
from compushady import _native

DRIVER_HINT = "no Vulkan driver was found: install one (Debian/Ubuntu: apt-get install mesa-vulkan-drivers"
LOADER_HINT = "apt-get install libvulkan1 mesa-vulkan-drivers"

# Prints the exception of the first use of the backend as "Type: message".
FIRST_USE = """
import compushady
try:
    compushady.Buffer(16)
except Exception as error:
    print(type(error).__name__ + ": " + str(error))
    raise SystemExit(1)
print("ok")
"""


def run_python(code, env=None, **kwargs):
    full_env = dict(os.environ)
    full_env.pop("COMPUSHADY_DEBUG", None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=full_env, timeout=120, **kwargs)


def run_cli(*args, env=None, **kwargs):
    """python -m compushady ARGS; stdout and stderr captured unless given."""
    full_env = dict(os.environ)
    full_env.pop("COMPUSHADY_DEBUG", None)
    full_env.update(env or {})
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "compushady", *args], text=True, env=full_env,
                          timeout=120, **kwargs)


def assert_one_line_error(result, status, *fragments):
    assert result.returncode == status, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


# >>no driver ---------------------------------------------------------------


def no_driver_env(tmp_path, kind):
    if kind == "missing file":
        path = str(tmp_path / "nonexistent" / "icd.json")
    else:
        path = str(tmp_path / "empty.json")
        open(path, "w").close()
    # VK_DRIVER_FILES for loaders >= 1.3.234, VK_ICD_FILENAMES for older ones
    return {"VK_DRIVER_FILES": path, "VK_ICD_FILENAMES": path}


@pytest.mark.parametrize("kind", ["missing file", "empty file"])
def test_no_driver_says_to_install_one(tmp_path, kind):
    env = no_driver_env(tmp_path, kind)
    result = run_python(FIRST_USE, env)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("BackendError: " + DRIVER_HINT), result.stdout
    assert "VK_ERROR_INCOMPATIBLE_DRIVER" in result.stdout  # the cause, kept
    for args in (["devices"], ["devices", "--json"], ["bench", "--quick"]):
        cli = run_cli(*args, env=env)
        assert_one_line_error(cli, 1, "compushady " + args[0], "mesa-vulkan-drivers")
        assert cli.stdout == ""


def test_no_device_at_all_says_to_install_a_driver(monkeypatch):
    # a driver that exposes no usable device: the Python layer's own check
    monkeypatch.setattr(compushady, "get_discovered_devices", lambda: [])
    with pytest.raises(compushady.BackendError,
                       match=r"no device found by the vulkan backend: install a Vulkan driver .*"
                             r"apt-get install mesa-vulkan-drivers"):
        compushady.get_best_device()


# >>no loader ---------------------------------------------------------------


@pytest.mark.parametrize("library, reason", [
    ("/nonexistent/libvulkan.so.1", "cannot load the Vulkan loader /nonexistent/libvulkan.so.1"),
    # a library that is not a Vulkan loader stands for one too old
    ("libm.so.6", "the Vulkan loader libm.so.6 is older than Vulkan 1.2 (it has no vkCreateInstance)"),
])
def test_no_loader_says_which_package_to_install(library, reason):
    env = {"COMPUSHADY_VULKAN_LIBRARY": library}
    result = run_python(FIRST_USE, env)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("BackendError: " + reason), result.stdout
    assert LOADER_HINT in result.stdout
    assert_one_line_error(run_cli("devices", env=env), 1, reason, LOADER_HINT)


def test_without_a_loader_the_package_imports_and_compiles():
    # nothing of Vulkan is needed before the first device is used
    code = ("import compushady.shaders.hlsl as h; "
            "s = h.compile('RWStructuredBuffer<uint> b : register(u0); "
            "[numthreads(1,1,1)] void main() { b[0] = 1; }'); print(len(s) > 0)")
    result = run_python(code, {"COMPUSHADY_VULKAN_LIBRARY": "/nonexistent/libvulkan.so.1"})
    assert result.returncode == 0 and result.stdout.strip() == "True", result.stderr


def test_extension_does_not_link_libvulkan():
    readelf = subprocess.run(["readelf", "-d", _native.__file__], capture_output=True, text=True,
                             check=True)
    needed = [line for line in readelf.stdout.splitlines() if "(NEEDED)" in line]
    assert needed and not any("libvulkan" in line for line in needed), needed


# >>debug mode without the validation layer ---------------------------------

DEBUG_RUN = """
import warnings
warnings.simplefilter("always")
import compushady, compushady.config
compushady.config.set_debug(%s)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    compushady.Buffer(16)
    compushady.Buffer(16)
    compushady.get_discovered_devices()
    compushady.get_backend().get_instance()
ours = [w for w in caught if "validation layer" in str(w.message)]
for w in ours:
    print(w.category.__name__, w.filename, str(w.message))
print("debug_enabled", compushady.get_backend().get_instance().debug_enabled)
"""


def test_debug_without_validation_layer_warns_once(tmp_path):
    (tmp_path / "layers").mkdir()
    env = {"VK_LAYER_PATH": str(tmp_path / "layers"), "VK_LOADER_LAYERS_DISABLE": "~all~"}
    result = run_python(DEBUG_RUN % "True", env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    assert lines[0].startswith("RuntimeWarning <string> compushady debug mode: the Vulkan "
                               "validation layer (VK_LAYER_KHRONOS_validation) is not installed")
    assert "apt-get install vulkan-validationlayers" in lines[0]
    assert lines[1] == "debug_enabled False"


@pytest.mark.parametrize("debug, enabled", [("True", "True"), ("False", "False")])
def test_no_warning_when_the_layer_is_there_or_debug_is_off(debug, enabled):
    result = run_python(DEBUG_RUN % debug)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["debug_enabled " + enabled]


# >>unknown backend, bad settings -------------------------------------------

BACKEND_NAMES = ["metal", "d3d12", "VULKAN", "vulkan2", "vulkan ", "métal", "../vulkan"]
# the backends compiled in, as the message lists them
KNOWN = ", ".join(repr(name) for name in compushady.KNOWN_BACKENDS)


@pytest.mark.parametrize("name", BACKEND_NAMES)
def test_unknown_backend_is_one_clear_line(name):
    env = {"COMPUSHADY_BACKEND": name}
    message = "unknown backend {0!r} (from the COMPUSHADY_BACKEND environment variable): this build of compushady knows {1}".format(name, KNOWN)
    result = run_python("import compushady\n"
                        "try:\n    compushady.get_backend()\n"
                        "except compushady.UnknownBackend as e:\n    print(e)\n", env)
    assert result.returncode == 0 and result.stdout.strip() == message, (result.stdout, result.stderr)
    for args in (["devices"], ["devices", "--json"], ["bench", "--quick", "--json"]):
        cli = run_cli(*args, env=env)
        assert_one_line_error(cli, 2, "compushady {0}: {1}".format(args[0], message))
        assert cli.stdout == ""


def test_unknown_backend_from_set_backend_does_not_blame_the_environment():
    result = run_python("import compushady, compushady.config\n"
                        "compushady.config.set_backend('metal')\n"
                        "try:\n    compushady.get_backend()\n"
                        "except compushady.UnknownBackend as e:\n    print(e)\n")
    assert result.stdout.strip() == "unknown backend 'metal': this build of compushady knows " + KNOWN


@pytest.mark.parametrize("value", ["abc", "-1", "1e", "nan"])
def test_bad_wait_timeout_does_not_break_import(value):
    env = {"COMPUSHADY_WAIT_TIMEOUT": value}
    result = run_python(FIRST_USE, env)
    assert result.returncode == 1
    assert result.stdout.strip() == (
        "ValueError: COMPUSHADY_WAIT_TIMEOUT must be seconds > 0, 'inf' or 'none' "
        "(wait forever), got {0!r}".format(value))
    assert_one_line_error(run_cli("devices", env=env), 1, "COMPUSHADY_WAIT_TIMEOUT")


# >>closed pipe and terminals -----------------------------------------------


@pytest.mark.parametrize("args", [["devices"], ["devices", "--json"], ["compile", "{shader}", "-o", "-"],
                                  ["compile", "{shader}", "--json", "-o", "{out}"]])
def test_closed_stdout_ends_quietly(tmp_path, args):
    shader = tmp_path / "s.hlsl"
    shader.write_text("RWStructuredBuffer<uint> b : register(u0);\n"
                      "[numthreads(1,1,1)] void main() { b[0] = 1; }\n")
    args = [a.format(shader=shader, out=tmp_path / "s.spv") for a in args]
    read_end, write_end = os.pipe()
    os.close(read_end)  # as `| head -1` after its line: nobody reads
    try:
        result = run_cli(*args, stdout=write_end)
    finally:
        os.close(write_end)
    assert result.returncode == 141, result.stderr
    # nothing but the lines meant for stderr: no traceback, no "Exception ignored"
    assert all(line.startswith("wrote ") for line in result.stderr.splitlines()), result.stderr


def test_progress_lines_only_on_a_terminal():
    # stderr a terminal: progress lines, rewritten in place with \r
    controller, terminal = pty.openpty()
    try:
        result = run_cli("bench", "--quick", "--json", stdout=subprocess.PIPE, stderr=terminal)
        os.close(terminal)
        terminal = None
        seen = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the terminal's last writer is gone
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(controller)
        if terminal is not None:
            os.close(terminal)
    assert result.returncode == 0
    assert b"\r\x1b[K[2/5] dispatch round trip" in seen and b"[5/5] copy" in seen
