[[vk::push_constant]] cbuffer K { float ka[2]; float kb;
  float4x4 transform; };
RWStructuredBuffer<float4> o : register(u0);
[numthreads(4, 4, 4)]
void main(uint3 id : SV_DispatchThreadID) {
  o[id.x] = mul(transform, float4(ka[id.y % 2], kb, 0, 1)); }
