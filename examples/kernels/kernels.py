"""GPU kernels written as a user who cares about speed would, each checked
against numpy by tests/python/test_kernels.py and timed against PyTorch by
bench/kernels.py. Copy what you need: every kernel is one .hlsl file beside
this one and one small class here.

Each class uploads its inputs once (to HEAP_DEFAULT), records its work into
a CommandList once, and then:
    run()     submits it and waits; returns the Fence (gpu_time with
              timestamps=True)
    result()  reads the output back as a numpy array (or a float)

The one-call functions below (reduce_sum, inclusive_scan, histogram256,
blur5x5, matmul, transpose) do all three.
"""

import os
import struct

import numpy

import compushady
from compushady import (HEAP_DEFAULT, HEAP_READBACK, HEAP_UPLOAD, Buffer,
                        CommandList, Compute, Texture2D)
from compushady.formats import R32_FLOAT
from compushady.shaders import hlsl

HERE = os.path.dirname(os.path.abspath(__file__))
_compiled = {}
# hlsl.compile's compiler: None (glslang, the default) or "dxc"
COMPILER = None


def shader(name):
    """The SPIR-V of examples/kernels/<name>.hlsl, compiled once."""
    key = (name, COMPILER)
    if key not in _compiled:
        with open(os.path.join(HERE, name + ".hlsl")) as source:
            text = source.read()
        _compiled[key] = (hlsl.compile(text, compiler=COMPILER) if COMPILER
                          else hlsl.compile(text))
    return _compiled[key]


def device_buffer(data, stride, device=None, pad_to=16):
    """A HEAP_DEFAULT structured buffer holding `data` (zero-padded to a
    multiple of pad_to bytes), uploaded through a staging buffer."""
    raw = numpy.ascontiguousarray(data).tobytes()
    raw += b"\0" * (-len(raw) % pad_to)
    raw = raw or b"\0" * pad_to
    staging = Buffer(len(raw), HEAP_UPLOAD, device=device)
    staging.upload(raw)
    buffer = Buffer(len(raw), HEAP_DEFAULT, stride=stride, device=device)
    staging.copy_to(buffer)
    return buffer


def read_buffer(buffer, dtype, count):
    """The first `count` values of `dtype` in a HEAP_DEFAULT buffer."""
    readback = Buffer(buffer.size, HEAP_READBACK, device=buffer.device)
    buffer.copy_to(readback)
    nbytes = count * numpy.dtype(dtype).itemsize
    return numpy.frombuffer(readback.readback(nbytes), dtype=dtype).copy()


