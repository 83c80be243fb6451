// histogram.hlsl - 256-bin histogram of `count` bytes, added into bins[]
// (clear them first: the wrapper records a copy of zeros before it).
//
// Each group counts into groupshared bins with atomics, streaming the bytes
// as uint4s (16 a load), then adds its non-empty bins to the global ones.
#define THREADS 256

struct Params {
    uint count;  // bytes
    uint stride; // groups * THREADS, in uint4s
};
[[vk::push_constant]] ConstantBuffer<Params> params;

StructuredBuffer<uint4> input : register(t0);
RWStructuredBuffer<uint> bins : register(u0);

groupshared uint local_bins[256];

void count_word(uint word, uint bytes)
{
    [unroll] for (uint b = 0; b < 4; b++)
        if (b < bytes)
            InterlockedAdd(local_bins[(word >> (8 * b)) & 255], 1);
}

[numthreads(THREADS, 1, 1)]
void main(uint index : SV_GroupIndex, uint3 group : SV_GroupID)
{
    local_bins[index] = 0; // THREADS == 256: one bin each
    GroupMemoryBarrierWithGroupSync();
    uint quads = (params.count + 15) / 16;
    for (uint i = group.x * THREADS + index; i < quads; i += params.stride) {
        uint4 v = input[i];
        uint left = params.count - i * 16; // bytes from this uint4 on
        count_word(v.x, min(left, 4));
        count_word(v.y, left > 4 ? min(left - 4, 4) : 0);
        count_word(v.z, left > 8 ? min(left - 8, 4) : 0);
        count_word(v.w, left > 12 ? min(left - 12, 4) : 0);
    }
    GroupMemoryBarrierWithGroupSync();
    uint mine = local_bins[index];
    if (mine != 0)
        InterlockedAdd(bins[index], mine);
}
