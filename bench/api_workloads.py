#!/usr/bin/env python3
"""Workloads through the public compushady API common to this module and the
original compushady 0.17 (Buffer, Compute, dispatch, copy_to, upload,
readback, hlsl.compile), run by bench/compare_original.py in one subprocess
per module. Prints one JSON object on stdout (diagnostics on stderr).

    python3 bench/api_workloads.py [--quick] [--spirv DIR] [--unique-slot S]
    python3 bench/api_workloads.py --emit DIR [--nonce N] [--unique K] [--slots S]

--emit compiles the shared shaders with this process's hlsl.compile and
writes them to DIR (trivial.spv, saxpy.spv, unique_SS_NNN.spv: K shaders
with distinct constants for each of S slots, compiler.txt); each worker run
creates the shaders of its own slot (--unique-slot), so no run meets a
shader that another run has put into a driver or pipeline cache:
compare_original.py makes them with the original (DXC) so that both modules
run the very same SPIR-V in the dispatch, Compute() and saxpy workloads.

Only what both modules have is used: no numpy in the timed paths, no
dispatch_timed, no CommandList, no cache knobs. Which compushady is imported
is decided by PYTHONPATH; its __file__ is part of the output.
"""

import argparse
import json
import os
import statistics
import struct
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# the same shader, timing and group layout as bench.py
from bench import (  # noqa: E402
    MiB,
    TRIVIAL_HLSL,
    median_multi_ns,
    median_ns,
    perf_ns,
    saxpy_groups,
    warm_up,
)

# bench.py's saxpy, except that x is a UAV (u1) instead of an SRV (t0): the
# original binds every SRV buffer without a format as a UNIFORM_BUFFER
# descriptor, so a StructuredBuffer SRV reads zeros there (lavapipe) and
# exceeds maxUniformBufferRange (64 KiB on NVIDIA). Both modules bind UAV
# buffers as storage buffers.
SAXPY_HLSL = """
cbuffer Params : register(b0)
{
    float a;
    uint n4;
    uint stride;
    uint pad;
};
RWStructuredBuffer<float4> y : register(u0);
RWStructuredBuffer<float4> x : register(u1);
[numthreads(256, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    uint i = tid.y * stride + tid.x;
    if (i < n4)
        y[i] = a * x[i] + y[i];
}
"""


def log(*args):
    print("[api_workloads]", *args, file=sys.stderr, flush=True)


def unique_source(k):
    """A trivial shader with its own constant: never compiled or seen by a
    pipeline cache before (k is made from a random nonce)."""
    return TRIVIAL_HLSL.replace("+= 1;", "+= %d;" % k)