def groups_for(items, per_group, limit=1024):
    """Groups for a grid-stride loop: enough to cover `items`, at most
    `limit` (about 8 groups of 256 threads per SM of a large GPU)."""
    return max(1, min(limit, -(-items // per_group)))


class _Kernel:
    timestamps = False

    def _list(self, device):
        return CommandList(device=device, timestamps=self.timestamps)

    def run(self):
        return self.commands.submit()


class ReduceSum(_Kernel):
    """The sum of a float32 array: pass 1 leaves one partial sum per group,
    pass 2 (the same shader, one group) adds them."""

    def __init__(self, data, device=None, timestamps=False):
        self.timestamps = timestamps
        data = numpy.asarray(data, dtype=numpy.float32).ravel()
        quads = -(-data.size // 4)
        self.input = device_buffer(data, 16, device)
        groups = groups_for(quads, 256)
        self.partials = Buffer(16 * groups, HEAP_DEFAULT, stride=16,
                               device=device)
        self.total = Buffer(16, HEAP_DEFAULT, stride=16, device=device)
        spirv = shader("reduce_sum")
        first = Compute(spirv, srv=[self.input], uav=[self.partials],
                        push_size=8, device=device)
        second = Compute(spirv, srv=[self.partials], uav=[self.total],
                         push_size=8, device=device)
        self.commands = self._list(device)
        self.commands.dispatch(first, groups, 1, 1,
                               struct.pack("<II", quads, groups * 256))
        self.commands.dispatch(second, 1, 1, 1, struct.pack("<II", groups, 256))

    def result(self):
        return float(read_buffer(self.total, numpy.float32, 1)[0])


class InclusiveScan(_Kernel):
    """Inclusive prefix sum of uint32 values (wrapping), in one dispatch
    with decoupled look-back (scan.hlsl says how)."""

    TILE = 256 * 16

    def __init__(self, data, device=None, timestamps=False):
        self.timestamps = timestamps
        data = numpy.asarray(data, dtype=numpy.uint32).ravel()
        self.count = data.size
        self.tiles = max(1, -(-data.size // self.TILE))
        self.input = device_buffer(data, 16, device)
        self.output = Buffer(self.input.size, HEAP_DEFAULT, stride=16,
                             device=device)
        scratch_size = 4 * (1 + 3 * self.tiles)
        self.scratch = device_buffer(numpy.zeros(scratch_size // 4, numpy.uint32),
                                     4, device, pad_to=4)
        self._zeros = Buffer(self.scratch.size, HEAP_UPLOAD, device=device)
        self._zeros.upload(b"\0" * self.scratch.size)
        self.runs = 0
        compute = Compute(shader("scan"), srv=[self.input],
                          uav=[self.output, self.scratch], push_size=8,
                          device=device)
        self.commands = self._list(device)
        self.commands.dispatch(compute, self.tiles, 1, 1,
                               struct.pack("<II", self.count, self.tiles))

    def run(self):
        # every run takes `tiles` tickets of a 32-bit counter: start again
        # from zero before it would wrap
        if (self.runs + 1) * self.tiles >= 1 << 32:
            self._zeros.copy_to(self.scratch)
            self.runs = 0
        self.runs += 1
        return self.commands.submit()

    def result(self):
        return read_buffer(self.output, numpy.uint32, self.count)


class Histogram256(_Kernel):
    """Counts of each byte value in a uint8 array; the bins are cleared by a
    copy recorded before the dispatch."""

    def __init__(self, data, device=None, timestamps=False):
        self.timestamps = timestamps
        data = numpy.asarray(data, dtype=numpy.uint8).ravel()
        quads = -(-data.size // 16)
        self.input = device_buffer(data, 16, device)
        self.bins = Buffer(1024, HEAP_DEFAULT, stride=4, device=device)
        zeros = Buffer(1024, HEAP_UPLOAD, device=device)
        zeros.upload(b"\0" * 1024)
        groups = groups_for(quads, 256)
        compute = Compute(shader("histogram"), srv=[self.input],
                          uav=[self.bins], push_size=8, device=device)
        self.commands = self._list(device)
        self.commands.copy(zeros, self.bins)
        self.commands.dispatch(compute, groups, 1, 1,
                               struct.pack("<II", data.size, groups * 256))

    def result(self):
        return read_buffer(self.bins, numpy.uint32, 256)


class Blur5x5(_Kernel):
    """5x5 Gaussian blur of a float32 image held in R32_FLOAT textures."""

    def __init__(self, image, device=None, timestamps=False):
        self.timestamps = timestamps
        image = numpy.ascontiguousarray(image, dtype=numpy.float32)
        self.height, self.width = image.shape
        self.source = Texture2D(self.width, self.height, R32_FLOAT,
                                device=device)
        self.target = Texture2D(self.width, self.height, R32_FLOAT,
                                device=device)
        staging = Buffer(self.source.size, HEAP_UPLOAD, device=device)
        staging.upload2d(image.tobytes(), self.source.row_pitch, self.width,
                         self.height, 4)
        staging.copy_to(self.source)
        compute = Compute(shader("blur5x5"), srv=[self.source],
                          uav=[self.target], device=device)
        self.commands = self._list(device)
        self.commands.dispatch(compute, -(-self.width // 16),
                               -(-self.height // 16), 1)

    def result(self):
        readback = Buffer(self.target.size, HEAP_READBACK,
                          device=self.target.device)
        self.target.copy_to(readback)
        rows = readback.readback2d(self.target.row_pitch, self.width,
                                   self.height, 4)
        return numpy.frombuffer(rows, dtype=numpy.float32).reshape(
            self.height, self.width).copy()


class MatMul(_Kernel):
    """C = A @ B in float32 (row-major), 128x128 blocks of C per group."""

    def __init__(self, a, b, device=None, timestamps=False):
        self.timestamps = timestamps
        a = numpy.asarray(a, dtype=numpy.float32)
        b = numpy.asarray(b, dtype=numpy.float32)
        if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
            raise ValueError("matmul needs (M, K) and (K, N) matrices, got "
                             "{0} and {1}".format(a.shape, b.shape))
        (self.m, k), self.n = a.shape, b.shape[1]
        self.a = device_buffer(a, 4, device)
        self.b = device_buffer(b, 4, device)
        self.c = Buffer(max(4, 4 * self.m * self.n), HEAP_DEFAULT, stride=4,
                        device=device)
        compute = Compute(shader("matmul"), srv=[self.a, self.b], uav=[self.c],
                          push_size=12, device=device)
        self.commands = self._list(device)
        self.commands.dispatch(compute, -(-self.n // 128), -(-self.m // 128),
                               1, struct.pack("<III", self.m, self.n, k))

    def result(self):
        return read_buffer(self.c, numpy.float32,
                           self.m * self.n).reshape(self.m, self.n)


class Transpose(_Kernel):
    """The transpose of a float32 matrix, through 32x32 groupshared tiles."""

    def __init__(self, matrix, device=None, timestamps=False):
        self.timestamps = timestamps
        matrix = numpy.asarray(matrix, dtype=numpy.float32)
        self.rows, self.cols = matrix.shape
        self.input = device_buffer(matrix, 4, device)
        self.output = Buffer(self.input.size, HEAP_DEFAULT, stride=4,
                             device=device)
        compute = Compute(shader("transpose"), srv=[self.input],
                          uav=[self.output], push_size=8, device=device)
        self.commands = self._list(device)
        self.commands.dispatch(compute, -(-self.cols // 32),
                               -(-self.rows // 32), 1,
                               struct.pack("<II", self.rows, self.cols))

    def result(self):
        return read_buffer(self.output, numpy.float32,
                           self.rows * self.cols).reshape(self.cols, self.rows)


def _once(kernel):
    kernel.run()
    return kernel.result()


def reduce_sum(data, device=None):
    return _once(ReduceSum(data, device))


def inclusive_scan(data, device=None):
    return _once(InclusiveScan(data, device))


def histogram256(data, device=None):
    return _once(Histogram256(data, device))


def blur5x5(image, device=None):
    return _once(Blur5x5(image, device))


def matmul(a, b, device=None):
    return _once(MatMul(a, b, device))


def transpose(matrix, device=None):
    return _once(Transpose(matrix, device))


if __name__ == "__main__":
    rng = numpy.random.default_rng(1)
    print("device:", compushady.get_current_device().name)
    x = rng.random(100000, dtype=numpy.float32)
    print("sum", reduce_sum(x), "numpy", float(x.sum(dtype=numpy.float64)))
    u = rng.integers(0, 1000, 100000, dtype=numpy.uint32)
    got = inclusive_scan(u)
    exp = numpy.cumsum(u, dtype=numpy.uint32)
    print("scan ok", bool((got == exp).all()), numpy.nonzero(got != exp)[0][:5], got[:4], exp[:4])
