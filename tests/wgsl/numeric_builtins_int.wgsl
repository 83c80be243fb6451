@group(0) @binding(0) var<storage, read> a: array<i32>;
@group(0) @binding(1) var<storage, read_write> out: array<i32>;

@compute @workgroup_size(16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let x = a[id.x];
    let base = id.x * 6u;
    out[base + 0u] = abs(x);
    out[base + 1u] = sign(x);
    out[base + 2u] = clamp(x, -5, 5);
    out[base + 3u] = min(x, 3);
    out[base + 4u] = max(x, -3);
    out[base + 5u] = x * x - 2 * x;
}
