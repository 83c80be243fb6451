"""The OpenGL backend beside the Vulkan backend and beside a raw GL loop,
same machine, same run: dispatch round trip, a device-to-readback copy,
saxpy. Each backend runs in its own process (COMPUSHADY_BACKEND picks it);
the raw GL loop drives EGL + GL through ctypes (no compushady), then
bench/raw_gl_roundtrip.c (C) gives the raw GL round trip under each
threading model, and the raw Vulkan loop is bench/raw_vulkan_roundtrip.c,
each when it can be built.

    python3 bench/opengl_vs_vulkan.py [--quick] [--json out.json]

Targets (issue 15): GL round trip within 1.5x of Vulkan's, saxpy >= 0.9x.
"""

import argparse
import ctypes
import json
import os
import statistics
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

SAXPY = """
struct Push { float a; };
[[vk::push_constant]] ConstantBuffer<Push> p;
StructuredBuffer<float> x : register(t0);
RWStructuredBuffer<float> y : register(u0);
[numthreads(256, 1, 1)] void main(uint3 id : SV_DispatchThreadID) {
    y[id.x] = p.a * x[id.x] + y[id.x];
}
"""
EMPTY = """
RWStructuredBuffer<uint> o : register(u0);
[numthreads(1, 1, 1)] void main() { o[0] = o[0] + 1; }
"""


