// matmul.hlsl - C (M x N) = A (M x K) x B (K x N), float32, row-major.
//
// Each group of 16x16 threads computes a 128x128 block of C, stepping
// through K 8 at a time: the 128x8 slice of A and the 8x128 slice of B go
// to groupshared memory, then each thread accumulates an 8x8 block of C in
// registers (64 multiply-adds for every 16 groupshared reads). A thread's
// 8 columns are two runs of 4, 64 apart, so that the 16 threads of a row
// read 16 consecutive float4s.
#define BLOCK 128
#define STEP 8
#define THREADS_X 16
#define THREADS_Y 16
#define PER_THREAD 8

struct Params {
    uint M;
    uint N;
    uint K;
};
[[vk::push_constant]] ConstantBuffer<Params> params;

StructuredBuffer<float> A : register(t0);
StructuredBuffer<float> B : register(t1);
RWStructuredBuffer<float> C : register(u0);

groupshared float4 a_tile[STEP][BLOCK / 4]; // a_tile[k][m / 4], A transposed
groupshared float4 b_tile[STEP][BLOCK / 4]; // b_tile[k][n / 4]

[numthreads(THREADS_X, THREADS_Y, 1)]
void main(uint3 group : SV_GroupID, uint3 thread : SV_GroupThreadID,
          uint index : SV_GroupIndex)
{
    uint row0 = group.y * BLOCK, col0 = group.x * BLOCK;
    float acc[PER_THREAD][PER_THREAD];
    [unroll] for (uint i = 0; i < PER_THREAD; i++)
        [unroll] for (uint j = 0; j < PER_THREAD; j++)
            acc[i][j] = 0;

    for (uint k0 = 0; k0 < params.K; k0 += STEP) {
        // 128x8 of A and 8x128 of B: 1024 floats each, 4 per thread
        [unroll] for (uint l = 0; l < 4; l++) {
            uint e = index * 4 + l;
            uint m = e / STEP, k = e % STEP; // A: 8 consecutive k per row
            uint r = row0 + m, c = k0 + k;
            float a = r < params.M && c < params.K ? A[r * params.K + c] : 0;
            a_tile[k][m / 4][m % 4] = a;
            uint kb = e / BLOCK, n = e % BLOCK; // B: rows of 128
            uint rb = k0 + kb, cb = col0 + n;
            float b = rb < params.K && cb < params.N ? B[rb * params.N + cb] : 0;
            b_tile[kb][n / 4][n % 4] = b;
        }
        GroupMemoryBarrierWithGroupSync();
        [unroll] for (uint k = 0; k < STEP; k++) {
            float4 a0 = a_tile[k][thread.y], a1 = a_tile[k][thread.y + 16];
            float4 b0 = b_tile[k][thread.x], b1 = b_tile[k][thread.x + 16];
            float a[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
            float b[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
            [unroll] for (uint i = 0; i < PER_THREAD; i++)
                [unroll] for (uint j = 0; j < PER_THREAD; j++)
                    acc[i][j] = mad(a[i], b[j], acc[i][j]);
        }
        GroupMemoryBarrierWithGroupSync();
    }

    [unroll] for (uint i = 0; i < PER_THREAD; i++) {
        uint r = row0 + thread.y * 4 + (i % 4) + (i / 4) * 64;
        [unroll] for (uint j = 0; j < PER_THREAD; j++) {
            uint c = col0 + thread.x * 4 + (j % 4) + (j / 4) * 64;
            if (r < params.M && c < params.N)
                C[r * params.N + c] = acc[i][j];
        }
    }
}
