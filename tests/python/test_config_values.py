"""Configuration values are honoured or refused clearly (issue 12, item 5).

Infinite and huge wait timeouts wait forever (they were mapped to 0 then to
1 ns, so every wait raised GPUTimeout "within 0.000 s"); NaN, negative and
non-numbers are refused. Every environment variable the project reads
names itself in its error: generated bad values (hypothesis) for the pure
parsers, and each variable once in a fresh interpreter for the real path.
"""

import math
import os
import struct
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import compushady
from compushady import Compute, config
from compushady.shaders import hlsl

from helpers import read_buffer, upload_buffer

ENV_TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=40)

INCREMENT = hlsl.compile("RWStructuredBuffer<uint> d : register(u0);\n[numthreads(1, 1, 1)] void main() { d[0] += 1; }\n")


@pytest.fixture
def restore_wait_timeout():
    before = config.wait_timeout
    yield
    config.set_wait_timeout(before)


def native_wait_timeout():
    return compushady.get_current_device().handle.get_wait_timeout()


@pytest.mark.parametrize("seconds", [float("inf"), 1.8e10, 2e10, 1e300, sys.float_info.max, 10**400, 10**20])
def test_huge_wait_timeouts_wait_forever(restore_wait_timeout, seconds):
    config.set_wait_timeout(seconds)
    assert native_wait_timeout() is None  # forever, not 1 ns
    data = upload_buffer(struct.pack("<I", 41))
    Compute(INCREMENT, uav=[data]).dispatch(1, 1, 1)
    assert struct.unpack("<I", read_buffer(data))[0] == 42


@pytest.mark.parametrize("seconds, native", [(1e-12, 1e-9), (0.5, 0.5), (1e9, 1e9), (1.7e10, 1.7e10)])
def test_finite_wait_timeouts_are_kept(restore_wait_timeout, seconds, native):
    config.set_wait_timeout(seconds)
    assert native_wait_timeout() == pytest.approx(native)


@pytest.mark.parametrize(
    "seconds, exception, message",
    [
        (float("nan"), ValueError, r"the wait timeout must be > 0 seconds or None, got nan"),
        (-1, ValueError, r"the wait timeout must be > 0 seconds or None, got -1.0"),
        (0, ValueError, r"the wait timeout must be > 0 seconds or None, got 0.0"),
        (-float("inf"), ValueError, r"got -inf"),
        (-(10**400), ValueError, r"got -inf"),
        ("abc", TypeError, r"the wait timeout must be seconds \(a number\) or None, got 'abc'"),
        (object(), TypeError, r"the wait timeout must be seconds \(a number\) or None, got <object"),
    ],
)
def test_bad_wait_timeouts_are_refused(restore_wait_timeout, seconds, exception, message):
    config.set_wait_timeout(2.0)
    with pytest.raises(exception, match=message):
        config.set_wait_timeout(seconds)
    assert config.wait_timeout == 2.0  # unchanged
    assert native_wait_timeout() == 2.0


def test_native_device_refuses_nan_and_takes_huge_ints(restore_wait_timeout):
    device = compushady.get_current_device().handle
    with pytest.raises(ValueError, match="the wait timeout must be > 0 seconds or None"):
        device.set_wait_timeout(float("nan"))
    with pytest.raises(ValueError, match="the wait timeout must be > 0 seconds or None"):
        device.set_wait_timeout(-(10**400))
    device.set_wait_timeout(10**400)
    assert device.get_wait_timeout() is None


@pytest.mark.parametrize("timeout", [float("inf"), 1e300, 10**400])
def test_fence_wait_with_huge_timeouts_waits(timeout):
    data = upload_buffer(struct.pack("<I", 1))
    commands = compushady.CommandList()
    commands.dispatch(Compute(INCREMENT, uav=[data]), 1, 1, 1)
    fence = commands.submit()
    assert fence.wait(timeout) is True
    assert struct.unpack("<I", read_buffer(data))[0] == 2


# >>the parsers, over generated text


@settings(max_examples=300, deadline=None)
@given(ENV_TEXT)
def test_wait_timeout_variable_parses_or_names_itself(text):
    try:
        value = config._parse_wait_timeout(text)
    except ValueError as error:
        assert str(error).startswith("COMPUSHADY_WAIT_TIMEOUT must be seconds > 0, 'inf' or 'none'")
        assert repr(text) in str(error)
        return
    assert value is None or value > 0  # never NaN, 0 or negative


@pytest.mark.parametrize("text, value", [("inf", math.inf), (" Infinity ", math.inf), ("1e400", math.inf), ("none", None), ("0", None), ("", None), ("2.5", 2.5)])
def test_wait_timeout_variable_values(text, value):
    assert config._parse_wait_timeout(text) == value


@settings(max_examples=300, deadline=None)
@given(ENV_TEXT)
def test_debug_variable_parses_or_names_itself(text):
    try:
        value = config._parse_debug(text)
    except ValueError as error:
        assert str(error).startswith("COMPUSHADY_DEBUG must be one of 1/true/yes/on (on) or ''/0/false/no/off (off), got ")
        return
    assert value == (text.strip().lower() in config._TRUE_WORDS)


@settings(max_examples=200, deadline=None)
@given(ENV_TEXT)
def test_device_variable_parses_or_names_itself(text):
    os.environ["COMPUSHADY_DEVICE"] = text
    try:
        device = compushady.get_best_device()
    except (ValueError, IndexError) as error:
        assert str(error).startswith("COMPUSHADY_DEVICE"), str(error)
        return
    finally:
        del os.environ["COMPUSHADY_DEVICE"]
    assert device in compushady.get_discovered_devices()


