#!/usr/bin/env python3
"""compushady beside wgpu-py (PyPI `wgpu`, WebGPU over Vulkan) on the same
device, the same workloads in the same run, one table of ratios.

    python3 bench/wgpu_peer.py [--quick] [--json out.json]

Workloads (both sides wait for the GPU in every timed call):
  round trip   a one-thread shader adding 1 to a counter: dispatch, submit,
               wait (compushady: Compute.dispatch; wgpu: encoder, compute
               pass, queue.submit, wait: queue.on_submitted_work_done_sync,
               or a blocking device poll where that fails)
  saxpy        y = a*x + y over float4s, GB/s of the 12 bytes per float
  create       a 1 MiB device-local storage buffer made and freed, per second
  upload       64 MiB of host bytes into the GPU's reach: Buffer.upload into
               HEAP_UPLOAD memory / queue.write_buffer (+ its wait)
  readback     64 MiB from the GPU: Buffer.readback() -> bytes and into a
               bytearray / queue.read_buffer
speed = ours relative to wgpu-py (higher is better; 1.00 = as fast).
Skips, saying so, when wgpu is not installed or finds no adapter.
"""
import argparse
import json
import statistics
import struct
import sys
import time

import numpy

import compushady as cs
from compushady.shaders import hlsl

MiB = 1 << 20

COUNTER_HLSL = """
RWStructuredBuffer<uint> counter : register(u0);
[numthreads(1, 1, 1)] void main() { counter[0] += 1; }
"""
COUNTER_WGSL = """
@group(0) @binding(0) var<storage, read_write> counter: array<u32>;
@compute @workgroup_size(1) fn main() { counter[0] += 1u; }
"""
SAXPY_HLSL = """
struct Params { float a; uint n; };
[[vk::push_constant]] ConstantBuffer<Params> params;
StructuredBuffer<float4> x : register(t0);
RWStructuredBuffer<float4> y : register(u0);
[numthreads(256, 1, 1)] void main(uint3 id : SV_DispatchThreadID)
{
    uint i = id.y * 65535 * 256 + id.x;
    if (i < params.n) y[i] = params.a * x[i] + y[i];
}
"""
SAXPY_WGSL = """
struct Params { a: f32, n: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(256) fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.y * 65535u * 256u + id.x;
    if (i < params.n) { y[i] = params.a * x[i] + y[i]; }
}
"""