def median_seconds(action, iterations):
    action()  # warm
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_backend(quick):
    """In a child: the figures of the backend COMPUSHADY_BACKEND names."""
    import compushady
    from compushady import HEAP_READBACK, Buffer, Compute
    from compushady.shaders import hlsl

    device = compushady.get_current_device()
    iterations = 50 if quick else 500
    out = Buffer(4, stride=4)
    empty = Compute(hlsl.compile(EMPTY), uav=[out])
    round_trip = median_seconds(lambda: empty.dispatch(1, 1, 1), iterations)

    size = (4 if quick else 64) << 20
    src, dst = Buffer(size), Buffer(size, HEAP_READBACK)
    copy = median_seconds(lambda: src.copy_to(dst), 5 if quick else 20)

    count = (1 if quick else 8) << 20  # groups of 256: x stays <= 65535
    x, y = Buffer(count * 4, stride=4), Buffer(count * 4, stride=4)
    saxpy = Compute(hlsl.compile(SAXPY), srv=[x], uav=[y], push_size=4)
    push = struct.pack("<f", 2.0)
    saxpy_s = median_seconds(
        lambda: saxpy.dispatch(count // 256, 1, 1, push=push), 5 if quick else 20
    )
    return {
        "backend": compushady.get_backend().name,
        "device": device.name,
        "round_trip_us": round_trip * 1e6,
        "copy_gbps": size / copy / 1e9,
        "saxpy_gbps": 3 * count * 4 / saxpy_s / 1e9,
    }


NVIDIA_VENDOR_FILES = (
    "/usr/share/glvnd/egl_vendor.d/10_nvidia.json",
    "/etc/glvnd/egl_vendor.d/10_nvidia.json",
)


def nvidia_egl_environment():
    """glvnd's libEGL.so.1 finds NVIDIA's EGL through a vendor file; some
    containers have the driver's libEGL_nvidia.so.0 but not the file: one
    is written and named in __EGL_VENDOR_LIBRARY_FILENAMES."""
    if os.environ.get("__EGL_VENDOR_LIBRARY_FILENAMES"):
        return {}
    if any(os.path.exists(path) for path in NVIDIA_VENDOR_FILES):
        return {}
    try:
        ctypes.CDLL("libEGL_nvidia.so.0")
    except OSError:
        return {}
    import tempfile

    vendor = os.path.join(tempfile.mkdtemp(prefix="egl-vendor-"), "10_nvidia.json")
    with open(vendor, "w") as out:
        json.dump(
            {"file_format_version": "1.0.0", "ICD": {"library_path": "libEGL_nvidia.so.0"}},
            out,
        )
    print("NVIDIA's libEGL_nvidia.so.0 has no glvnd vendor file here: using " + vendor)
    return {"__EGL_VENDOR_LIBRARY_FILENAMES": vendor}


def raw_gl_round_trip(quick):
    """A raw EGL + GL loop: one-thread compute dispatch + fence wait."""
    egl = ctypes.CDLL("libEGL.so.1")
    egl.eglGetProcAddress.restype = ctypes.c_void_p
    egl.eglGetProcAddress.argtypes = [ctypes.c_char_p]

    def fn(name, restype, *argtypes):
        address = egl.eglGetProcAddress(name.encode())
        if not address:
            raise RuntimeError("no " + name)
        return ctypes.CFUNCTYPE(restype, *argtypes)(address)

    vp, u32, i32 = ctypes.c_void_p, ctypes.c_uint, ctypes.c_int
    get_display = fn("eglGetPlatformDisplayEXT", vp, u32, vp, vp)
    query_devices = fn("eglQueryDevicesEXT", u32, i32, ctypes.POINTER(vp), ctypes.POINTER(i32))
    query_device_string = fn("eglQueryDeviceStringEXT", ctypes.c_char_p, vp, i32)
    devices = (vp * 16)()
    count = i32(0)
    query_devices(16, devices, ctypes.byref(count))
    # a hardware device when there is one, as the backend picks
    chosen = devices[0]
    for index in range(count.value):
        extensions = query_device_string(devices[index], 0x3055) or b""  # EGL_EXTENSIONS
        if b"EGL_MESA_device_software" not in extensions:
            chosen = devices[index]
            break
    display = get_display(0x313F, chosen, None)  # EGL_PLATFORM_DEVICE_EXT
    egl.eglInitialize.argtypes = [vp, vp, vp]
    egl.eglInitialize(display, None, None)
    egl.eglBindAPI(0x30A2)  # EGL_OPENGL_API
    attributes = (i32 * 7)(0x3098, 4, 0x30FB, 5, 0x30FD, 1, 0x3038)
    egl.eglCreateContext.restype = vp
    egl.eglCreateContext.argtypes = [vp, vp, vp, vp]
    context = egl.eglCreateContext(display, None, None, attributes)
    egl.eglMakeCurrent.argtypes = [vp, vp, vp, vp]
    egl.eglMakeCurrent(display, None, None, context)
    create_shader = fn("glCreateShader", u32, u32)
    shader_source = fn("glShaderSource", None, u32, i32, ctypes.POINTER(ctypes.c_char_p), vp)
    compile_shader = fn("glCompileShader", None, u32)
    create_program = fn("glCreateProgram", u32)
    attach = fn("glAttachShader", None, u32, u32)
    link = fn("glLinkProgram", None, u32)
    use = fn("glUseProgram", None, u32)
    create_buffers = fn("glCreateBuffers", None, i32, ctypes.POINTER(u32))
    storage = fn("glNamedBufferStorage", None, u32, ctypes.c_ssize_t, vp, u32)
    bind_base = fn("glBindBufferBase", None, u32, u32, u32)
    dispatch = fn("glDispatchCompute", None, u32, u32, u32)
    barrier = fn("glMemoryBarrier", None, u32)
    fence = fn("glFenceSync", vp, u32, u32)
    wait = fn("glClientWaitSync", u32, vp, u32, ctypes.c_uint64)
    delete_sync = fn("glDeleteSync", None, vp)
    source = ctypes.c_char_p(
        b"#version 450\nlayout(local_size_x=1) in;\n"
        b"layout(std430, binding=0) buffer O { uint o[]; };\n"
        b"void main() { o[0] = o[0] + 1u; }\n"
    )
    shader = create_shader(0x91B9)  # GL_COMPUTE_SHADER
    shader_source(shader, 1, ctypes.byref(source), None)
    compile_shader(shader)
    program = create_program()
    attach(program, shader)
    link(program)
    buffer = u32(0)
    create_buffers(1, ctypes.byref(buffer))
    storage(buffer.value, 4, None, 0)

    def once():
        use(program)
        bind_base(0x90D2, 0, buffer.value)  # GL_SHADER_STORAGE_BUFFER
        dispatch(1, 1, 1)
        barrier(0xFFFFFFFF)
        sync = fence(0x9117, 0)  # GL_SYNC_GPU_COMMANDS_COMPLETE
        wait(sync, 1, 0xFFFFFFFFFFFFFFFF)  # GL_SYNC_FLUSH_COMMANDS_BIT
        delete_sync(sync)

    seconds = median_seconds(once, 50 if quick else 500)

    def once_made_current():
        # what the backend's threading model adds: the context made
        # current and released around each call
        egl.eglMakeCurrent(display, None, None, context)
        once()
        egl.eglMakeCurrent(display, None, None, None)

    switching = median_seconds(once_made_current, 50 if quick else 500)
    return [
        {"backend": "raw GL (ctypes)", "round_trip_us": seconds * 1e6},
        {"backend": "raw GL+MakeCurrent", "round_trip_us": switching * 1e6},
    ]


def raw_vulkan_round_trip(quick):
    binary = os.path.join(ROOT, "build", "bench_raw_vulkan")
    source = os.path.join(HERE, "raw_vulkan_roundtrip.c")
    if not os.path.exists(binary):
        os.makedirs(os.path.dirname(binary), exist_ok=True)
        built = subprocess.run(
            ["cc", "-O2", "-std=c11", source, "-lvulkan", "-o", binary],
            capture_output=True,
        )
        if built.returncode != 0:
            return None
    args = [binary, "--no-copy"] + (["--quick"] if quick else [])
    run = subprocess.run(args, capture_output=True, text=True)
    return {"backend": "raw Vulkan (C)", "output": run.stdout.strip()[-400:]}


def raw_gl_models(quick):
    """bench/raw_gl_roundtrip.c: the raw EGL + GL round trip (C) under each
    threading model, as rows."""
    binary = os.path.join(ROOT, "build", "bench_raw_gl")
    source = os.path.join(HERE, "raw_gl_roundtrip.c")
    if not os.path.exists(binary):
        os.makedirs(os.path.dirname(binary), exist_ok=True)
        built = subprocess.run(
            ["cc", "-O2", "-std=gnu11", source, "-lEGL", "-lpthread", "-o", binary],
            capture_output=True,
        )
        if built.returncode != 0:
            return []
    args = [binary, "--iterations", "300" if quick else "2000"]
    run = subprocess.run(args, capture_output=True, text=True)
    if run.returncode != 0 or not run.stdout.strip():
        return []
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    names = {
        "direct_us": "raw GL (C) direct",
        "made_current_us": "raw GL (C) current",
        "no_flush_us": "raw GL (C) noflush",
        "owner_thread_us": "raw GL (C) owner",
    }
    return [
        {"backend": names[key], "round_trip_us": value}
        for key, value in figures.items()
        if key in names and value > 0
    ]


def same_device(vulkan_name, gl_name):
    """NVIDIA's GL renderer string adds "/PCIe/SSE2" to the Vulkan name."""
    return gl_name == vulkan_name or gl_name.startswith(vulkan_name + "/")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(run_backend(options.quick)))
        return
    results = []
    os.environ.update(nvidia_egl_environment())
    for backend in ("vulkan", "opengl"):
        environment = dict(os.environ, COMPUSHADY_BACKEND=backend)
        command = [sys.executable, __file__, "--child", backend]
        if options.quick:
            command.append("--quick")
        child = subprocess.run(command, env=environment, capture_output=True, text=True)
        if child.returncode != 0:
            print("{0}: failed: {1}".format(backend, child.stderr.strip()[-500:]))
            continue
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    try:
        results.extend(raw_gl_round_trip(options.quick))
    except (OSError, RuntimeError) as problem:
        print("raw GL loop: not run ({0})".format(problem))
    results.extend(raw_gl_models(options.quick))
    raw_vulkan = raw_vulkan_round_trip(options.quick)
    print("{0:<18} {1:<40} {2:>14} {3:>11} {4:>12}".format(
        "backend", "device", "round trip us", "copy GB/s", "saxpy GB/s"))
    for row in results:
        print("{0:<18} {1:<40} {2:>14.1f} {3:>11} {4:>12}".format(
            row["backend"], row.get("device", "")[:40], row["round_trip_us"],
            "%.2f" % row["copy_gbps"] if "copy_gbps" in row else "-",
            "%.2f" % row["saxpy_gbps"] if "saxpy_gbps" in row else "-"))
    by_name = {row["backend"]: row for row in results}
    if "vulkan" in by_name and "opengl" in by_name:
        vk, gl = by_name["vulkan"], by_name["opengl"]
        if not same_device(vk["device"], gl["device"]):
            print("warning: the backends ran on different devices ({0!r} and "
                  "{1!r}): set COMPUSHADY_DEVICE, or make NVIDIA's EGL "
                  "reachable (docs/opengl.md)".format(vk["device"], gl["device"]))
        print("GL/Vulkan round trip: {0:.2f}x (target <= 1.5x); saxpy GL/Vulkan: "
              "{1:.2f}x (target >= 0.9x); copy GL/Vulkan: {2:.2f}x".format(
                  gl["round_trip_us"] / vk["round_trip_us"],
                  gl["saxpy_gbps"] / vk["saxpy_gbps"],
                  gl["copy_gbps"] / vk["copy_gbps"]))
    if raw_vulkan:
        print("raw Vulkan loop (bench/raw_vulkan_roundtrip.c):\n" + raw_vulkan["output"])
        results.append(raw_vulkan)
    if options.json:
        with open(options.json, "w") as out:
            json.dump(results, out, indent=1)


if __name__ == "__main__":
    main()
