"""The compiler's tables built ahead of the first compile (cs_shader_prewarm):
on a thread of its own when compushady.shaders.hlsl/glsl/wgsl is imported,
unless COMPUSHADY_PREWARM says no; compiles meanwhile give the same SPIR-V;
a process that exits at once, mid-prewarm, exits cleanly."""

import os
import subprocess
import sys
import threading

import pytest

from compushady import _native
from compushady.shaders import glsl, hlsl, wgsl

HLSL = "RWStructuredBuffer<uint> d : register(u0);\n[numthreads(1,1,1)] void main() { d[0] = %d; }"


def run_python(code, **environment):
    env = dict(os.environ)
    env.update(environment)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("language", ["hlsl", "glsl", "wgsl"])
def test_prewarm_each_language(language):
    assert _native.prewarm_compiler(language) is None


@pytest.mark.parametrize("value, error, message", [
    ("fxc", ValueError, 'language must be "hlsl", "glsl" or "wgsl", got "fxc"'),
    ("", ValueError, 'language must be "hlsl", "glsl" or "wgsl", got ""'),
    (b"hlsl", TypeError, "language must be a str, got bytes"),
    (None, TypeError, "language must be a str, got NoneType"),
])
def test_prewarm_bad_language(value, error, message):
    with pytest.raises(error, match=message):
        _native.prewarm_compiler(value)


def test_compiles_racing_the_prewarm_give_the_same_spirv():
    """Compiles on several threads while prewarms run: every result equals
    the one compiled alone."""
    sources = [HLSL % (1000 + i) for i in range(8)]
    expected = [hlsl.compile(source) for source in sources]
    from compushady.shaders import _prewarm_quietly  # the thread's body

    results = [None] * len(sources)

    def compile_one(i):
        results[i] = hlsl.compile(sources[i] + "\n// %d" % i)

    threads = [threading.Thread(target=_prewarm_quietly, args=(lang,))
               for lang in ("hlsl", "glsl", "hlsl")]
    threads += [threading.Thread(target=compile_one, args=(i,)) for i in range(len(sources))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for i, source in enumerate(sources):
        assert results[i] == hlsl.compile(source + "\n// %d" % i)
        assert len(results[i]) == len(expected[i])


PROBE = (
    "from compushady.shaders import {module}, _prewarmed\n"
    "print(sorted(_prewarmed))\n"
)


@pytest.mark.parametrize("module, language", [("hlsl", "hlsl"), ("glsl", "glsl"), ("wgsl", "glsl")])
@pytest.mark.parametrize("value, started", [(None, True), ("1", True), ("0", False), ("off", False)])
def test_import_starts_the_prewarm_unless_turned_off(module, language, value, started):
    env = dict(os.environ)
    env.pop("COMPUSHADY_PREWARM", None)
    if value is not None:
        env["COMPUSHADY_PREWARM"] = value
    result = subprocess.run([sys.executable, "-c", PROBE.format(module=module)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == (repr([language]) if started else "[]")


def test_prewarm_flag_follows_the_environment():
    code = "import compushady; print(compushady.config.prewarm)"
    assert run_python(code, COMPUSHADY_PREWARM="0").stdout.strip() == "False"
    assert run_python(code, COMPUSHADY_PREWARM="yes").stdout.strip() == "True"
    env = dict(os.environ)
    env.pop("COMPUSHADY_PREWARM", None)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.stdout.strip() == "True"


def test_exit_mid_prewarm_is_clean():
    """Processes that import the compilers and exit at once, while the
    prewarm runs: exit status 0, nothing on stderr, every time."""
    code = "from compushady.shaders import hlsl, glsl\n"
    for _ in range(6):
        result = run_python(code, COMPUSHADY_PREWARM="1")
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stderr == ""
