"""OpenGL contexts and threads on an EGL that keeps to the spec where Mesa
is lenient (tests/opengl/strict_egl.c, NVIDIA's behaviour): EGL's current
API is per thread, and releasing a context with EGL_NO_CONTEXT releases only
the context of the thread's API. The backend once bound EGL_OPENGL_API on
the discovering thread only, so on NVIDIA a context used from any other
thread stayed current there after the call, and once such a thread stayed
alive (a dask or concurrent.futures pool's idle worker) every later call of
every other thread failed with EGL_BAD_ACCESS. Each case runs in its own
process with COMPUSHADY_EGL_LIBRARY naming the strict EGL."""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

import compushady

pytestmark = pytest.mark.skipif(
    compushady.get_backend().name != "opengl",
    reason="OpenGL backend only: run with COMPUSHADY_BACKEND=opengl",
)

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "opengl", "strict_egl.c")

PRELUDE = r'''
import struct, threading
import compushady
from compushady import HEAP_READBACK, HEAP_UPLOAD, Buffer, Compute
from compushady.shaders import hlsl

compushady.config.set_debug(True)
SHADER = """
struct P { uint factor; };
[[vk::push_constant]] ConstantBuffer<P> push;
RWStructuredBuffer<uint> data : register(u0);
[numthreads(64, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID) { data[tid.x] = data[tid.x] * push.factor + tid.x; }
"""

def run(factor):
    upload = Buffer(256, HEAP_UPLOAD)
    upload.upload(struct.pack("<64I", *range(64)))
    data = Buffer(256, stride=4)
    upload.copy_to(data)
    Compute(hlsl.compile(SHADER), uav=[data], push_size=4).dispatch(
        1, 1, 1, struct.pack("<I", factor))
    readback = Buffer(256, HEAP_READBACK)
    data.copy_to(readback)
    got = list(struct.unpack("<64I", readback.readback()))
    assert got == [(v * factor + v) & 0xFFFFFFFF for v in range(64)], (factor, got)
    return factor
'''


@pytest.fixture(scope="module")
def strict_egl(tmp_path_factory):
    compiler = shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        pytest.skip("no C compiler to build tests/opengl/strict_egl.c")
    library = str(tmp_path_factory.mktemp("strict-egl") / "libstrict_egl.so")
    subprocess.run(
        [compiler, "-std=gnu11", "-shared", "-fPIC", "-o", library, SOURCE, "-ldl"],
        check=True,
    )
    return library


def run_case(strict_egl, body):
    env = dict(os.environ, COMPUSHADY_BACKEND="opengl", COMPUSHADY_EGL_LIBRARY=strict_egl)
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(body) + "\nprint('ok')\n"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("ok"), result.stdout + result.stderr


def test_idle_thread_that_used_the_device_does_not_keep_it(strict_egl):
    run_case(
        strict_egl,
        r'''
        run(2)  # the main thread discovers and uses the device
        used, stop = threading.Event(), threading.Event()
        def worker():
            run(3)
            used.set()
            stop.wait()  # alive and idle in user code
        thread = threading.Thread(target=worker)
        thread.start()
        used.wait()
        try:
            run(5)  # failed with EGL_BAD_ACCESS while the worker lived
        finally:
            stop.set()
            thread.join()
        assert compushady.get_current_device().get_debug_messages() == []
        ''',
    )


def test_thread_pool_then_main_thread(strict_egl):
    # dask's threaded scheduler: a pool whose workers outlive the work
    run_case(
        strict_egl,
        r'''
        from concurrent.futures import ThreadPoolExecutor
        pool = ThreadPoolExecutor(4)
        assert sorted(pool.map(run, range(2, 14))) == list(range(2, 14))
        run(7)
        assert sorted(pool.map(run, range(20, 28))) == list(range(20, 28))
        run(9)
        pool.shutdown()
        ''',
    )


def test_first_use_on_a_thread_that_is_not_the_discoverer(strict_egl):
    # the device is discovered by a thread that then idles; the main
    # thread's calls come after
    run_case(
        strict_egl,
        r'''
        found, stop = threading.Event(), threading.Event()
        def discoverer():
            compushady.get_current_device()
            run(4)
            found.set()
            stop.wait()
        thread = threading.Thread(target=discoverer)
        thread.start()
        found.wait()
        try:
            run(6)
        finally:
            stop.set()
            thread.join()
        ''',
    )
