import struct

import compushady
from compushady import Buffer, Compute, HEAP_UPLOAD, HEAP_DEFAULT, HEAP_READBACK
from compushady.shaders import hlsl

for device in compushady.get_discovered_devices():
    print(device.name, "(hardware)" if device.is_hardware else "(software)")
print("using", compushady.get_current_device().name)

# upload 8 uints into GPU memory
staging = Buffer(8 * 4, HEAP_UPLOAD)
staging.upload(struct.pack("8I", *range(8)))
data = Buffer(staging.size, HEAP_DEFAULT, stride=4)
staging.copy_to(data)

# square them on the GPU
shader = hlsl.compile("""
RWStructuredBuffer<uint> data : register(u0);
[numthreads(8, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    data[tid.x] = data[tid.x] * data[tid.x];
}
""")
compute = Compute(shader, uav=[data])
compute.dispatch(1, 1, 1)

# read the result back
readback = Buffer(data.size, HEAP_READBACK)
data.copy_to(readback)
print(struct.unpack("8I", readback.readback()))
