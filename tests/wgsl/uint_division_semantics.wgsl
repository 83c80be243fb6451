@group(0) @binding(0) var<storage, read> a: array<vec2<u32>>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<u32>>;

@compute @workgroup_size(8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let v = a[id.x];
    let q = v / v.yx;
    let r = v % v.yx;
    out[id.x] = vec4(q, r);
}
