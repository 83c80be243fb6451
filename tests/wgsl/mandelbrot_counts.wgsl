@group(0) @binding(0) var<storage, read_write> out: array<u32>;
const W = 16u;
const H = 16u;
const MAX_ITER = 64u;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let c = vec2(f32(id.x) / f32(W) * 3.0 - 2.0, f32(id.y) / f32(H) * 2.0 - 1.0);
    var z = vec2(0.0, 0.0);
    var i = 0u;
    loop {
        if (i >= MAX_ITER || dot(z, z) > 4.0) { break; }
        z = vec2(z.x * z.x - z.y * z.y, 2.0 * z.x * z.y) + c;
        i++;
    }
    out[id.y * W + id.x] = i;
}
