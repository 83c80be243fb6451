// blur5x5.hlsl - a 5x5 Gaussian blur (binomial weights 1 4 6 4 1 / 16 in
// each direction) of a one-channel float texture; texels outside the image
// count as 0, as a zero-padded convolution does.
//
// Each 16x16 group loads its 20x20 neighbourhood once into groupshared
// memory, then every thread reads its 25 taps from there.
#define SIZE 16
#define RADIUS 2
#define TILE (SIZE + 2 * RADIUS)

Texture2D<float> source : register(t0);
RWTexture2D<float> target : register(u0);

groupshared float tile[TILE][TILE];

static const float weights[5] = {1.0 / 16, 4.0 / 16, 6.0 / 16, 4.0 / 16,
                                 1.0 / 16};

[numthreads(SIZE, SIZE, 1)]
void main(uint3 group : SV_GroupID, uint3 thread : SV_GroupThreadID,
          uint index : SV_GroupIndex)
{
    uint width, height;
    source.GetDimensions(width, height);
    int2 origin = int2(group.xy * SIZE) - RADIUS;
    for (uint k = index; k < TILE * TILE; k += SIZE * SIZE) {
        int2 p = origin + int2(k % TILE, k / TILE);
        bool inside = p.x >= 0 && p.y >= 0 && p.x < (int)width &&
                      p.y < (int)height;
        tile[k / TILE][k % TILE] = inside ? source.Load(int3(p, 0)) : 0.0;
    }
    GroupMemoryBarrierWithGroupSync();
    float sum = 0;
    [unroll] for (uint y = 0; y < 5; y++) {
        float row = 0;
        [unroll] for (uint x = 0; x < 5; x++)
            row += weights[x] * tile[thread.y + y][thread.x + x];
        sum += weights[y] * row;
    }
    uint2 p = group.xy * SIZE + thread.xy;
    if (p.x < width && p.y < height)
        target[p] = sum;
}
