"""Host<->device copies done by a compute shader instead of the copy engine:
is the copy engine what holds Vulkan below CUDA's pinned copy rate?

    python3 bench/host_copy_by_shader.py [--mib 256] [--runs 11]

A uint4 copy kernel reads a HEAP_UPLOAD buffer and writes a HEAP_DEFAULT one
(h2d), and reads HEAP_DEFAULT and writes HEAP_READBACK (d2h), with several
thread counts and loads per thread; printed next to `copy_to` over the same
buffers and, when PyTorch with CUDA is installed, CUDA's pinned copies
(timed last: alternating the two APIs slows both). Wall time of one
dispatch or copy, median, GB/s = 1e9 bytes per second. The data is checked.
"""
import argparse
import os
import sys

import numpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import gbps, median_ns, torch_pinned_copies  # noqa: E402

import compushady as cs  # noqa: E402
from compushady.shaders import hlsl  # noqa: E402

MiB = 1 << 20

# Group (gx, gy) covers THREADS * LOADS consecutive uint4s; each thread
# copies LOADS of them, THREADS apart, so a warp's accesses stay contiguous.
COPY_HLSL = """
StructuredBuffer<uint4> src : register(t0);
RWStructuredBuffer<uint4> dst : register(u0);
[numthreads(THREADS, 1, 1)]
void main(uint3 group : SV_GroupID, uint3 thread : SV_GroupThreadID)
{
    uint base = (group.y * GROUPS_X + group.x) * THREADS * LOADS + thread.x;
    [unroll] for (uint i = 0; i < LOADS; i++)
        dst[base + i * THREADS] = src[base + i * THREADS];
}
"""

VARIANTS = ((256, 1), (1024, 1), (256, 4), (128, 8), (64, 16))


def copy_kernel(threads, loads, uint4s):
    groups = uint4s // (threads * loads)
    gx = min(groups, 32768)
    if groups % gx:
        raise SystemExit("--mib must be a power of two")
    source = (COPY_HLSL.replace("THREADS", str(threads))
              .replace("LOADS", str(loads)).replace("GROUPS_X", str(gx)))
    return hlsl.compile(source), (gx, groups // gx, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=256)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    size = args.mib * MiB
    print("device:", cs.get_current_device().name)

    pattern = numpy.arange(size // 4, dtype=numpy.uint32)
    upload = cs.Buffer(size, cs.HEAP_UPLOAD)
    upload.upload(pattern)
    device = cs.Buffer(size, cs.HEAP_DEFAULT)
    readback = cs.Buffer(size, cs.HEAP_READBACK)

    def row(what, h2d_ns, d2h_ns):
        print("%-28s h2d %6.2f GB/s   d2h %6.2f GB/s"
              % (what, gbps(size, h2d_ns), gbps(size, d2h_ns)))

    row("copy_to (copy engine)",
        median_ns(lambda: upload.copy_to(device), args.runs),
        median_ns(lambda: device.copy_to(readback), args.runs))
    for threads, loads in VARIANTS:
        spirv, groups = copy_kernel(threads, loads, size // 16)
        h2d = cs.Compute(spirv, srv=[upload], uav=[device])
        d2h = cs.Compute(spirv, srv=[device], uav=[readback])
        readback.upload(bytes(size))  # HEAP_READBACK is host-writable too
        row("shader, %d threads x %d" % (threads, loads),
            median_ns(lambda: h2d.dispatch(*groups), args.runs),
            median_ns(lambda: d2h.dispatch(*groups), args.runs))
        result = numpy.empty_like(pattern)
        readback.readback(result)
        if not numpy.array_equal(result, pattern):
            raise SystemExit("the shader copy lost data")
    pinned = torch_pinned_copies(size, args.runs)
    if pinned:
        row("CUDA pinned (PyTorch copy_)", *pinned)


if __name__ == "__main__":
    main()
