// names DXC takes and glslang reserves: texture, sampler, matrix
RWStructuredBuffer<float> texture : register(u0); /* a buffer */
Texture2D<float4> line : register(t0);
float scaled(float matrix, vector<float, 2> point) {
  precise float linear = matrix * point.x; return linear; }
[numthreads(1, 1, 1)] void main() {
  float triangle = (float)line.Load(int3(0, 0, 0)).x;
  texture[0] = scaled(triangle, float2(1e5f, 0x1F)); }
