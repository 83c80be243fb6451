// mat3x3 columns are 16 bytes apart, vec3 aligned to 16: WGSL layout
struct Item { m: mat3x3<f32>, v: vec3<f32>, s: f32 }
@group(0) @binding(0) var<storage, read> items: array<Item>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;

@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let it = items[id.x];
    out[id.x] = vec4(it.m * it.v, it.s);
}
