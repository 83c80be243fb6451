cbuffer P : register(b0) { float pa[2] : packoffset(c0);
  float pb : packoffset(c2); float4 px : packoffset(c3); };
cbuffer Q : register(b1) { float4 qx : packoffset(c2);
  float qy : packoffset(c0.y); };
RWStructuredBuffer<float> o : register(u0);
[numthreads(1, 1, 1)] void main() {
  o[0] = pa[1] + pb + px.w + qx.z + qy; }
