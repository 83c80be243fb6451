Texture2D<float4> tex : register(t0);
Texture2DArray<float> layers : register(t1);
TextureCube<float4> cube : register(t2);
Texture3D<uint4> volume : register(t3);
Texture2D<float4> many[4] : register(t4);
SamplerState linear_clamp : register(s0);
SamplerState point_wrap : register(s1);
RWTexture2D<float4> target : register(u0);
RWTexture3D<uint> counters : register(u1);
RWTexture2DArray<float2> slices : register(u2);
[numthreads(8, 8, 1)]
void main(uint3 id : SV_DispatchThreadID) {
  float2 uv = id.xy / 64.0;
  float4 c = tex.SampleLevel(linear_clamp, uv, 0);
  c += layers.SampleLevel(point_wrap, float3(uv, 1), 0);
  c += cube.SampleLevel(linear_clamp, float3(uv, 1), 0);
  c += many[id.z % 4].Load(int3(id.xy, 0));
  c.x += volume.Load(int4(id, 0)).x;
  target[id.xy] = c;
  InterlockedAdd(counters[id], 1);
  slices[uint3(id.xy, 0)] = c.xy;
}
