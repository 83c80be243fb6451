@group(0) @binding(0) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> outi: array<vec4<i32>>;

@compute @workgroup_size(1)
fn main() {
    let a = vec2<f32>(1.0, 2.0);
    out[0] = vec4(a, a);
    out[1] = vec4<f32>(3.0);
    out[2] = vec4(vec3(4.0, 5.0, 6.0), 7.0);
    out[3] = vec4f(vec2f(vec2i(-3, 8).yx), 0.5, 1);
    outi[0] = vec4<i32>(vec4(1.9, -1.9, 2.5, -2.5));
    outi[1] = vec4i(vec3i(vec3u(1u, 2u, 3u).zyx), 9);
    outi[2] = vec4(1, 2, 3, 4) * 2;
    let m = mat2x2(1.0, 2.0, 3.0, 4.0);
    out[4] = vec4(m[0], m[1]);
    let m2 = mat2x2f(vec2(5.0, 6.0), vec2(7.0, 8.0));
    out[5] = vec4(m2 * vec2(1.0, 1.0), (m * m2)[1]);
}
