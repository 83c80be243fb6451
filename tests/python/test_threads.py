"""Concurrency and lifetimes: several threads on one device; a Compute keeps
its resources alive."""

import gc
import struct
import threading

import numpy

from compushady import Buffer, Compute, HEAP_READBACK
from compushady.shaders import hlsl

from helpers import read_buffer, upload_buffer

SHADER = """
cbuffer Params : register(b0) { uint factor; };
StructuredBuffer<uint> input : register(t0);
RWStructuredBuffer<uint> output : register(u0);
[numthreads(64, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    output[tid.x] = input[tid.x] * factor + tid.x;
}
"""


def test_threads_dispatch_concurrently():
    blob = hlsl.compile(SHADER)
    errors = []
    results = {}

    def worker(index):
        try:
            values = numpy.arange(256, dtype=numpy.uint32) * (index + 1)
            src = upload_buffer(values.tobytes(), stride=4)
            out = Buffer(values.nbytes, stride=4)
            for round_ in range(5):
                factor = index * 10 + round_
                cb = upload_buffer(struct.pack("<4I", factor, 0, 0, 0))
                compute = Compute(blob, cbv=[cb], srv=[src], uav=[out])
                compute.dispatch(4, 1, 1)
                got = numpy.frombuffer(read_buffer(out), numpy.uint32)
                expected = values * factor + numpy.arange(256, dtype=numpy.uint32)
                if not numpy.array_equal(got, expected):
                    errors.append("thread {0} round {1}: wrong result".format(index, round_))
            results[index] = True
        except Exception as error:  # reported below
            errors.append("thread {0}: {1!r}".format(index, error))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    assert sorted(results) == list(range(6))


def test_threads_share_one_compute():
    out = upload_buffer(b"\0" * 4 * 8, stride=4)
    compute = Compute(
        hlsl.compile(
            """
            RWStructuredBuffer<uint> output : register(u0);
            [numthreads(1, 1, 1)]
            void main() { uint old; InterlockedAdd(output[0], 1, old); }
            """
        ),
        uav=[out],
    )

    def worker():
        for _ in range(10):
            compute.dispatch(1, 1, 1)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert struct.unpack("<I", read_buffer(out, 4))[0] == 40


def test_compute_keeps_resources_alive():
    values = numpy.arange(64, dtype=numpy.uint32)
    cb = upload_buffer(struct.pack("<4I", 3, 0, 0, 0))
    src = upload_buffer(values.tobytes(), stride=4)
    out = Buffer(values.nbytes, stride=4)
    compute = Compute(hlsl.compile(SHADER), cbv=[cb], srv=[src], uav=[out])
    out_handle = out.handle
    # drop every Python reference to the inputs, the wrapper's included
    del cb, src, out
    compute.cbv.clear()
    compute.srv.clear()
    compute.uav.clear()
    gc.collect()
    compute.dispatch(1, 1, 1)
    readback = Buffer(values.nbytes, HEAP_READBACK)
    out_handle.copy_to(readback.handle)
    expected = values * 3 + numpy.arange(64, dtype=numpy.uint32)
    assert numpy.array_equal(numpy.frombuffer(readback.readback(), numpy.uint32), expected)


def test_resources_outlive_dropped_compute():
    out = upload_buffer(b"\0" * 4)
    compute = Compute(
        hlsl.compile(
            "RWByteAddressBuffer o : register(u0);\n"
            "[numthreads(1, 1, 1)] void main() { o.Store(0, 42); }"
        ),
        uav=[out],
    )
    compute.dispatch(1, 1, 1)
    del compute
    gc.collect()
    assert struct.unpack("<I", read_buffer(out))[0] == 42
