@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> oi: array<i32>;
@group(0) @binding(2) var<storage, read_write> ou: array<u32>;

@compute @workgroup_size(8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    oi[id.x] = i32(a[id.x]);
    ou[id.x] = u32(a[id.x]);
}