class Workloads:
    def __init__(self, args):
        import compushady
        import compushady.shaders.hlsl as hlsl

        self.cs = compushady
        self.hlsl = hlsl
        self.args = args
        self.quick = args.quick
        self.out = {"module": os.path.abspath(compushady.__file__),
                    "hlsl_module": os.path.abspath(hlsl.__file__),
                    "python": sys.version.split()[0],
                    "figures": {}, "warnings": []}
        try:
            import compushady.config as config
            self.out["backend"] = getattr(config, "wanted_backend", None)
        except Exception:  # noqa: BLE001 - informative only
            pass
        dev = compushady.get_current_device()
        self.device = dev
        hw = bool(getattr(dev, "is_hardware", False))
        self.hw = hw
        self.out["device"] = {
            "name": getattr(dev, "name", "?"),
            "is_hardware": hw,
            "is_discrete": bool(getattr(dev, "is_discrete", False)),
            "dedicated_video_memory": getattr(dev, "dedicated_video_memory", None),
        }
        q = self.quick
        self.sizes = {
            "dispatch_calls": 2000 if q else (20000 if hw else 5000),
            "buffer_batch": 200 if (q or not hw) else 1000,
            "copy_bytes": (16 if (q or not hw) else 256) * MiB,
            "host_bytes": (16 if (q or not hw) else 64) * MiB,
            "saxpy_n": (4 if (q or not hw) else 64) * MiB,
            "runs": 5 if q else (9 if not hw else 11),
        }
        self.out["sizes"] = self.sizes
        self.spirv = {}
        if args.spirv:
            with open(os.path.join(args.spirv, "compiler.txt")) as f:
                self.out["shared_spirv_from"] = f.read().strip()
            for name in ("trivial", "saxpy"):
                with open(os.path.join(args.spirv, name + ".spv"), "rb") as f:
                    self.spirv[name] = f.read()
            prefix = "unique_%02d_" % args.unique_slot
            mine = sorted(p for p in os.listdir(args.spirv) if p.startswith(prefix))
            self.spirv["unique"] = []
            for p in mine:
                with open(os.path.join(args.spirv, p), "rb") as f:
                    self.spirv["unique"].append(f.read())

    def shader(self, name, source):
        """The shared SPIR-V when there is one, else this module's compile."""
        if name in self.spirv:
            return self.spirv[name]
        return self.hlsl.compile(source)

    def fig(self, key, value, unit, **extra):
        d = {"value": value, "unit": unit}
        d.update(extra)
        self.out["figures"][key] = d

    def warn(self, msg):
        log("WARNING:", msg)
        self.out["warnings"].append(msg)

    def run(self, name, fn):
        t0 = time.monotonic()
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - reported as n/a
            tb = traceback.format_exc(limit=3)
            log("%s failed: %r\n%s" % (name, exc, tb))
            self.out.setdefault("errors", {})[name] = "%s: %s" % (type(exc).__name__, exc)
        log("%s done in %.1f s" % (name, time.monotonic() - t0))

    def default_buffer(self, data, stride=0):
        cs = self.cs
        up = cs.Buffer(len(data), cs.HEAP_UPLOAD)
        up.upload(data)
        buf = cs.Buffer(len(data), cs.HEAP_DEFAULT, stride=stride)
        up.copy_to(buf)
        return buf

    def read_default(self, buf, size, offset=0):
        cs = self.cs
        rb = cs.Buffer(buf.size, cs.HEAP_READBACK)
        buf.copy_to(rb)
        return rb.readback(size, offset)

    # -- workloads ----------------------------------------------------------
    def dispatch(self):
        cs = self.cs
        counter = self.default_buffer(b"\0\0\0\0", stride=4)
        compute = cs.Compute(self.shader("trivial", TRIVIAL_HLSL), uav=[counter])
        n = self.sizes["dispatch_calls"]
        d = compute.dispatch
        warm = warm_up(lambda: d(1, 1, 1), max(20, n // 10))
        times = [0] * n
        for i in range(n):
            t0 = perf_ns()
            d(1, 1, 1)
            times[i] = perf_ns() - t0
        got = struct.unpack("<I", self.read_default(counter, 4))[0]
        if got != warm + n:
            self.warn("dispatch: counter is %d, expected %d" % (got, warm + n))
        self.fig("dispatch_us", statistics.median(times) / 1e3, "us",
                 mean=statistics.fmean(times) / 1e3, calls=n)

    def buffers(self):
        cs = self.cs
        n = self.sizes["buffer_batch"]
        cs.Buffer(MiB, cs.HEAP_DEFAULT)  # warm-up
        rates = []
        for _ in range(5):
            t0 = perf_ns()
            for _ in range(n):
                b = cs.Buffer(MiB, cs.HEAP_DEFAULT)
                del b
            rates.append(n / ((perf_ns() - t0) / 1e9))
        self.fig("buffer_create_destroy_per_s", statistics.median(rates), "1/s")

    def copies(self):
        cs = self.cs
        size = self.sizes["copy_bytes"]
        runs = self.sizes["runs"]
        up = cs.Buffer(size, cs.HEAP_UPLOAD)
        up.upload(b"\x07" * size)
        dev = cs.Buffer(size, cs.HEAP_DEFAULT)
        rb = cs.Buffer(size, cs.HEAP_READBACK)
        t_h2d = median_ns(lambda: up.copy_to(dev), runs)
        t_d2h = median_ns(lambda: dev.copy_to(rb), runs)
        if rb.readback(4096, size - 4096) != b"\x07" * 4096:
            self.warn("copies: copied data differs")
        self.fig("copy_h2d_gbps", size / t_h2d, "GB/s", bytes=size)
        self.fig("copy_d2h_gbps", size / t_d2h, "GB/s", bytes=size)

    def host(self):
        cs = self.cs
        size = self.sizes["host_bytes"]
        runs = self.sizes["runs"] + 4
        src = os.urandom(size)
        up = cs.Buffer(size, cs.HEAP_UPLOAD)
        t_up = median_ns(lambda: up.upload(src), runs, warmup=2)
        rb = cs.Buffer(size, cs.HEAP_READBACK)
        up.copy_to(rb)
        out = bytearray(size)
        t_rb = median_ns(lambda: rb.readback(out), runs, warmup=2)
        if out != src:
            self.warn("readback(bytearray) differs from what was uploaded")
        t_bytes = median_ns(lambda: rb.readback(), runs, warmup=2)
        if rb.readback() != src:
            self.warn("readback() differs from what was uploaded")
        self.fig("upload_gbps", size / t_up, "GB/s", bytes=size)
        self.fig("readback_into_gbps", size / t_rb, "GB/s", bytes=size)
        self.fig("readback_bytes_gbps", size / t_bytes, "GB/s", bytes=size)

    def saxpy(self):
        cs = self.cs
        n = self.sizes["saxpy_n"]
        runs = self.sizes["runs"]
        n4 = n // 4
        gx, gy, stride = saxpy_groups(n4)
        xs = struct.pack("<1024f", *range(1024)) * (n // 1024)
        ones = struct.pack("<f", 1.0) * n
        staging = cs.Buffer(4 * n, cs.HEAP_UPLOAD)
        x = cs.Buffer(4 * n, cs.HEAP_DEFAULT, stride=16)
        y = cs.Buffer(4 * n, cs.HEAP_DEFAULT, stride=16)
        staging.upload(xs)
        staging.copy_to(x)
        staging.upload(ones)
        rb = cs.Buffer(4 * n, cs.HEAP_READBACK)
        expected = struct.pack("<1024f", *[2.0 * i + 1.0 for i in range(1024)])
        params = self.default_buffer(struct.pack("<fIII", 2.0, n4, stride, 0))

        variants = [("saxpy_gbps", self.shader("saxpy", SAXPY_HLSL))]
        if "saxpy" in self.spirv:  # and this module's own compile of the source
            variants.append(("saxpy_own_compile_gbps", self.hlsl.compile(SAXPY_HLSL)))
        computes = []
        for key, spirv in variants:
            try:
                c = cs.Compute(spirv, cbv=[params], uav=[y, x])
                staging.copy_to(y)  # y = 1
                c.dispatch(gx, gy, 1)
                y.copy_to(rb)
                got = rb.readback()
                if got != expected * (n // 1024):
                    self.warn("%s: saxpy result wrong" % key)
                computes.append((key, c))
            except Exception as exc:  # noqa: BLE001
                log("%s failed: %r" % (key, exc))
                self.out.setdefault("errors", {})[key] = "%s: %s" % (type(exc).__name__, exc)
        del staging, rb
        # timed alternately, a = 2 again and again (y grows, no overflow)
        fns = [(lambda c=c: c.dispatch(gx, gy, 1)) for _, c in computes]
        ts = median_multi_ns(fns, runs, warmup=2)
        for (key, _), t in zip(computes, ts):
            self.fig(key, 12 * n / t, "GB/s", n=n, ms=t / 1e6)

    def creation(self):
        cs = self.cs
        counter = self.default_buffer(b"\0\0\0\0", stride=4)
        shader = self.shader("trivial", TRIVIAL_HLSL)

        def make():
            c = cs.Compute(shader, uav=[counter])
            del c

        t = median_ns(make, 10 if self.quick else 30, warmup=2)
        self.fig("compute_same_ms", t / 1e6, "ms")

        uniques = self.spirv.get("unique")
        if uniques:
            cs.Compute(uniques[0], uav=[counter])  # warm-up
            firsts = []
            for spirv in uniques[1:]:
                t0 = perf_ns()
                c = cs.Compute(spirv, uav=[counter])
                firsts.append(perf_ns() - t0)
                del c
            self.fig("compute_first_ms", statistics.median(firsts) / 1e6, "ms",
                     shaders=len(firsts))

    def compile(self):
        count = 5 if self.quick else 20
        nonce = int.from_bytes(os.urandom(3), "little") * 64 + 1000
        sources = [unique_source(nonce + i) for i in range(count + 1)]
        self.hlsl.compile(sources[-1])  # warm-up: loads the compiler
        t0 = perf_ns()
        for src in sources[:count]:
            self.hlsl.compile(src)
        self.fig("compile_first_ms", (perf_ns() - t0) / count / 1e6, "ms")
        t = median_ns(lambda: self.hlsl.compile(sources[0]), count)
        self.fig("compile_same_ms", t / 1e6, "ms")

    def all(self):
        for name in ("dispatch", "buffers", "copies", "host", "saxpy", "creation", "compile"):
            if self.args.only and name not in self.args.only:
                continue
            self.run(name, getattr(self, name))
        return self.out


def emit(args):
    import compushady
    import compushady.shaders.hlsl as hlsl

    os.makedirs(args.emit, exist_ok=True)
    files = {"trivial": TRIVIAL_HLSL, "saxpy": SAXPY_HLSL}
    for slot in range(args.slots):
        for i in range(args.unique):
            k = args.nonce + slot * args.unique + i
            files["unique_%02d_%03d" % (slot, i)] = unique_source(k)
    for name, src in files.items():
        with open(os.path.join(args.emit, name + ".spv"), "wb") as f:
            f.write(hlsl.compile(src))
    with open(os.path.join(args.emit, "compiler.txt"), "w") as f:
        f.write(os.path.abspath(compushady.__file__))
    print(json.dumps({"module": os.path.abspath(compushady.__file__), "files": len(files)}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--spirv", help="directory of shared SPIR-V (from --emit)")
    ap.add_argument("--unique-slot", type=int, default=0,
                    help="which slot of unique_SS_*.spv to create")
    ap.add_argument("--only", nargs="*", help="run only these workloads")
    ap.add_argument("--emit", help="compile the shared shaders into this directory")
    ap.add_argument("--nonce", type=int, default=None)
    ap.add_argument("--unique", type=int, default=30, help="shaders per slot")
    ap.add_argument("--slots", type=int, default=2)
    args = ap.parse_args()
    if args.emit:
        if args.nonce is None:
            args.nonce = int.from_bytes(os.urandom(3), "little") * 64 + 7
        emit(args)
        return
    out = Workloads(args).all()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
