struct Particle { pos: vec2<f32>, vel: vec2<f32>, mass: f32, id: u32 }
@group(0) @binding(0) var<storage, read_write> particles: array<Particle>;
const DT: f32 = 0.5;

@compute @workgroup_size(32)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    var p = particles[id.x];
    p.vel += vec2(0.0, -9.8) * DT / p.mass;
    p.pos = p.pos + p.vel * DT;
    p.id = p.id * 2u + 1u;
    particles[id.x] = p;
}