@settings(max_examples=100, deadline=None)
@given(ENV_TEXT.filter(lambda text: text not in ("", "glslang", "dxc")))
def test_hlsl_compiler_variable_names_itself(text):
    os.environ["COMPUSHADY_HLSL_COMPILER"] = text
    try:
        with pytest.raises(ValueError, match=r'^COMPUSHADY_HLSL_COMPILER must be "glslang" or "dxc", got '):
            hlsl.compile("[numthreads(1, 1, 1)] void main() {}")
    finally:
        del os.environ["COMPUSHADY_HLSL_COMPILER"]


def test_cache_dir_problems(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_bytes(b"")
    assert config._cache_dir_problem(None) is None
    assert config._cache_dir_problem("") is None
    assert config._cache_dir_problem("0") is None
    assert config._cache_dir_problem(str(tmp_path / "new" / "deeper")) is None
    assert config._cache_dir_problem(str(a_file)) == "{0!r} is not a directory".format(str(a_file))
    assert config._cache_dir_problem(str(a_file / "below")) == "{0!r} is not a directory".format(str(a_file))
    assert config._cache_dir_problem("/" + "x" * 3000) == "longer than 2047 bytes"
    with pytest.warns(RuntimeWarning, match=r"^COMPUSHADY_CACHE_DIR='.*file' cannot be used \('.*file' is not a directory\): compiled shaders"):
        config._warn_about_cache_dir(str(a_file))


# >>each variable in a fresh interpreter


def run_python(code, **environment):
    env = dict(os.environ)
    env.update(environment)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "variable, value, code, message",
    [
        ("COMPUSHADY_WAIT_TIMEOUT", "abc", "import compushady; compushady.get_backend()", "ValueError: COMPUSHADY_WAIT_TIMEOUT must be seconds > 0, 'inf' or 'none' (wait forever), got 'abc'"),
        ("COMPUSHADY_WAIT_TIMEOUT", "nan", "import compushady; compushady.get_backend()", "ValueError: COMPUSHADY_WAIT_TIMEOUT must be seconds > 0"),
        ("COMPUSHADY_WAIT_TIMEOUT", "-5", "import compushady; compushady.get_backend()", "ValueError: COMPUSHADY_WAIT_TIMEOUT must be seconds > 0"),
        ("COMPUSHADY_DEBUG", "maybe", "import compushady; compushady.get_backend()", "ValueError: COMPUSHADY_DEBUG must be one of"),
        ("COMPUSHADY_PREWARM", "maybe", "from compushady.shaders import hlsl; import compushady; compushady.get_backend()", "ValueError: COMPUSHADY_PREWARM must be one of"),
        ("COMPUSHADY_BACKEND", "abc", "import compushady; compushady.get_backend()", "UnknownBackend: unknown backend 'abc' (from the COMPUSHADY_BACKEND environment variable)"),
        ("COMPUSHADY_DEVICE", "abc", "import compushady; compushady.Buffer(4)", "ValueError: COMPUSHADY_DEVICE must be a device index, got 'abc'"),
        ("COMPUSHADY_DEVICE", "99", "import compushady; compushady.Buffer(4)", "IndexError: COMPUSHADY_DEVICE 99 is out of range"),
        ("COMPUSHADY_HLSL_COMPILER", "fxc", "from compushady.shaders import hlsl; hlsl.compile('x')", "COMPUSHADY_HLSL_COMPILER must be \"glslang\" or \"dxc\", got 'fxc'"),
        ("COMPUSHADY_DXC", "/nonexistent/libdxcompiler.so", "from compushady.shaders import hlsl; hlsl.compile('x', compiler='dxc')", "COMPUSHADY_DXC=/nonexistent/libdxcompiler.so cannot be loaded"),
        ("COMPUSHADY_CACHE_DIR", "/dev/null/cache", "import compushady", "RuntimeWarning: COMPUSHADY_CACHE_DIR='/dev/null/cache' cannot be used ('/dev/null' is not a directory)"),
    ],
)
def test_bad_environment_variable_names_itself(variable, value, code, message):
    result = run_python(code, **{variable: value})
    assert message in result.stderr, result.stderr[-2000:]
    if "Warning" not in message:
        assert result.returncode != 0


def test_wait_timeout_variable_inf_waits_forever():
    code = (
        "import struct, compushady\n"
        "from compushady import Buffer, Compute, HEAP_UPLOAD, HEAP_READBACK\n"
        "from compushady.shaders import hlsl\n"
        "assert compushady.config.wait_timeout == float('inf')\n"
        "assert compushady.get_current_device().handle.get_wait_timeout() is None\n"
        "b = Buffer(4)\n"
        "Compute(hlsl.compile('RWStructuredBuffer<uint> d : register(u0);"
        "[numthreads(1,1,1)] void main() { d[0] = 7; }'), uav=[b]).dispatch(1, 1, 1)\n"
        "r = Buffer(4, HEAP_READBACK); b.copy_to(r)\n"
        "print(struct.unpack('<I', r.readback(4))[0])\n"
    )
    result = run_python(code, COMPUSHADY_WAIT_TIMEOUT="inf")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "7"


def test_fence_wait_refuses_negative_and_nan():
    commands = compushady.CommandList()
    commands.dispatch(Compute(INCREMENT, uav=[upload_buffer(struct.pack("<I", 0))]), 1, 1, 1)
    fence = commands.submit()
    for timeout in (float("nan"), -1, -(10**400)):
        with pytest.raises(ValueError, match="timeout must be >= 0 seconds or None, got "):
            fence.wait(timeout)
    assert fence.wait() is True
