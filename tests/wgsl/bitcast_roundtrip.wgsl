@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> bits: array<u32>;
@group(0) @binding(2) var<storage, read_write> back: array<f32>;

@compute @workgroup_size(16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let b = bitcast<u32>(a[id.x]);
    bits[id.x] = b;
    back[id.x] = bitcast<f32>(b ^ 0x80000000u);   // flips the sign
}
