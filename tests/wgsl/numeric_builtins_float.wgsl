@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let x = a[id.x];
    let base = id.x * 16u;
    out[base + 0u] = abs(x);
    out[base + 1u] = floor(x);
    out[base + 2u] = ceil(x);
    out[base + 3u] = round(x);
    out[base + 4u] = trunc(x);
    out[base + 5u] = fract(x);
    out[base + 6u] = sign(x);
    out[base + 7u] = clamp(x, -1.0, 1.0);
    out[base + 8u] = saturate(x);
    out[base + 9u] = min(x, 0.25);
    out[base + 10u] = max(x, 0.25);
    out[base + 11u] = mix(x, 10.0, 0.25);
    out[base + 12u] = step(0.5, x);
    out[base + 13u] = smoothstep(-2.0, 2.0, x);
    out[base + 14u] = sqrt(abs(x));
    out[base + 15u] = exp2(x);
}
