import numpy

import compushady
from compushady import HEAP_READBACK, HEAP_UPLOAD, Buffer
from compushady.shaders import hlsl

# arrays in, arrays out, in one call: one thread per element of the first
# uav, in groups of the shader's numthreads
shader = hlsl.compile("""
StructuredBuffer<float> a : register(t0);
StructuredBuffer<float> b : register(t1);
RWStructuredBuffer<float> c : register(u0);
[numthreads(64, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    c[tid.x] = a[tid.x] * b[tid.x];
}
""")
a = numpy.arange(1024, dtype=numpy.float32)
b = numpy.full(1024, 0.5, dtype=numpy.float32)
(c,) = compushady.compute_with_arrays(shader, srv=[a, b], uav=[(1024, numpy.float32)])
print(c[:4])  # [0.  0.5 1.  1.5]

# copies between arrays and buffers (HEAP_DEFAULT goes through staging)
buffer = Buffer.from_numpy(a)
print(buffer.to_numpy(numpy.float32, shape=(16, 64))[1, :3])  # [64. 65. 66.]

# no copy: UPLOAD and READBACK buffers expose their mapped memory
upload = Buffer(16, HEAP_UPLOAD)
numpy.asarray(upload).view(numpy.float32)[:] = [1, 2, 3, 4]
readback = Buffer(16, HEAP_READBACK)
upload.copy_to(readback)
print(numpy.asarray(readback).view(numpy.float32))  # [1. 2. 3. 4.]
