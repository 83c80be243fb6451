@group(0) @binding(0) var<storage, read> a: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let x = a[id.x];
    out[id.x * 3u] = x * 2654435761u;      // wraps modulo 2^32
    out[id.x * 3u + 1u] = x - 4000000000u;
    out[id.x * 3u + 2u] = u32(-bitcast<i32>(x));
}
