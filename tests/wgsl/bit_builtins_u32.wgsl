@group(0) @binding(0) var<storage, read> a: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let x = a[id.x];
    let base = id.x * 9u;
    out[base + 0u] = countOneBits(x);
    out[base + 1u] = countLeadingZeros(x);
    out[base + 2u] = countTrailingZeros(x);
    out[base + 3u] = firstLeadingBit(x);
    out[base + 4u] = firstTrailingBit(x);
    out[base + 5u] = reverseBits(x);
    out[base + 6u] = extractBits(x, 4u, 8u);
    out[base + 7u] = insertBits(x, 0xABu, 8u, 8u);
    out[base + 8u] = ~x;
}
