struct Light { float3 color; float intensity; float2 offsets[2]; };
cbuffer Params : register(b0) {
  float4 scale; float weights[4]; Light lights[2];
  float3x3 rotation; row_major float2x3 skew; double3 origin;
  float tail; };
struct Extra { float3 dir; float intensity; float2 offsets[2]; };
ConstantBuffer<Extra> extra : register(b1);
RWStructuredBuffer<float4> output : register(u0);
[numthreads(8, 8, 1)]
void main(uint3 id : SV_DispatchThreadID) {
  float3 c = mul(rotation, lights[id.x % 2].color) * weights[id.y % 4];
  c += mul(skew, float3(extra.offsets[1], tail)).xyy;
  output[id.x] = float4(c + (float3)origin, lights[1].intensity) *
    scale + extra.intensity;
}
