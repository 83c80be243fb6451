@group(0) @binding(0) var<storage, read> a: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<u32>>;

@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let v = a[id.x];
    out[id.x * 3u] = countOneBits(v);
    out[id.x * 3u + 1u] = countLeadingZeros(v);
    out[id.x * 3u + 2u] = reverseBits(v) ^ (v << vec4(1u, 2u, 3u, 4u));
}
