// transpose.hlsl - output (cols x rows) = input (rows x cols) transposed,
// float32, row-major.
//
// A 32x32 tile goes through groupshared memory so that both the reads and
// the writes of global memory are contiguous along rows; the tile has one
// spare column so that reading it by columns hits 32 different banks.
#define TILE 32
#define ROWS_PER_PASS 8

struct Params {
    uint rows;
    uint cols;
};
[[vk::push_constant]] ConstantBuffer<Params> params;

StructuredBuffer<float> input : register(t0);
RWStructuredBuffer<float> output : register(u0);

groupshared float tile[TILE][TILE + 1];

[numthreads(TILE, ROWS_PER_PASS, 1)]
void main(uint3 group : SV_GroupID, uint3 thread : SV_GroupThreadID)
{
    uint x = group.x * TILE + thread.x; // input column
    [unroll] for (uint r = 0; r < TILE; r += ROWS_PER_PASS) {
        uint y = group.y * TILE + thread.y + r; // input row
        if (x < params.cols && y < params.rows)
            tile[thread.y + r][thread.x] = input[y * params.cols + x];
    }
    GroupMemoryBarrierWithGroupSync();
    uint ox = group.y * TILE + thread.x; // output column (an input row)
    [unroll] for (uint w = 0; w < TILE; w += ROWS_PER_PASS) {
        uint oy = group.x * TILE + thread.y + w; // output row (input column)
        if (ox < params.rows && oy < params.cols)
            output[oy * params.rows + ox] = tile[thread.x][thread.y + w];
    }
}