def median_s(fn, runs, warmup=3):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def groups(n4):
    blocks = -(-n4 // 256)
    return (min(blocks, 65535), -(-blocks // 65535))


class Ours:
    name = "compushady"

    def __init__(self):
        self.device = cs.get_current_device()

    def round_trip(self, runs):
        counter = cs.Buffer(4, cs.HEAP_DEFAULT, stride=4)
        compute = cs.Compute(hlsl.compile(COUNTER_HLSL), uav=[counter])
        return median_s(lambda: compute.dispatch(1, 1, 1), runs)

    def saxpy(self, n, runs):
        x = cs.Buffer(4 * n, cs.HEAP_DEFAULT, stride=16)
        y = cs.Buffer(4 * n, cs.HEAP_DEFAULT, stride=16)
        compute = cs.Compute(hlsl.compile(SAXPY_HLSL), srv=[x], uav=[y], push_size=8)
        gx, gy = groups(n // 4)
        push = struct.pack("<fI", 0.5, n // 4)
        return median_s(lambda: compute.dispatch(gx, gy, 1, push), runs)

    def create(self, runs):
        def make():
            for _ in range(100):
                cs.Buffer(MiB, cs.HEAP_DEFAULT)
        return median_s(make, runs) / 100

    def upload(self, data, runs):
        buffer = cs.Buffer(len(data), cs.HEAP_UPLOAD)
        return median_s(lambda: buffer.upload(data), runs)

    def readback(self, size, runs):
        buffer = cs.Buffer(size, cs.HEAP_READBACK)
        target = bytearray(size)
        return (median_s(lambda: buffer.readback(), runs),
                median_s(lambda: buffer.readback(target), runs))


class Wgpu:
    name = "wgpu-py"

    def __init__(self, wgpu):
        self.wgpu = wgpu
        adapter = wgpu.gpu.request_adapter_sync(power_preference="high-performance")
        self.adapter_name = adapter.info.get("device", "?")
        self.device = adapter.request_device_sync(
            required_limits={name: adapter.limits[name] for name in (
                "max-storage-buffer-binding-size", "max-buffer-size")})
        self.queue = self.device.queue
        self._done_works = True

    def pipeline(self, source, entries):
        module = self.device.create_shader_module(code=source)
        pipeline = self.device.create_compute_pipeline(
            layout="auto", compute={"module": module, "entry_point": "main"})
        group = self.device.create_bind_group(
            layout=pipeline.get_bind_group_layout(0),
            entries=[{"binding": i, "resource": {"buffer": b, "offset": 0, "size": b.size}}
                     for i, b in entries])
        return pipeline, group

    def dispatcher(self, pipeline, group, x, y):
        def run():
            encoder = self.device.create_command_encoder()
            cpass = encoder.begin_compute_pass()
            cpass.set_pipeline(pipeline)
            cpass.set_bind_group(0, group)
            cpass.dispatch_workgroups(x, y, 1)
            cpass.end()
            self.queue.submit([encoder.finish()])
            self.wait()
        return run

    def wait(self):
        """Until the queue's work is done: on_submitted_work_done_sync where
        it works (it fails in wgpu-py 0.32), else a blocking device poll."""
        if self._done_works:
            try:
                self.queue.on_submitted_work_done_sync()
                return
            except TypeError:
                self._done_works = False
        self.device._poll_wait()

    def round_trip(self, runs):
        usage = self.wgpu.BufferUsage
        counter = self.device.create_buffer(size=4, usage=usage.STORAGE)
        pipeline, group = self.pipeline(COUNTER_WGSL, [(0, counter)])
        return median_s(self.dispatcher(pipeline, group, 1, 1), runs)

    def saxpy(self, n, runs):
        usage = self.wgpu.BufferUsage
        params = self.device.create_buffer_with_data(
            data=struct.pack("<fIII", 0.5, n // 4, 0, 0), usage=usage.UNIFORM)
        x = self.device.create_buffer(size=4 * n, usage=usage.STORAGE)
        y = self.device.create_buffer(size=4 * n, usage=usage.STORAGE)
        pipeline, group = self.pipeline(SAXPY_WGSL, [(0, params), (1, x), (2, y)])
        gx, gy = groups(n // 4)
        return median_s(self.dispatcher(pipeline, group, gx, gy), runs)

    def create(self, runs):
        usage = self.wgpu.BufferUsage

        def make():
            for _ in range(100):
                self.device.create_buffer(size=MiB, usage=usage.STORAGE).destroy()
        return median_s(make, runs) / 100

    def upload(self, data, runs):
        usage = self.wgpu.BufferUsage
        buffer = self.device.create_buffer(size=len(data),
                                           usage=usage.STORAGE | usage.COPY_DST)

        def write():
            self.queue.write_buffer(buffer, 0, data)
            self.queue.submit([])
            self.wait()
        return median_s(write, runs)

    def readback(self, size, runs):
        usage = self.wgpu.BufferUsage
        buffer = self.device.create_buffer(size=size, usage=usage.STORAGE | usage.COPY_SRC)
        t = median_s(lambda: self.queue.read_buffer(buffer), runs)
        return t, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args()
    try:
        import wgpu
        peer = Wgpu(wgpu)
    except Exception as exc:  # not installed, or no adapter
        print("wgpu-py unavailable ({0}: {1}): nothing to compare".format(
            type(exc).__name__, exc))
        return
    ours = Ours()
    hardware = ours.device.is_hardware
    runs = 5 if args.quick else 21
    n = (64 if hardware and not args.quick else 4) * MiB
    size = (64 if not args.quick else 8) * MiB
    data = numpy.random.default_rng(1).integers(0, 255, size, dtype=numpy.uint8).tobytes()
    print("compushady on {0}; wgpu-py {1} on {2}".format(
        ours.device.name, wgpu.__version__, peer.adapter_name))
    rows = []

    def row(what, unit, ours_value, peer_value, higher_is_better):
        speed = None
        if ours_value and peer_value:
            speed = ours_value / peer_value if higher_is_better else peer_value / ours_value
        rows.append(dict(what=what, unit=unit, ours=ours_value, wgpu=peer_value, speed=speed))

    row("dispatch round trip (median)", "us", ours.round_trip(runs * 20) * 1e6,
        peer.round_trip(runs * 20) * 1e6, False)
    row("saxpy %d Mi floats" % (n // MiB), "GB/s", 12 * n / ours.saxpy(n, runs) / 1e9,
        12 * n / peer.saxpy(n, runs) / 1e9, True)
    row("buffer 1 MiB create+free", "k/s", 1e-3 / ours.create(runs),
        1e-3 / peer.create(runs), True)
    row("upload %d MiB (write_buffer)" % (size // MiB), "GB/s",
        size / ours.upload(data, runs) / 1e9, size / peer.upload(data, runs) / 1e9, True)
    ours_bytes, ours_into = ours.readback(size, runs)
    peer_read, _ = peer.readback(size, runs)
    row("readback %d MiB -> bytes (read_buffer)" % (size // MiB), "GB/s",
        size / ours_bytes / 1e9, size / peer_read / 1e9, True)
    row("readback %d MiB into bytearray (read_buffer)" % (size // MiB), "GB/s",
        size / ours_into / 1e9, size / peer_read / 1e9, True)
    width = max(len(r["what"]) for r in rows)
    print("{0:<{w}}  {1:>10}  {2:>10}  {3:<5}  {4:>6}".format(
        "what", "ours", "wgpu-py", "unit", "speed", w=width))
    for r in rows:
        print("{0:<{w}}  {1:>10.2f}  {2:>10.2f}  {3:<5}  {4:>6}".format(
            r["what"], r["ours"], r["wgpu"], r["unit"],
            "n/a" if r["speed"] is None else "%.2f" % r["speed"], w=width))
    print("speed = ours relative to wgpu-py (higher is better)")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(dict(device=ours.device.name, rows=rows), out, indent=1)


if __name__ == "__main__":
    sys.exit(main())
