#!/usr/bin/env python3
"""compushady benchmarks, each figure beside a reference taken in the same run.

    python3 bench/bench.py [--quick] [--json out.json] [--device N] [--only dispatch,batching]

Prints the device, then one table: what, value, unit, reference, reference
value, and "speed" = how fast compushady is relative to the reference
(1.00 = as fast, 0.50 = half as fast / twice the time; for latencies it is
reference_time / time, for throughputs throughput / reference_throughput).
See bench/README.md for what each row measures.

The raw Vulkan reference (bench/raw_vulkan_roundtrip.c) and the C API
figures (bench/c_api_roundtrip.c) come from small C programs run as
subprocesses; they are built into build/ when missing and a C compiler is
there. Nothing is downloaded.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import struct
import subprocess
import sys
import time

import numpy

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.path.join(ROOT, "build")
RAW_BIN = os.path.join(BUILD, "bench_raw_vulkan")
CAPI_BIN = os.path.join(BUILD, "bench_c_api")

MiB = 1 << 20
perf_ns = time.perf_counter_ns

# A one-thread shader that bumps a counter (the same work as the raw
# Vulkan reference's SPIR-V).
TRIVIAL_HLSL = """
RWStructuredBuffer<uint> counter : register(u0);
[numthreads(1, 1, 1)]
void main() { counter[0] += 1; }
"""

# y = a * x + y over n floats, as a user would write it for speed: four
# floats per thread (StructuredBuffer<float4>: 16-byte loads and stores),
# 256 threads per group; the groups are laid out as rows of `stride`
# threads (dispatch(gx, gy, 1)) so that 16 Mi float4s fit the
# 65535-groups-per-dimension limit. n4 = n / 4.
SAXPY_HLSL = """
cbuffer Params : register(b0)
{
    float a;
    uint n4;
    uint stride;
    uint pad;
};
StructuredBuffer<float4> x : register(t0);
RWStructuredBuffer<float4> y : register(u0);
[numthreads(256, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    uint i = tid.y * stride + tid.x;
    if (i < n4)
        y[i] = a * x[i] + y[i];
}
"""

# The same, one float per thread (the bench's saxpy before 0.17.5+cache):
# the naive way, for comparison.
SAXPY_SCALAR_HLSL = """
cbuffer Params : register(b0)
{
    float a;
    uint n;
    uint stride;
    uint pad;
};
StructuredBuffer<float> x : register(t0);
RWStructuredBuffer<float> y : register(u0);
[numthreads(256, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    uint i = tid.y * stride + tid.x;
    if (i < n)
        y[i] = a * x[i] + y[i];
}
"""

# float4, four per thread (each group covers 1024 float4s; all loads are
# issued before the stores: more bytes in flight per thread).
SAXPY_X4_HLSL = """
cbuffer Params : register(b0)
{
    float a;
    uint n4;
    uint stride;
    uint pad;
};
StructuredBuffer<float4> x : register(t0);
RWStructuredBuffer<float4> y : register(u0);
[numthreads(256, 1, 1)]
void main(uint3 group : SV_GroupID, uint3 lane : SV_GroupThreadID)
{
    uint base = (group.y * (stride / 256) + group.x) * 1024 + lane.x;
    if (base + 768 < n4) {
        float4 x0 = x[base], x1 = x[base + 256], x2 = x[base + 512], x3 = x[base + 768];
        float4 y0 = y[base], y1 = y[base + 256], y2 = y[base + 512], y3 = y[base + 768];
        y[base] = a * x0 + y0;
        y[base + 256] = a * x1 + y1;
        y[base + 512] = a * x2 + y2;
        y[base + 768] = a * x3 + y3;
    } else {
        for (uint i = base; i < n4; i += 256)
            y[i] = a * x[i] + y[i];
    }
}
"""

# float4 with a grid-stride loop over a fixed number of groups (`stride`
# = threads in the whole grid).
SAXPY_LOOP_HLSL = """
cbuffer Params : register(b0)
{
    float a;
    uint n4;
    uint stride;
    uint pad;
};
StructuredBuffer<float4> x : register(t0);
RWStructuredBuffer<float4> y : register(u0);
[numthreads(256, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    for (uint i = tid.x; i < n4; i += stride)
        y[i] = a * x[i] + y[i];
}
"""


# The bandwidth ceiling for saxpy on GPUs where vkCmdCopyBuffer does not
# reach memory bandwidth (NVIDIA): a shader copying uint4s, same layout.
COPY_HLSL = """
cbuffer Params : register(b0)
{
    uint n;
    uint stride;
    uint pad0;
    uint pad1;
};
StructuredBuffer<uint4> src : register(t0);
RWStructuredBuffer<uint4> dst : register(u0);
[numthreads(256, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    uint i = tid.y * stride + tid.x;
    if (i < n)
        dst[i] = src[i];
}
"""


def saxpy_groups(n):
    """(gx, gy, stride) covering n elements with 256-thread groups."""
    groups = (n + 255) // 256
    gx = min(groups, 32768)
    gy = (groups + gx - 1) // gx
    return gx, gy, gx * 256


def log(*args):
    print(*args, file=sys.stderr, flush=True)


WARMUP_S = 0.3  # bench.py --quick: 0.1


def warm_up(fn, calls, seconds=None):
    """Calls fn() at least `calls` times and for at least `seconds` (GPUs
    raise their clocks only under sustained load); returns the calls made."""
    seconds = WARMUP_S if seconds is None else seconds
    t0 = perf_ns()
    done = 0
    while done < calls or perf_ns() - t0 < seconds * 1e9:
        fn()
        done += 1
    return done


def median_ns(fn, runs, warmup=1):
    """Median wall time (ns) of fn() over `runs` calls after a warm-up of
    `warmup` calls and WARMUP_S seconds."""
    warm_up(fn, warmup)
    times = []
    for _ in range(runs):
        t0 = perf_ns()
        fn()
        times.append(perf_ns() - t0)
    return statistics.median(times)


def median_multi_ns(fns, runs, warmup=1):
    """Median wall times (ns) of each of fns, called in turn so that all see
    the same machine state (frequency, caches, other load)."""
    warm_up(lambda: [fn() for fn in fns], warmup)
    times = [[] for _ in fns]
    for _ in range(runs):
        for fn, t in zip(fns, times):
            t0 = perf_ns()
            fn()
            t.append(perf_ns() - t0)
    return [statistics.median(t) for t in times]


def median_pair_ns(fn, ref, runs, warmup=1):
    """median_multi_ns of fn() and ref()."""
    return tuple(median_multi_ns([fn, ref], runs, warmup))


def gbps(nbytes, ns):
    return nbytes / ns  # bytes per ns == GB/s (1e9)


def torch_pinned_copies(size, runs):
    """(h2d_ns, d2h_ns) medians of PyTorch copies between a pinned host
    tensor and a CUDA tensor of size bytes, each synchronized; None
    without torch or CUDA."""
    try:
        import torch
    except Exception:
        return None
    if not torch.cuda.is_available():
        return None
    host = torch.full((size,), 7, dtype=torch.uint8).pin_memory()
    device = torch.empty(size, dtype=torch.uint8, device="cuda")

    def h2d():
        device.copy_(host, non_blocking=True)
        torch.cuda.synchronize()

    def d2h():
        host.copy_(device, non_blocking=True)
        torch.cuda.synchronize()

    times = (median_ns(h2d, runs, warmup=2), median_ns(d2h, runs, warmup=2))
    del host, device
    torch.cuda.empty_cache()
    return times


# >>C helpers ----------------------------------------------------------------


def find_cc():
    for name in (os.environ.get("CC"), "cc", "gcc", "clang"):
        if name and shutil.which(name):
            return name
    return None


def build_c(target, sources, extra, what):
    """Builds a bench C program into build/ when it is missing or older than
    its source. Returns the path or None (with the reason logged)."""
    src = os.path.join(HERE, sources)
    if os.path.exists(target) and os.path.getmtime(target) >= os.path.getmtime(src):
        return target
    cc = find_cc()
    if cc is None:
        log("[bench] no C compiler: cannot build {0}".format(what))
        return target if os.path.exists(target) else None
    os.makedirs(BUILD, exist_ok=True)
    cmd = [cc, "-O2", "-std=c11", src, "-o", target] + extra
    log("[bench] building {0}: {1}".format(what, " ".join(cmd)))
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0 and "-lvulkan" in extra:
        # no libvulkan.so dev symlink: link the runtime library directly
        cmd2 = [a if a != "-lvulkan" else "-l:libvulkan.so.1" for a in cmd]
        result = subprocess.run(cmd2, capture_output=True, text=True)
    if result.returncode != 0:
        log("[bench] building {0} failed:\n{1}".format(what, result.stderr[-2000:]))
        return target if os.path.exists(target) else None
    return target


def run_json(cmd, env_device, what, timeout=300):
    env = dict(os.environ)
    if env_device is not None:
        env["COMPUSHADY_DEVICE"] = str(env_device)
    log("[bench] running {0}: {1}".format(what, " ".join(cmd)))
    try:
        result = subprocess.run(
            cmd, capture_output=True, text=True, env=env, timeout=timeout
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        log("[bench] {0} failed: {1}".format(what, exc))
        return None
    if result.returncode != 0:
        log(
            "[bench] {0} exited with {1}:\n{2}".format(
                what, result.returncode, result.stderr[-2000:]
            )
        )
        return None
    for line in reversed(result.stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    log("[bench] {0}: no JSON line in its output".format(what))
    return None


def raw_vulkan_reference(quick, device_index):
    exe = build_c(RAW_BIN, "raw_vulkan_roundtrip.c", ["-lvulkan"], "raw Vulkan reference")
    if exe is None:
        return None
    cmd = [exe] + (["--quick"] if quick else [])
    return run_json(cmd, device_index, "raw Vulkan reference")


# The Makefile's link line for the static library (Debian's libshaderc.so
# leaves glslang's symbols unresolved, so the static shaderc + glslang +
# SPIRV-Tools archives are linked).
STATIC_LIBS = [
    "-l:libshaderc_combined.a", "-lSPIRV", "-lglslang", "-lMachineIndependent",
    "-lOSDependent", "-lGenericCodeGen", "-lHLSL", "-lOGLCompiler", "-lSPIRV",
    "-lglslang", "-lMachineIndependent", "-lSPIRV-Tools-opt", "-lSPIRV-Tools",
    "-lglslang-default-resource-limits", "-l:libspirv-cross-c.a", "-l:libspirv-cross-msl.a",
    "-l:libspirv-cross-hlsl.a", "-l:libspirv-cross-cpp.a", "-l:libspirv-cross-reflect.a",
    "-l:libspirv-cross-glsl.a", "-l:libspirv-cross-core.a",
    "-lvulkan", "-lstdc++", "-lpthread", "-lm",
]


def build_c_api():
    """build/bench_c_api from bench/c_api_roundtrip.c: against
    build/libcompushady.a (preferred: no runtime path to get right), else
    build/libcompushady.so (its soname is libcompushady.so.0: a link named
    so is made in build/bench-lib and put in the rpath)."""
    lib_a = os.path.join(BUILD, "libcompushady.a")
    lib_so = os.path.join(BUILD, "libcompushady.so")
    include = "-I" + os.path.join(ROOT, "include")
    newest_lib = max(
        [os.path.getmtime(p) for p in (lib_a, lib_so) if os.path.exists(p)] or [0]
    )
    if newest_lib == 0:
        if os.path.exists(CAPI_BIN):
            return CAPI_BIN
        log("[bench] build/libcompushady.{so,a} missing: skipping the C API "
            "figures (run make)")
        return None
    if os.path.exists(CAPI_BIN) and os.path.getmtime(CAPI_BIN) >= newest_lib:
        return build_c(CAPI_BIN, "c_api_roundtrip.c", [include, lib_a] + STATIC_LIBS,
                       "C API benchmark")
    for attempt in ("static", "shared"):
        if attempt == "static":
            if not os.path.exists(lib_a):
                continue
            extra = [include, lib_a] + STATIC_LIBS
        else:
            if not os.path.exists(lib_so):
                continue
            libdir = os.path.join(BUILD, "bench-lib")
            os.makedirs(libdir, exist_ok=True)
            for name in ("libcompushady.so", "libcompushady.so.0"):
                link = os.path.join(libdir, name)
                if not os.path.lexists(link):
                    os.symlink(os.path.join("..", "libcompushady.so"), link)
            extra = [include, "-L" + libdir, "-lcompushady", "-Wl,-rpath," + libdir]
        if os.path.exists(CAPI_BIN):
            os.unlink(CAPI_BIN)  # force the rebuild against the new library
        exe = build_c(CAPI_BIN, "c_api_roundtrip.c", extra,
                      "C API benchmark (%s)" % attempt)
        if exe:
            return exe
    return None


def c_api_figures(quick, device_index, saxpy_n):
    exe = build_c_api()
    if exe is None:
        return None
    cmd = [exe, "--saxpy-n", str(saxpy_n)] + (["--quick"] if quick else [])
    return run_json(cmd, device_index, "C API benchmark")


# >>measurements -------------------------------------------------------------


class Bench:
    def __init__(self, args):
        import compushady
        from compushady.shaders import hlsl

        self.cs = compushady
        self.hlsl = hlsl
        self.quick = args.quick
        if args.device is not None:
            compushady.set_current_device(args.device)
        self.device = compushady.get_current_device()
        devices = compushady.get_discovered_devices()
        self.device_index = next(
            i for i, d in enumerate(devices) if d is self.device
        )
        self.rows = []
        self.raw = None

    def row(self, what, value, unit, ref_name, ref_value, higher_is_better):
        speed = None
        if value and ref_value:
            speed = value / ref_value if higher_is_better else ref_value / value
        self.rows.append(
            dict(
                what=what,
                value=value,
                unit=unit,
                reference=ref_name,
                reference_value=ref_value,
                speed=speed,
            )
        )
        log(
            "[bench] {0}: {1} {2} (ref {3}: {4})".format(
                what, fmt(value), unit, ref_name, fmt(ref_value)
            )
        )

    def raw_value(self, key):
        return self.raw.get(key) if self.raw else None

    # -- dispatch round trip ------------------------------------------------
    def dispatch(self):
        cs = self.cs
        shader = self.hlsl.compile(TRIVIAL_HLSL)
        counter = cs.Buffer(4, cs.HEAP_DEFAULT, stride=4)
        zero = cs.Buffer(4, cs.HEAP_UPLOAD)
        zero.upload(b"\0\0\0\0")
        zero.copy_to(counter)  # DEFAULT memory starts undefined
        compute = cs.Compute(shader, uav=[counter])
        n = 5000 if self.quick else 20000
        warm = 0
        t0 = perf_ns()
        while warm < max(20, n // 10) or perf_ns() - t0 < WARMUP_S * 1e9:
            compute.dispatch(1, 1, 1)
            warm += 1
        d = compute.dispatch
        times = [0] * n
        for i in range(n):
            t0 = perf_ns()
            d(1, 1, 1)
            times[i] = perf_ns() - t0
        # check that the shader really ran every time
        rb = cs.Buffer(4, cs.HEAP_READBACK)
        counter.copy_to(rb)
        got = struct.unpack("<I", rb.readback(4))[0]
        if got != warm + n:
            log("[bench] WARNING: counter is {0}, expected {1}".format(got, warm + n))
        median_us = statistics.median(times) / 1000.0
        self.dispatch_median_us = median_us
        self.dispatch_mean_us = statistics.fmean(times) / 1000.0
        self.row("dispatch(1,1,1) round trip (median)", median_us, "us",
                 "raw submit+vkWaitForFences", self.raw_value("dispatch_roundtrip_us_median"),
                 False)
        self.row("dispatch(1,1,1) round trip (median)", median_us, "us",
                 "raw submit+poll vkGetFenceStatus", self.raw_value("dispatch_spin_us_median"),
                 False)

    # -- command lists ------------------------------------------------------
    def batching(self):
        """1000 dependent dispatches (each adds 1 to one counter) in one
        CommandList, per dispatch, against the single dispatch round trip
        measured by dispatch() in the same run."""
        cs = self.cs
        shader = self.hlsl.compile(TRIVIAL_HLSL)
        counter = cs.Buffer(4, cs.HEAP_DEFAULT, stride=4)
        zero = cs.Buffer(4, cs.HEAP_UPLOAD)
        zero.upload(b"\0\0\0\0")
        zero.copy_to(counter)
        compute = cs.Compute(shader, uav=[counter])
        n = 1000
        runs = 5 if self.quick else 15
        ref = getattr(self, "dispatch_median_us", None)

        # every submission of n dispatches is counted where it happens: the
        # warm-up is time-based, so the number of calls is not known ahead
        submitted = [0]

        def record():
            commands = cs.CommandList()
            for _ in range(n):
                commands.dispatch(compute, 1, 1, 1)
            return commands

        def submit(commands):
            commands.submit()
            submitted[0] += 1

        def record_repeated():
            commands = cs.CommandList()
            commands.dispatch(compute, 1, 1, 1, repeat=n)
            return commands

        commands = record()
        t_record_only, t_repeat, t_record, t_resubmit = median_multi_ns(
            [record, record_repeated, lambda: submit(record()),
             lambda: submit(commands)], runs, warmup=2)
        self.record_only_us = t_record_only / n / 1000.0
        self.row("CommandList %d dispatches, recording alone (no submit), "
                 "per dispatch" % n, self.record_only_us, "us",
                 "dispatch(1,1,1) round trip", ref, False)
        self.row("CommandList.dispatch(repeat=%d), recording alone, "
                 "per dispatch" % n, t_repeat / n / 1000.0, "us",
                 "dispatch(1,1,1) round trip", ref, False)
        self.row("CommandList %d dependent dispatches, record+submit+wait, "
                 "per dispatch" % n, t_record / n / 1000.0, "us",
                 "dispatch(1,1,1) round trip", ref, False)
        self.row("CommandList %d dependent dispatches, resubmit+wait, "
                 "per dispatch" % n, t_resubmit / n / 1000.0, "us",
                 "dispatch(1,1,1) round trip", ref, False)
        timed = None
        try:
            timed_list = cs.CommandList(timestamps=True)
            for _ in range(n):
                timed_list.dispatch(compute, 1, 1, 1)
            gpu_times = []
            for _ in range(runs):
                gpu_times.append(timed_list.submit().gpu_time)
                submitted[0] += 1
            timed = statistics.median(gpu_times)
        except cs.ComputeException as exc:
            log("[bench] no timestamps: {0}".format(exc))
        self.row("CommandList %d dependent dispatches, GPU time (timestamps) "
                 "per dispatch" % n, timed / n * 1e6 if timed else None, "us",
                 "resubmit+wait wall time per dispatch",
                 t_resubmit / n / 1000.0, False)
        rb = cs.Buffer(4, cs.HEAP_READBACK)
        counter.copy_to(rb)
        got = struct.unpack("<I", rb.readback(4))[0]
        done = submitted[0] * n
        if got != done:
            log("[bench] WARNING: batched counter is {0}, expected {1} "
                "({2} submissions of {3} dispatches)".format(
                    got, done, submitted[0], n))

    # -- upload / readback ----------------------------------------------------
    def upload_readback(self):
        cs = self.cs
        size = (8 if self.quick else 64) * MiB
        runs = 9 if self.quick else 15
        src = numpy.random.default_rng(1).integers(0, 255, size, dtype=numpy.uint8)
        dst = numpy.zeros(size, dtype=numpy.uint8)
        src_bytes = src.tobytes()

        # reference: a plain host memmove of the same size, timed alternately
        # with each operation
        def memmove():
            numpy.copyto(dst, src)

        def row(what, fn, ref=memmove, ref_name="numpy.copyto (memmove)", warmup=2):
            t, t_ref = median_pair_ns(fn, ref, runs, warmup)
            self.row("%s %d MiB" % (what, size // MiB), gbps(size, t), "GB/s",
                     ref_name, gbps(size, t_ref), True)

        up = cs.Buffer(size, cs.HEAP_UPLOAD)
        row("upload(bytes)", lambda: up.upload(src_bytes))
        row("upload(numpy)", lambda: up.upload(src))

        rb = cs.Buffer(size, cs.HEAP_READBACK)
        up.copy_to(rb)
        out = bytearray(size)
        row("readback(bytearray)", lambda: rb.readback(out))
        if out != src_bytes:
            log("[bench] WARNING: readback data differs from what was uploaded")
        arr = numpy.zeros(size, dtype=numpy.uint8)
        row("readback(numpy)", lambda: rb.readback(arr))
        # reference: a new bytes object of the same size filled by a copy
        # (allocation + page faults + memmove), as readback() must do
        row("readback() -> bytes", lambda: rb.readback(),
            ref=lambda: src.tobytes(), ref_name="ndarray.tobytes() (alloc+copy)")
        del up, rb

    # -- buffer copies ----------------------------------------------------------
    def copies(self):
        cs = self.cs
        size = (16 if self.quick else 256) * MiB
        runs = 5 if self.quick else 9
        up = cs.Buffer(size, cs.HEAP_UPLOAD)
        up.upload(numpy.full(size, 7, dtype=numpy.uint8))
        dev = cs.Buffer(size, cs.HEAP_DEFAULT)
        rb = cs.Buffer(size, cs.HEAP_READBACK)
        raw_note = "raw vkCmdCopyBuffer"
        raw_size = self.raw_value("copy_bytes")
        if raw_size:
            raw_note += " %d MiB" % (raw_size // MiB)
        t_h2d = median_ns(lambda: up.copy_to(dev), runs)
        self.row("copy_to UPLOAD->DEFAULT %d MiB" % (size // MiB), gbps(size, t_h2d), "GB/s",
                 raw_note + " h2d", self.raw_value("copy_h2d_gbps"), True)
        t_d2h = median_ns(lambda: dev.copy_to(rb), runs)
        self.row("copy_to DEFAULT->READBACK %d MiB" % (size // MiB), gbps(size, t_d2h), "GB/s",
                 raw_note + " d2h", self.raw_value("copy_d2h_gbps"), True)
        # CUDA's pinned transfers, timed after ours (the two APIs slow each
        # other down when their calls alternate)
        pinned = torch_pinned_copies(size, runs)
        if pinned:
            self.row("copy_to UPLOAD->DEFAULT %d MiB" % (size // MiB), gbps(size, t_h2d),
                     "GB/s", "CUDA pinned h2d (PyTorch copy_)", gbps(size, pinned[0]), True)
            self.row("copy_to DEFAULT->READBACK %d MiB" % (size // MiB), gbps(size, t_d2h),
                     "GB/s", "CUDA pinned d2h (PyTorch copy_)", gbps(size, pinned[1]), True)
        probe = bytearray(4096)
        rb.readback(probe, size - 4096)
        if probe != b"\x07" * 4096:
            log("[bench] WARNING: copied data differs")
        del up, dev, rb

    # -- texture copies ---------------------------------------------------------
    def texture_copies(self):
        """Buffer->texture upload and texture->buffer readback of an RGBA8
        Texture2D, against the UPLOAD->DEFAULT buffer copy of the same bytes
        in the same run."""
        cs = self.cs
        from compushady.formats import R8G8B8A8_UNORM

        side = 1024 if self.quick or not self.device.is_hardware else 4096
        runs = 5 if self.quick else 9
        texture = cs.Texture2D(side, side, R8G8B8A8_UNORM)
        size = texture.size
        up = cs.Buffer(size, cs.HEAP_UPLOAD)
        up.upload(numpy.full(size, 9, dtype=numpy.uint8))
        dev = cs.Buffer(size, cs.HEAP_DEFAULT)
        rb = cs.Buffer(size, cs.HEAP_READBACK)
        ref = gbps(size, median_ns(lambda: up.copy_to(dev), runs))
        mib = size / MiB
        t = median_ns(lambda: up.copy_to(texture), runs)
        self.row("texture upload %dx%d RGBA8 (%.0f MiB)" % (side, side, mib),
                 gbps(size, t), "GB/s",
                 "copy_to UPLOAD->DEFAULT buffer, same bytes", ref, True)
        t = median_ns(lambda: texture.copy_to(rb), runs)
        self.row("texture readback %dx%d RGBA8 (%.0f MiB)" % (side, side, mib),
                 gbps(size, t), "GB/s",
                 "copy_to UPLOAD->DEFAULT buffer, same bytes", ref, True)
        probe = bytearray(4096)
        rb.readback(probe, size - 4096)
        if probe != b"\x09" * 4096:
            log("[bench] WARNING: texture round trip differs")
        del up, dev, rb, texture

    # -- saxpy --------------------------------------------------------------------
    def saxpy(self):
        cs = self.cs
        if self.quick or not self.device.is_hardware:
            n = 4 * MiB
        else:
            n = 64 * MiB
        self.saxpy_n = n
        runs = 5 if self.quick else 11
        n4 = n // 4
        gx, gy, stride = saxpy_groups(n4)
        sx, sy, sstride = saxpy_groups(n)
        loop_groups = 1024 if self.device.is_hardware else 16

        xs = (numpy.arange(n, dtype=numpy.uint32) % 1024).astype(numpy.float32)
        staging = cs.Buffer(4 * n, cs.HEAP_UPLOAD)
        x = cs.Buffer(4 * n, cs.HEAP_DEFAULT, stride=16)
        y = cs.Buffer(4 * n, cs.HEAP_DEFAULT, stride=16)
        staging.upload(xs)
        staging.copy_to(x)
        staging.upload(numpy.ones(n, dtype=numpy.float32))
        staging.copy_to(y)
        del staging

        def params(*values):
            up = cs.Buffer(16, cs.HEAP_UPLOAD)
            up.upload(struct.pack("<fIII", *values))
            buf = cs.Buffer(16, cs.HEAP_DEFAULT)
            up.copy_to(buf)
            return buf

        # the default: float4, one per thread; a = 2, then the check
        compute = cs.Compute(self.hlsl.compile(SAXPY_HLSL),
                             cbv=[params(2.0, n4, stride, 0)], srv=[x], uav=[y])
        compute.dispatch(gx, gy, 1)
        rb = cs.Buffer(4 * n, cs.HEAP_READBACK)
        y.copy_to(rb)
        got = numpy.frombuffer(rb.readback(), dtype=numpy.float32)
        if not numpy.array_equal(got, 2.0 * xs + 1.0):
            bad = int(numpy.argmax(got != 2.0 * xs + 1.0))
            log("[bench] WARNING: saxpy result wrong at {0}: {1} != {2}".format(
                bad, got[bad], 2.0 * xs[bad] + 1.0))
        del rb, got
        # the variants run with a = 0 afterwards (y stays the same)
        scalar = cs.Compute(self.hlsl.compile(SAXPY_SCALAR_HLSL),
                            cbv=[params(0.0, n, sstride, 0)], srv=[x], uav=[y])
        loop = cs.Compute(self.hlsl.compile(SAXPY_LOOP_HLSL),
                          cbv=[params(0.0, n4, loop_groups * 256, 0)], srv=[x], uav=[y])
        qx, qy, qstride = saxpy_groups(n4 // 4)
        x4 = cs.Compute(self.hlsl.compile(SAXPY_X4_HLSL),
                        cbv=[params(0.0, n4, qstride, 0)], srv=[x], uav=[y])

        # references: a DEFAULT->DEFAULT copy moving the same bytes (6n read
        # + 6n written = 12n) and a shader copying the same 6n bytes as
        # uint4s, timed alternately with the saxpy dispatch, each call waited
        # for (the same round trip for every row); PyTorch's saxpy apart
        a = cs.Buffer(6 * n, cs.HEAP_DEFAULT, stride=16)
        b = cs.Buffer(6 * n, cs.HEAP_DEFAULT, stride=16)
        c4 = 6 * n // 16
        cx, cy, cstride = saxpy_groups(c4)
        # COPY_HLSL's cbuffer is (n, stride, pad, pad) as uints
        cparams_up = cs.Buffer(16, cs.HEAP_UPLOAD)
        cparams_up.upload(struct.pack("<IIII", c4, cstride, 0, 0))
        cparams = cs.Buffer(16, cs.HEAP_DEFAULT)
        cparams_up.copy_to(cparams)
        copier = cs.Compute(self.hlsl.compile(COPY_HLSL), cbv=[cparams], srv=[a], uav=[b])
        fns = [lambda: compute.dispatch(gx, gy, 1), lambda: a.copy_to(b),
               lambda: copier.dispatch(cx, cy, 1),
               lambda: scalar.dispatch(sx, sy, 1),
               lambda: loop.dispatch(loop_groups, 1, 1),
               lambda: x4.dispatch(qx, qy, 1)]
        t, t_copy, t_shader, t_scalar, t_loop, t_x4 = median_multi_ns(fns, runs, warmup=2)
        # GPU time of the same dispatch by timestamps, next to its wall time
        gpu_s = None
        try:
            gpu_times = []
            for _ in range(runs):
                gpu_times.append(compute.dispatch_timed(gx, gy, 1))
            gpu_s = statistics.median(gpu_times)
        except cs.ComputeException as exc:
            log("[bench] no timestamps: {0}".format(exc))
        del compute, copier, scalar, loop, x4, x, y, cparams, cparams_up, a, b
        # PyTorch apart: interleaving CUDA and Vulkan work makes the GPU
        # switch contexts, which slows whichever runs next
        torch_fn, torch_event_ns = self.torch_saxpy(n, runs)
        t_torch = median_ns(torch_fn, 3 * runs, warmup=5) if torch_fn else None
        self.torch_tensors = None
        self.row("saxpy %d Mi floats: GPU time (timestamps)" % (n // MiB),
                 gpu_s * 1e3 if gpu_s else None, "ms",
                 "wall time of dispatch() (submit to return)", t / 1e6, False)
        what = "saxpy %d Mi floats (12 B/elem)" % (n // MiB)
        self.row(what, gbps(12 * n, t), "GB/s",
                 "copy_to DEFAULT->DEFAULT (r+w)", gbps(12 * n, t_copy), True)
        self.row(what, gbps(12 * n, t), "GB/s",
                 "HLSL uint4 copy kernel (r+w)", gbps(12 * n, t_shader), True)
        torch_ref = gbps(12 * n, t_torch) if t_torch else None
        self.row(what, gbps(12 * n, t), "GB/s",
                 "PyTorch torch.add(y, x, alpha=a, out=y) + synchronize", torch_ref, True)
        self.row("saxpy, one float per thread", gbps(12 * n, t_scalar), "GB/s",
                 "PyTorch (same)", torch_ref, True)
        self.row("saxpy, float4 grid-stride loop, %d groups" % loop_groups,
                 gbps(12 * n, t_loop), "GB/s", "PyTorch (same)", torch_ref, True)
        self.row("saxpy, four float4 per thread", gbps(12 * n, t_x4), "GB/s",
                 "PyTorch (same)", torch_ref, True)
        if gpu_s or torch_event_ns:
            # GPU time only (timestamps / CUDA events): no launch or wait,
            # the kernels' own bandwidth
            self.row("saxpy GPU time only (timestamps)",
                     gbps(12 * n, gpu_s * 1e9) if gpu_s else None, "GB/s",
                     "PyTorch saxpy, CUDA events (GPU time only)",
                     gbps(12 * n, torch_event_ns) if torch_event_ns else None, True)

    def torch_saxpy(self, n, runs):
        """(fn, event_ns): a call of PyTorch's saxpy on 64 Mi float32 CUDA
        tensors waited for with torch.cuda.synchronize(), and the median GPU
        time of one call from CUDA events; (None, None) without torch or
        CUDA."""
        try:
            import torch
        except Exception:
            log("[bench] torch not installed: no PyTorch saxpy row")
            return None, None
        if not torch.cuda.is_available():
            log("[bench] torch has no CUDA device: no PyTorch saxpy row")
            return None, None
        x = torch.arange(n, dtype=torch.float32, device="cuda").remainder_(1024)
        y = torch.ones(n, dtype=torch.float32, device="cuda")

        def fn():
            torch.add(y, x, alpha=2.0, out=y)
            torch.cuda.synchronize()

        fn()
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        times = []
        for _ in range(max(runs, 5)):
            start.record()
            for _ in range(10):
                torch.add(y, x, alpha=2.0, out=y)
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end) * 1e6 / 10)
        self.torch_tensors = (x, y)
        return fn, statistics.median(times)

    # -- object creation ------------------------------------------------------------
    def creation(self):
        cs = self.cs
        n = 200 if self.quick else 2000
        batches = 5
        rates = []
        cs.Buffer(MiB, cs.HEAP_DEFAULT)  # warm-up
        for _ in range(batches):
            t0 = perf_ns()
            for _ in range(n):
                b = cs.Buffer(MiB, cs.HEAP_DEFAULT)
                del b
            rates.append(n / ((perf_ns() - t0) / 1e9))
        self.row("Buffer(1 MiB, DEFAULT) create+destroy", statistics.median(rates), "1/s",
                 "raw vkCreateBuffer+vkAllocateMemory+free",
                 self.raw_value("buffer_create_destroy_per_s"), True)

        # first creations: shaders never seen in this process nor, thanks to
        # a random constant, in the disk caches of earlier runs (the
        # driver's own shader cache may still know them)
        count = 10 if self.quick else 30
        nonce = int.from_bytes(os.urandom(3), "little") * 64
        sources = [TRIVIAL_HLSL.replace("+= 1;", "+= %d;" % (nonce + i))
                   for i in range(2 * count)]
        t0 = perf_ns()
        spirvs = [self.hlsl.compile(src) for src in sources[:count]]
        t_first_compile = (perf_ns() - t0) / count
        counter = cs.Buffer(4, cs.HEAP_DEFAULT, stride=4)
        cs.Compute(spirvs[0], uav=[counter])  # warm-up (the device, the caches)
        firsts = []
        for spirv in spirvs[1:]:
            t0 = perf_ns()
            c = cs.Compute(spirv, uav=[counter])
            firsts.append(perf_ns() - t0)
            del c
        t_first = statistics.median(firsts)
        self.row("Compute() creation (precompiled SPIR-V, first time)", t_first / 1e6, "ms",
                 "raw Vulkan pipeline+descriptors", self.raw_value("pipeline_create_ms"), False)

        shader = spirvs[1]

        def make():
            c = cs.Compute(shader, uav=[counter])
            del c

        t = median_ns(make, 10 if self.quick else 30, warmup=2)
        self.row("Compute() creation, same shader again (cached)", t / 1e6, "ms",
                 "the first creation above", t_first / 1e6, False)

        self.row("hlsl.compile(trivial shader), first time", t_first_compile / 1e6, "ms",
                 "-", None, False)
        t = median_ns(lambda: self.hlsl.compile(sources[0]), 5 if self.quick else 20)
        self.row("hlsl.compile, same source again", t / 1e6, "ms",
                 "the first compile above", t_first_compile / 1e6, False)

    # -- C API ----------------------------------------------------------------------
    def c_api(self):
        capi = c_api_figures(self.quick, self.device_index, getattr(self, "saxpy_n", 4 * MiB))
        self.capi = capi
        if not capi:
            return
        self.row("C API cs_compute_dispatch round trip (median)",
                 capi["dispatch_roundtrip_us_median"], "us",
                 "raw submit+poll vkGetFenceStatus", self.raw_value("dispatch_spin_us_median"),
                 False)
        self.row("C API cs_command_list_dispatch, recording alone, per dispatch",
                 capi.get("record_dispatch_us"), "us",
                 "the same from Python (batching)", getattr(self, "record_only_us", None),
                 False)
        self.row("C API saxpy %d Mi floats" % (capi["saxpy_n"] // MiB), capi["saxpy_gbps"], "GB/s",
                 "C API copy DEFAULT->DEFAULT (r+w)", capi["copy_d2d_gbps"], True)


def fmt(v):
    if v is None:
        return "n/a"
    if isinstance(v, str):
        return v
    if v >= 10000:
        return "{0:,.0f}".format(v)
    if v >= 100:
        return "{0:.1f}".format(v)
    if v >= 1:
        return "{0:.2f}".format(v)
    return "{0:.3f}".format(v)


def print_table(rows):
    header = ("what", "value", "unit", "reference", "ref value", "speed")
    table = [header] + [
        (
            r["what"],
            fmt(r["value"]),
            r["unit"],
            r["reference"],
            fmt(r["reference_value"]),
            "n/a" if r["speed"] is None else "{0:.2f}".format(r["speed"]),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    align = ["<", ">", "<", "<", ">", ">"]
    for k, row in enumerate(table):
        print("  ".join("{0:{1}{2}}".format(c, a, w) for c, a, w in zip(row, align, widths)).rstrip())
        if k == 0:
            print("  ".join("-" * w for w in widths))


# Bench's methods, in the order they run (batching reads dispatch's figure)
SECTIONS = ("dispatch", "batching", "upload_readback", "copies",
            "texture_copies", "saxpy", "creation", "c_api")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="small sizes and few iterations (< 60 s on lavapipe)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--device", type=int, default=None,
                        help="device index (default: best device / COMPUSHADY_DEVICE)")
    parser.add_argument("--no-c", action="store_true",
                        help="skip the C reference programs")
    parser.add_argument("--only", metavar="SECTIONS",
                        help="comma-separated sections to run (default all): "
                        + ",".join(SECTIONS))
    args = parser.parse_args()
    only = SECTIONS if not args.only else args.only.split(",")
    unknown = sorted(set(only) - set(SECTIONS))
    if unknown:
        parser.error("unknown section(s) {0}; choose from {1}".format(
            ",".join(unknown), ",".join(SECTIONS)))

    global WARMUP_S
    if args.quick:
        WARMUP_S = 0.1
    started = time.monotonic()
    bench = Bench(args)
    dev = bench.device
    print("device: {0} [{1}] (index {2}, {3}{4}, {5:.1f} GiB device memory)".format(
        dev.name,
        "hardware" if dev.is_hardware else "software/CPU",
        bench.device_index,
        "discrete" if dev.is_discrete else "not discrete",
        ", vendor 0x%04x" % dev.vendor_id,
        dev.dedicated_video_memory / (1 << 30),
    ))
    print("python {0}, numpy {1}, {2}{3}".format(
        platform.python_version(), numpy.__version__, platform.machine(),
        ", quick" if args.quick else ""))
    sys.stdout.flush()

    if not args.no_c:
        bench.raw = raw_vulkan_reference(args.quick, bench.device_index)
        if bench.raw and bench.raw.get("device") != dev.name:
            log("[bench] WARNING: raw Vulkan reference ran on {0!r}, compushady on {1!r}".format(
                bench.raw.get("device"), dev.name))
    for section in SECTIONS:
        if section in only and (section != "c_api" or not args.no_c):
            getattr(bench, section)()

    print()
    print_table(bench.rows)
    elapsed = time.monotonic() - started
    print("\nspeed = compushady relative to the reference (1.00 = as fast; "
          "higher is better). total {0:.1f} s".format(elapsed))

    if args.json:
        result = dict(
            device=dev.name,
            is_hardware=bool(dev.is_hardware),
            is_discrete=bool(dev.is_discrete),
            device_index=bench.device_index,
            quick=args.quick,
            python=platform.python_version(),
            rows=bench.rows,
            raw_vulkan=bench.raw,
            c_api=getattr(bench, "capi", None),
            dispatch_mean_us=getattr(bench, "dispatch_mean_us", None),
            elapsed_s=elapsed,
        )
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
        print("wrote", args.json)


if __name__ == "__main__":
    main()
