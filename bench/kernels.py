#!/usr/bin/env python3
"""Real kernels against PyTorch on the same GPU: the six shaders of
examples/kernels (sum reduction, inclusive scan, 256-bin histogram, 5x5 blur
over a texture, tiled float32 matrix multiply, transpose), each checked
against numpy, timed by GPU timestamps and by wall clock (submit + wait),
beside the PyTorch operation doing the same work on the same device.

    python3 bench/kernels.py [--quick] [--device N] [--json out.json] [--compiler dxc]

speed = PyTorch's time / ours (1.00 = as fast, higher is better), for GPU
time and for wall time separately. Memory-bound kernels report GB/s of the
bytes they must move at least; the matrix multiply reports GFLOP/s against
PyTorch in float32 with TF32 off. Without a CUDA PyTorch (lavapipe) only
our figures are printed.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "examples", "kernels"))

import compushady  # noqa: E402
import kernels  # noqa: E402


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def torch_cuda():
    try:
        import torch
    except ImportError:
        return None
    if not torch.cuda.is_available():
        return None
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    return torch


def time_ours(kernel, runs):
    """(median GPU seconds from timestamps, median wall seconds of run())."""
    for _ in range(3):
        kernel.run()
    gpu, wall = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        fence = kernel.run()
        wall.append(time.perf_counter() - t0)
        gpu.append(fence.gpu_time)
    return statistics.median(gpu), statistics.median(wall)


def time_torch(torch, fn, runs):
    """(median GPU seconds from CUDA events, median wall seconds of fn() +
    synchronize)."""
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    gpu, wall = [], []
    for _ in range(runs):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        t0 = time.perf_counter()
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        wall.append(time.perf_counter() - t0)
        gpu.append(start.elapsed_time(end) / 1e3)
    return statistics.median(gpu), statistics.median(wall)


class Case:
    """One kernel: how to make ours and PyTorch's, the work it does, and
    the check of our result."""

    def __init__(self, name, size_text, work, unit, make_ours, check,
                 make_torch):
        self.name, self.size_text, self.work, self.unit = name, size_text, work, unit
        self.make_ours, self.check, self.make_torch = make_ours, check, make_torch


def cases(big, rng):
    n = (64 << 20) if big else (1 << 20)
    side = 4096 if big else 512
    mm = 4096 if big else 256
    tr = 8192 if big else 1024
    floats = rng.random(n, dtype=numpy.float32)
    uints = rng.integers(0, 1000, n, dtype=numpy.uint32)
    nbytes = 4 * n
    bytes_ = rng.integers(0, 256, nbytes, dtype=numpy.uint8)
    image = rng.random((side, side), dtype=numpy.float32)
    a = rng.standard_normal((mm, mm)).astype(numpy.float32)
    b = rng.standard_normal((mm, mm)).astype(numpy.float32)
    matrix = rng.random((tr, tr), dtype=numpy.float32)
    weights = numpy.array([1, 4, 6, 4, 1], dtype=numpy.float32) / 16

    def close(rel):
        return lambda got, want: numpy.allclose(got, want, rtol=rel, atol=rel)

    def blur_reference():
        padded = numpy.pad(image, 2)
        out = numpy.zeros_like(image)
        for i in range(5):
            for j in range(5):
                out += weights[i] * weights[j] * padded[i:i + side, j:j + side]
        return out

    def torch_blur(torch):
        x = torch.from_numpy(image).cuda()[None, None]
        w = torch.from_numpy(numpy.outer(weights, weights)).cuda()[None, None]
        return lambda: torch.nn.functional.conv2d(x, w, padding=2)

    def torch_hist(torch):
        x = torch.from_numpy(bytes_).cuda()
        try:
            torch.bincount(x, minlength=256)
            return lambda: torch.bincount(x, minlength=256)
        except RuntimeError:
            xf = x.float()
            return lambda: torch.histc(xf, bins=256, min=0, max=255)

    def torch_transpose(torch):
        x = torch.from_numpy(matrix).cuda()
        out = torch.empty_like(x)
        return lambda: out.copy_(x.t())

    def torch_matmul(torch):
        x, y = torch.from_numpy(a).cuda(), torch.from_numpy(b).cuda()
        return lambda: torch.matmul(x, y)

    return [
        Case("sum reduction (float32)", "%d Mi" % (n >> 20), 4 * n, "GB/s",
             lambda: kernels.ReduceSum(floats, timestamps=True),
             lambda got: abs(got - floats.sum(dtype=numpy.float64)) <= 1e-4 * n,
             lambda torch: (lambda x: lambda: x.sum())(torch.from_numpy(floats).cuda())),
        Case("inclusive scan (uint32)", "%d Mi" % (n >> 20), 8 * n, "GB/s",
             lambda: kernels.InclusiveScan(uints, timestamps=True),
             lambda got: numpy.array_equal(got, numpy.cumsum(uints, dtype=numpy.uint32)),
             lambda torch: (lambda x: lambda: torch.cumsum(x, 0, dtype=torch.int32))(
                 torch.from_numpy(uints.view(numpy.int32)).cuda())),
        Case("histogram 256 bins (uint8)", "%d MiB" % (nbytes >> 20), nbytes, "GB/s",
             lambda: kernels.Histogram256(bytes_, timestamps=True),
             lambda got: numpy.array_equal(got, numpy.bincount(bytes_, minlength=256)),
             torch_hist),
        Case("5x5 blur, R32_FLOAT texture", "%dx%d" % (side, side), 8 * side * side, "GB/s",
             lambda: kernels.Blur5x5(image, timestamps=True),
             lambda got: close(1e-5)(got, blur_reference()),
             torch_blur),
        Case("matmul float32 (TF32 off)", "%d^3" % mm, 2 * mm ** 3, "GFLOP/s",
             lambda: kernels.MatMul(a, b, timestamps=True),
             lambda got: numpy.allclose(got, a.astype(numpy.float64) @ b, rtol=1e-3,
                                        atol=1e-3 * mm),
             torch_matmul),
        Case("transpose (float32)", "%dx%d" % (tr, tr), 8 * tr * tr, "GB/s",
             lambda: kernels.Transpose(matrix, timestamps=True),
             lambda got: numpy.array_equal(got, matrix.T),
             torch_transpose),
    ]


def rate(work, seconds, unit):
    scale = 1e9
    return work / seconds / scale if seconds else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few runs")
    parser.add_argument("--device", type=int, default=None)
    parser.add_argument("--json", metavar="PATH")
    parser.add_argument("--compiler", choices=("glslang", "dxc"), default="glslang",
                        help="compile the kernels with glslang (default) or DXC "
                        "(COMPUSHADY_DXC names its library)")
    parser.add_argument("--only", metavar="WORDS",
                        help="comma-separated words: run only the kernels whose "
                        "name holds one (e.g. scan,matmul)")
    args = parser.parse_args()
    kernels.COMPILER = None if args.compiler == "glslang" else "dxc"
    if args.device is not None:
        compushady.set_current_device(args.device)
    device = compushady.get_current_device()
    torch = torch_cuda()
    big = device.is_hardware and not args.quick
    runs = 5 if args.quick else 21
    print("device: {0} [{1}]; kernels compiled by {2}; reference: {3}".format(
        device.name, "hardware" if device.is_hardware else "software", args.compiler,
        "PyTorch {0} on {1}".format(torch.__version__, torch.cuda.get_device_name())
        if torch else "none (no CUDA PyTorch)"))
    rows = []
    for case in cases(big, numpy.random.default_rng(7)):
        if args.only and not any(word in case.name for word in args.only.split(",")):
            continue
        kernel = case.make_ours()
        kernel.run()
        ok = bool(case.check(kernel.result()))
        if not ok:
            log("[kernels] WARNING: {0}: result differs from numpy".format(case.name))
        gpu, wall = time_ours(kernel, runs)
        del kernel
        tgpu = twall = None
        if torch:
            fn = case.make_torch(torch)
            tgpu, twall = time_torch(torch, fn, runs)
            del fn
            torch.cuda.empty_cache()
        rows.append(dict(
            kernel=case.name, size=case.size_text, unit=case.unit, checked=ok,
            gpu_s=gpu, wall_s=wall, torch_gpu_s=tgpu, torch_wall_s=twall,
            rate_gpu=rate(case.work, gpu, case.unit),
            torch_rate_gpu=rate(case.work, tgpu, case.unit) if tgpu else None,
            speed_gpu=tgpu / gpu if tgpu and gpu else None,
            speed_wall=twall / wall if twall and wall else None))
        log("[kernels] {0} {1}: ours {2:.1f} us GPU / {3:.1f} us wall".format(
            case.name, case.size_text, gpu * 1e6, wall * 1e6))

    def f(v, spec):
        return "n/a" if v is None else format(v, spec)

    header = ("kernel", "size", "ours GPU us", "ours rate", "torch GPU us",
              "torch rate", "speed GPU", "ours wall us", "torch wall us",
              "speed wall", "check")
    table = [header] + [(
        r["kernel"], r["size"], f(r["gpu_s"] * 1e6, ".1f"),
        f(r["rate_gpu"], ".4g") + " " + r["unit"],
        f(r["torch_gpu_s"] and r["torch_gpu_s"] * 1e6, ".1f"),
        f(r["torch_rate_gpu"], ".4g") + " " + r["unit"],
        f(r["speed_gpu"], ".2f"), f(r["wall_s"] * 1e6, ".1f"),
        f(r["torch_wall_s"] and r["torch_wall_s"] * 1e6, ".1f"),
        f(r["speed_wall"], ".2f"), "ok" if r["checked"] else "WRONG") for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for k, row in enumerate(table):
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths))))
        if k == 0:
            print("  ".join("-" * w for w in widths))
    print("\nspeed = PyTorch time / ours (higher is better; 1.00 = as fast)")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(dict(device=device.name, rows=rows), out, indent=1)


if __name__ == "__main__":
    main()
