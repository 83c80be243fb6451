// reduce_sum.hlsl - the sum of `count` float4s (all four lanes added).
//
// Run twice: pass 1 with G groups over the data leaves one partial sum per
// group in output[group].x; pass 2 with one group adds those G partials.
// Memory-bound: each thread streams float4s, four loads in flight, then the
// group adds its THREADS sums in groupshared memory.
#define THREADS 256

struct Params {
    uint count;  // float4s to add
    uint stride; // groups * THREADS: the grid-stride step
};
[[vk::push_constant]] ConstantBuffer<Params> params;

StructuredBuffer<float4> input : register(t0);
RWStructuredBuffer<float4> output : register(u0); // one per group, sum in .x

groupshared float sums[THREADS];

[numthreads(THREADS, 1, 1)]
void main(uint index : SV_GroupIndex, uint3 group : SV_GroupID)
{
    uint s = params.stride;
    uint i = group.x * THREADS + index;
    float4 a = 0, b = 0, c = 0, d = 0;
    for (; i + 3 * s < params.count; i += 4 * s) {
        a += input[i];
        b += input[i + s];
        c += input[i + 2 * s];
        d += input[i + 3 * s];
    }
    for (; i < params.count; i += s)
        a += input[i];
    float4 t = (a + b) + (c + d);
    sums[index] = (t.x + t.y) + (t.z + t.w);
    GroupMemoryBarrierWithGroupSync();
    [unroll] for (uint width = THREADS / 2; width > 0; width /= 2) {
        if (index < width)
            sums[index] += sums[index + width];
        GroupMemoryBarrierWithGroupSync();
    }
    if (index == 0)
        output[group.x] = float4(sums[0], 0, 0, 0);
}
