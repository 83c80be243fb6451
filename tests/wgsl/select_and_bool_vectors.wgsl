@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> flags: array<u32>;

@compute @workgroup_size(8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let v = a[id.x];
    let neg = v < vec4(0.0);
    out[id.x] = select(v, -v, neg);
    var f = 0u;
    if (all(neg)) { f |= 1u; }
    if (any(neg)) { f |= 2u; }
    if (any(!neg & (v > vec4(1.0)))) { f |= 4u; }
    f |= select(0u, 8u, (v.x == v.y) | (v.z != v.w));
    flags[id.x] = f;
}
