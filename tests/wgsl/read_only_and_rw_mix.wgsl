@group(0) @binding(0) var<storage, read> lut: array<u32, 16>;
@group(0) @binding(1) var<storage, read> idx: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@group(0) @binding(3) var<uniform> bias: vec4<u32>;

@compute @workgroup_size(32)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    out[id.x] = lut[idx[id.x] & 15u] + bias.y;
}
