@group(0) @binding(0) var<storage, read> a: array<i32>;
@group(0) @binding(1) var<storage, read_write> out: array<i32>;

@compute @workgroup_size(16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let x = a[id.x];
    let base = id.x * 5u;
    out[base + 0u] = countOneBits(x);
    out[base + 1u] = firstLeadingBit(x);   // signed: highest bit unlike the sign
    out[base + 2u] = firstTrailingBit(x);
    out[base + 3u] = extractBits(x, 4u, 8u); // sign-extends
    out[base + 4u] = x ^ (x >> 3u);
}
