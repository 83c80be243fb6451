@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;

@compute @workgroup_size(8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    var v = a[id.x];
    v.x = v.w;
    v.y += 1.0;
    let w = v.zyxw + v.rgba * 2.0 + vec4(v.xy, v.zz);
    out[id.x] = vec4(w.xyz, v.g);
}
