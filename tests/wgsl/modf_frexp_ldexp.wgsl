@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;

@compute @workgroup_size(8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let x = a[id.x];
    let m = modf(x);
    let f = frexp(x);
    out[id.x] = vec4(m.fract, m.whole, f.fract, ldexp(f.fract, f.exp));
}
