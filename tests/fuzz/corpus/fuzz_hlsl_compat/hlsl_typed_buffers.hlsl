Buffer<float4> src : register(t0);
RWBuffer<uint> counts : register(u0);
RWBuffer<float2> pairs : register(u1);
[numthreads(32, 1, 1)]
void main(uint3 id : SV_DispatchThreadID) {
  float4 v = src[id.x];
  InterlockedAdd(counts[0], (uint)v.x);
  pairs[id.x] = v.yz;
}
