@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let x = a[id.x];
    let base = id.x * 12u;
    out[base + 0u] = sin(x);
    out[base + 1u] = cos(x);
    out[base + 2u] = tan(x * 0.25);
    out[base + 3u] = atan(x);
    out[base + 4u] = atan2(x, 2.0);
    out[base + 5u] = asin(x * 0.1);
    out[base + 6u] = acos(x * 0.1);
    out[base + 7u] = tanh(x);
    out[base + 8u] = exp(x * 0.5);
    out[base + 9u] = log(abs(x) + 1.0);
    out[base + 10u] = pow(abs(x), 1.5);
    out[base + 11u] = inverseSqrt(abs(x) + 1.0);
}
