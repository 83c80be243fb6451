struct Particle { float3 position; float mass; float2x3 basis;
  uint flags[3]; };
StructuredBuffer<float3> positions : register(t0);
RWStructuredBuffer<Particle> particles : register(u0);
ByteAddressBuffer raw : register(t1);
RWByteAddressBuffer raw_out : register(u1);
[numthreads(64, 1, 1)]
void main(uint3 id : SV_DispatchThreadID) {
  Particle p = particles[id.x];
  p.position += positions[id.x] * p.mass;
  p.flags[id.x % 3] |= raw.Load(id.x * 4);
  particles[id.x] = p;
  raw_out.Store(id.x * 4, asuint(p.basis[1][2]));
}
