@group(0) @binding(0) var<storage, read> a: array<vec3<f32>>;
@group(0) @binding(1) var<storage, read> b: array<vec3<f32>>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<f32>>;

@compute @workgroup_size(8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let x = a[id.x];
    let y = b[id.x];
    out[id.x * 3u] = vec4(cross(x, y), dot(x, y));
    out[id.x * 3u + 1u] = vec4(normalize(x), length(y));
    out[id.x * 3u + 2u] = vec4(reflect(x, normalize(y)), distance(x, y));
}
