@group(0) @binding(0) var<storage, read> a: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let v = a[id.x];
    out[id.x * 5u] = degrees(v.x);
    out[id.x * 5u + 1u] = radians(v.y);
    out[id.x * 5u + 2u] = log2(abs(v.x) + 1.0);
    out[id.x * 5u + 3u] = fma(v.x, v.y, 1.0);
    out[id.x * 5u + 4u] = quantizeToF16(v.x * 1.0001);
}
