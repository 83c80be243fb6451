#!/usr/bin/env python3
"""numpy and compushady: a parallel sum and a matrix multiply, checked
against numpy.

    python3 examples/numpy_interop.py [--n 1048576] [--matrix 96x64x80]

UPLOAD and READBACK buffers export their mapped memory through the buffer
protocol: numpy.asarray(buffer) is a uint8 view of it, no copy.
numpy fills UPLOAD buffers in place and reads READBACK buffers in place.

1. sum of n float32: each pass of an HLSL compute shader reduces groups of
   512 values to one in groupshared memory (n -> n/512 -> ... -> 1).
2. C = A x B for float32 matrices, one thread per element of C.
"""

from __future__ import annotations

import argparse
import struct
import sys
import time
from typing import Any

import numpy
from numpy.typing import NDArray

import compushady
from compushady import HEAP_DEFAULT, HEAP_READBACK, HEAP_UPLOAD, Buffer, Compute
from compushady.shaders import hlsl

GROUP = 256  # threads per group; each thread adds two values first

REDUCE = """
#define GROUP %d
StructuredBuffer<float> input : register(t0);
RWStructuredBuffer<float> partial : register(u0);
struct Params { uint count; };
[[vk::push_constant]] ConstantBuffer<Params> params;

groupshared float shared_sum[GROUP];

[numthreads(GROUP, 1, 1)]
void main(uint3 gid : SV_GroupID, uint3 ltid : SV_GroupThreadID)
{
    uint i = gid.x * GROUP * 2 + ltid.x;
    float value = 0;
    if (i < params.count)
        value = input[i];
    if (i + GROUP < params.count)
        value += input[i + GROUP];
    shared_sum[ltid.x] = value;
    GroupMemoryBarrierWithGroupSync();
    for (uint half_size = GROUP / 2; half_size > 0; half_size /= 2)
    {
        if (ltid.x < half_size)
            shared_sum[ltid.x] += shared_sum[ltid.x + half_size];
        GroupMemoryBarrierWithGroupSync();
    }
    if (ltid.x == 0)
        partial[gid.x] = shared_sum[0];
}
""" % GROUP

MATMUL = """
cbuffer Sizes : register(b0)
{
    uint rows;    // of A and C
    uint inner;   // columns of A, rows of B
    uint columns; // of B and C
};
StructuredBuffer<float> a : register(t0);
StructuredBuffer<float> b : register(t1);
RWStructuredBuffer<float> c : register(u0);

[numthreads(8, 8, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    uint column = tid.x, row = tid.y;
    if (row >= rows || column >= columns)
        return;
    float sum = 0;
    for (uint k = 0; k < inner; k++)
        sum += a[row * inner + k] * b[k * columns + column];
    c[row * columns + column] = sum;
}
"""


def to_gpu(array: NDArray[Any]) -> Buffer:
    """A DEFAULT-heap structured buffer holding `array` (float32).

    numpy writes straight into the mapped UPLOAD buffer: no bytes object
    is made on the way."""
    array = numpy.ascontiguousarray(array, dtype=numpy.float32)
    staging = Buffer(array.nbytes, HEAP_UPLOAD)
    numpy.asarray(staging).view(numpy.float32)[:] = array.ravel()
    buffer = Buffer(array.nbytes, HEAP_DEFAULT, stride=4)
    staging.copy_to(buffer)
    return buffer


def from_gpu(buffer: Buffer, count: int) -> NDArray[numpy.float32]:
    """The first `count` float32 of a buffer, as a numpy array view of a
    READBACK buffer (read-only, no copy)."""
    readback = Buffer(count * 4, HEAP_READBACK)
    buffer.copy_to(readback, size=count * 4)
    return numpy.asarray(readback).view(numpy.float32)


def gpu_sum(values: NDArray[numpy.float32]) -> tuple[float, int]:
    """Sums float32 values with successive reduction passes."""
    shader = hlsl.compile(REDUCE)
    current, count = to_gpu(values), len(values)
    passes = 0
    while count > 1:
        groups = (count + 2 * GROUP - 1) // (2 * GROUP)
        partial = Buffer(groups * 4, HEAP_DEFAULT, stride=4)
        compute = Compute(shader, srv=[current], uav=[partial], push_size=4)
        compute.dispatch(groups, 1, 1, push=struct.pack("<I", count))
        current, count = partial, groups
        passes += 1
    return float(from_gpu(current, 1)[0]), passes


def gpu_matmul(a: NDArray[numpy.float32], b: NDArray[numpy.float32]) -> NDArray[numpy.float32]:
    rows, inner = a.shape
    inner_b, columns = b.shape
    assert inner == inner_b
    sizes = Buffer(16, HEAP_UPLOAD)
    sizes.upload(struct.pack("<III", rows, inner, columns))
    constants = Buffer(16, HEAP_DEFAULT)
    sizes.copy_to(constants)
    c = Buffer(rows * columns * 4, HEAP_DEFAULT, stride=4)
    compute = Compute(hlsl.compile(MATMUL), cbv=[constants], srv=[to_gpu(a), to_gpu(b)], uav=[c])
    compute.dispatch((columns + 7) // 8, (rows + 7) // 8, 1)
    return from_gpu(c, rows * columns).reshape(rows, columns)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1 << 20, help="values to sum (default: 1048576)")
    parser.add_argument("--matrix", default="96x64x80",
                        help="ROWSxINNERxCOLUMNS of A (ROWSxINNER) and B (INNERxCOLUMNS)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--device", type=int, help="device index (default: the best device)")
    args = parser.parse_args(argv)
    try:
        rows, inner, columns = (int(v) for v in args.matrix.split("x"))
    except ValueError:
        parser.error("--matrix expects ROWSxINNERxCOLUMNS, e.g. 96x64x80")
    if min(args.n, rows, inner, columns) <= 0:
        parser.error("sizes must be positive")
    if args.device is not None:
        compushady.set_current_device(args.device)
    print("device:", compushady.get_current_device().name)
    rng = numpy.random.default_rng(args.seed)

    values = rng.random(args.n, dtype=numpy.float32)
    t0 = time.perf_counter()
    total, passes = gpu_sum(values)
    elapsed = time.perf_counter() - t0
    expected = float(values.sum(dtype=numpy.float64))
    print("sum of {0} floats: gpu {1:.6f}, numpy {2:.6f} ({3} passes, {4:.1f} ms)".format(
        args.n, total, expected, passes, elapsed * 1e3))
    assert abs(total - expected) <= 1e-5 * abs(expected) + 1e-3, (total, expected)

    a = rng.standard_normal((rows, inner), dtype=numpy.float32)
    b = rng.standard_normal((inner, columns), dtype=numpy.float32)
    t0 = time.perf_counter()
    c = gpu_matmul(a, b)
    elapsed = time.perf_counter() - t0
    reference = a.astype(numpy.float64) @ b.astype(numpy.float64)
    error = float(numpy.abs(c - reference).max())
    print("matmul {0}x{1} @ {1}x{2}: max |gpu - numpy| = {3:.2e} ({4:.1f} ms)".format(
        rows, inner, columns, error, elapsed * 1e3))
    numpy.testing.assert_allclose(c, reference, rtol=1e-4, atol=1e-4 * inner)
    print("OK: both match numpy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
